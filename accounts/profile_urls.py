"""Mon compte > Mes infos, included under /mon-compte/."""

from django.urls import path

from accounts import profile_views

urlpatterns = [
    path("mes-infos/", profile_views.index, name="profile"),
    path("mes-infos/email/", profile_views.change_email, name="profile_email"),
    path("mes-infos/mot-de-passe/", profile_views.change_password, name="profile_password"),
    path("mes-infos/telephones/", profile_views.phones, name="profile_phones"),
    path("mes-infos/telephones/code/", profile_views.mobile_code, name="profile_mobile_code"),
    path(
        "mes-infos/telephones/code/renvoyer/",
        profile_views.resend_mobile_code,
        name="profile_mobile_resend",
    ),
    path("mes-infos/actualites/", profile_views.news, name="profile_news"),
    path(
        "mes-infos/notifications/abonnement/",
        profile_views.push_subscribe,
        name="profile_push_subscribe",
    ),
    path(
        "mes-infos/notifications/desabonnement/",
        profile_views.push_unsubscribe,
        name="profile_push_unsubscribe",
    ),
    path(
        "mes-infos/notifications/appareil/", profile_views.push_device, name="profile_push_device"
    ),
    path("mes-infos/appareils/", profile_views.sessions, name="profile_sessions"),
    path("mes-infos/mes-donnees.zip", profile_views.download_data, name="profile_data"),
    path("mes-infos/fermer-mon-acces/", profile_views.close_access, name="profile_close"),
    path("acces-ferme/", profile_views.closed, name="profile_closed"),
]
