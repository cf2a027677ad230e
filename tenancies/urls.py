"""Mon logement, under /mon-compte/."""

from django.urls import path

from tenancies import views

urlpatterns = [
    path("compte/<int:account_id>/logement/", views.dwelling, name="dwelling"),
]
