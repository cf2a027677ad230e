from django.urls import include, path

from backoffice import views

app_name = "backoffice"

urlpatterns = [
    # Paiements, Imports, Actualités: one package each.
    path("paiements/", include("backoffice.payments.urls")),
    path("imports/", include("backoffice.imports.urls")),
    path("actualites/", include("backoffice.news.urls")),
    path("", views.dashboard, name="dashboard"),
    path("locataires/", views.search, name="search"),
    path("locataires/<int:account_id>/", views.tenant, name="tenant"),
    path(
        "locataires/<int:account_id>/mobile/<int:signatory_id>/",
        views.correct_mobile,
        name="correct_mobile",
    ),
    path("locataires/<int:account_id>/courrier/", views.print_letter, name="print_letter"),
    path("locataires/<int:account_id>/deblocage/", views.lift_lock, name="lift_signup_lock"),
    path(
        "locataires/<int:account_id>/acces/<int:access_id>/activation/",
        views.resend_activation,
        name="resend_activation",
    ),
    path(
        "locataires/<int:account_id>/acces/<int:access_id>/deblocage/",
        views.lift_lock,
        name="lift_lock",
    ),
    path(
        "locataires/<int:account_id>/acces/<int:access_id>/fermer/",
        views.close_access,
        name="close_access",
    ),
    path("locataires/<int:account_id>/voir-comme/", views.view_as, name="view_as"),
    path("a-debloquer/", views.unblock_queue, name="unblock_queue"),
    path("journal/", views.journal, name="journal"),
    path("journal/export.csv", views.journal_csv, name="journal_csv"),
    path("equipe/", views.team, name="team"),
    path("equipe/<int:member_id>/desactiver/", views.deactivate_member, name="deactivate_member"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("demandes/", include("backoffice.requests_urls")),
]
