from django.urls import include, path

from backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("demandes/", include("backoffice.requests_urls")),
]
