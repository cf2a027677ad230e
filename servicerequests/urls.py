"""Mes demandes, under /mon-compte/."""

from django.urls import path

from servicerequests import views

urlpatterns = [
    path("demandes/", views.request_list, name="request_list"),
    path("compte/<int:account_id>/contacts/", views.contacts, name="contacts"),
    path("compte/<int:account_id>/assurance/", views.insurance, name="insurance"),
    path(
        "compte/<int:account_id>/demandes/nouvelle/",
        views.choose_category,
        name="request_categories",
    ),
    path(
        "compte/<int:account_id>/demandes/nouvelle/<int:category_id>/",
        views.new_request,
        name="request_new",
    ),
    path("demandes/<str:public_id>/", views.request_detail, name="request_detail"),
    path("demandes/<str:public_id>/message/", views.post_message, name="request_message"),
    path("demandes/<str:public_id>/non-resolue/", views.reopen, name="request_reopen"),
    path("demandes/<str:public_id>/avis/", views.rate, name="request_rate"),
    path(
        "demandes/<str:public_id>/fichiers/<int:attachment_id>/",
        views.attachment,
        name="request_attachment",
    ),
]
