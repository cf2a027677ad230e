from django.urls import include, path

from accounts import reset_by_sms, views

urlpatterns = [
    path("inscription/", views.identity, name="signup"),
    path("inscription/telephone/", views.phone, name="signup_phone"),
    path("inscription/telephone-inconnu/", views.unknown_phone, name="signup_unknown_phone"),
    path("inscription/code/", views.code, name="signup_code"),
    path("inscription/code/renvoyer/", views.resend_code, name="signup_resend_code"),
    path("inscription/identifiants/", views.credentials, name="signup_credentials"),
    path("inscription/cgu/", views.terms, name="signup_terms"),
    path("inscription/terminee/", views.operational, name="signup_operational"),
    path("activation/renvoyer/", views.resend_activation_link, name="activation_resend"),
    path("mon-compte/", include("accounts.profile_urls")),
    path("mot-de-passe-oublie/", reset_by_sms.account_number, name="password_reset_by_sms"),
    path(
        "mot-de-passe-oublie/telephone/",
        reset_by_sms.phone,
        name="password_reset_by_sms_phone",
    ),
    path(
        "mot-de-passe-oublie/telephone-inconnu/",
        reset_by_sms.unknown_phone,
        name="password_reset_by_sms_unknown_phone",
    ),
    path("mot-de-passe-oublie/code/", reset_by_sms.code, name="password_reset_by_sms_code"),
    path(
        "mot-de-passe-oublie/code/renvoyer/",
        reset_by_sms.resend_code,
        name="password_reset_by_sms_resend",
    ),
    path(
        "mot-de-passe-oublie/nouveau/",
        reset_by_sms.new_password,
        name="password_reset_by_sms_password",
    ),
]
