from django.urls import path

from backoffice.imports import views

urlpatterns = [
    path("", views.import_list, name="imports"),
    path("mois-clos/", views.closed_periods, name="closed_periods"),
    path("<int:run_id>/", views.import_detail, name="import"),
    path("<int:run_id>/progression.json", views.import_progress, name="import_progress"),
    path("<int:run_id>/rapport.csv", views.import_report, name="import_report"),
]
