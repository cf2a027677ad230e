from django.urls import path

from backoffice.payments import views

urlpatterns = [
    path("", views.payment_list, name="payments"),
    path("<int:payment_id>/", views.payment_detail, name="payment"),
    path("rapprochement/", views.reconciliation, name="payment_reconciliation"),
    path("lots/", views.export_list, name="payment_exports"),
    path("lots/nouveau/", views.export_new, name="payment_export_new"),
    path("lots/<int:number>/", views.export_detail, name="payment_export"),
    path("lots/<int:number>/paiements.csv", views.export_csv, name="payment_export_csv"),
]
