"""Demandes (tenants' requests) in the espace agence, under /demandes/."""

from django.urls import path

from backoffice import requests_views as views

urlpatterns = [
    path("", views.queue, name="requests"),
    path("export.csv", views.export_csv, name="requests_csv"),
    path("delais/", views.figures, name="requests_figures"),
    path("categories/", views.categories, name="request_categories"),
    path("categories/nouvelle/", views.edit_category, name="request_category_new"),
    path("categories/<int:category_id>/", views.edit_category, name="request_category"),
    path("reponses-types/nouvelle/", views.edit_reply, name="saved_reply_new"),
    path("reponses-types/<int:reply_id>/", views.edit_reply, name="saved_reply"),
    path("assurances/", views.insurance_list, name="insurance"),
    path("assurances/<int:certificate_id>/", views.insurance_review, name="insurance_review"),
    path("assurances/<int:certificate_id>/fichier/", views.insurance_file, name="insurance_file"),
    path("<str:public_id>/", views.detail, name="request"),
    path("<str:public_id>/attribuer/", views.assign, name="request_assign"),
    path("<str:public_id>/repondre/", views.answer, name="request_answer"),
    path("<str:public_id>/etat/", views.change_status, name="request_status"),
    path("<str:public_id>/note/", views.add_note, name="request_note"),
    path(
        "<str:public_id>/fichiers/<int:attachment_id>/",
        views.attachment,
        name="request_attachment",
    ),
]
