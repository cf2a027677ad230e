from django.urls import path

from accounts import views

urlpatterns = [
    path("inscription/", views.identity, name="signup"),
    path("inscription/telephone/", views.phone, name="signup_phone"),
    path("inscription/telephone-inconnu/", views.unknown_phone, name="signup_unknown_phone"),
    path("inscription/code/", views.code, name="signup_code"),
    path("inscription/code/renvoyer/", views.resend_code, name="signup_resend_code"),
    path("inscription/identifiants/", views.credentials, name="signup_credentials"),
    path("inscription/cgu/", views.terms, name="signup_terms"),
    path("mon-compte/", views.dashboard, name="dashboard"),
]
