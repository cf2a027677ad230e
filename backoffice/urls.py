from django.urls import include, path

from backoffice import views

app_name = "backoffice"

urlpatterns = [
    # Paiements, Imports, Actualités: one package each.
    path("paiements/", include("backoffice.payments.urls")),
    path("imports/", include("backoffice.imports.urls")),
    path("actualites/", include("backoffice.news.urls")),
    path("", views.dashboard, name="dashboard"),
]
