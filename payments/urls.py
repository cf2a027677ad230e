"""Online payment URLs, included at the root of a landlord's portal."""

from django.urls import path

from payments import sandbox, views

urlpatterns = [
    path(
        "mon-compte/compte/<int:account_id>/reglement/",
        views.payment_start,
        name="payment_start",
    ),
    path(
        "mon-compte/compte/<int:account_id>/reglement/montant/",
        views.payment_amount,
        name="payment_amount",
    ),
    path("paiement/retour/<str:reference>/", views.payment_return, name="payment_return"),
    path("paiement/notification/", views.payment_notification, name="payment_notification"),
    # Answers 404 unless PAYMENT_SANDBOX is true.
    path("paiement/bac-a-sable/", sandbox.payment_page, name="sandbox_payment_page"),
    path("paiement/bac-a-sable/moyen/", sandbox.method, name="sandbox_method"),
    path("paiement/bac-a-sable/annuler/", sandbox.cancel, name="sandbox_cancel"),
    path("paiement/bac-a-sable/carte/", sandbox.card, name="sandbox_card"),
    path("paiement/bac-a-sable/3ds/", sandbox.challenge, name="sandbox_challenge"),
    path(
        "paiement/bac-a-sable/api-payment/V4/Order/Get",
        sandbox.order_get,
        name="sandbox_order_get",
    ),
    path("paiement/bac-a-sable/back-office/", sandbox.back_office, name="sandbox_back_office"),
    path(
        "paiement/bac-a-sable/back-office/<str:transaction_uuid>/",
        sandbox.operation,
        name="sandbox_operation",
    ),
]
