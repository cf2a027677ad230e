"""Every action code the journal knows, with its French label.

`audit.record` refuses a code missing here, so the journal always reads in French.
Add the codes of a new capability here (payments, imports, news...).
"""

ACTIONS = {
    # Security events, from allauth's signals (audit/signals.py).
    "security.login": "connexion",
    "security.login_failed": "échec de connexion",
    "security.logout": "déconnexion",
    "security.password_changed": "mot de passe modifié",
    "security.password_reset": "mot de passe réinitialisé",
    "security.email_changed": "adresse email modifiée",
    "security.email_confirmed": "adresse email confirmée",
    # "Renvoyer le lien" (accounts/activation.py).
    "security.activation_link_resent": "lien de confirmation de l'adresse email renvoyé",
    "security.mfa_added": "vérification en deux étapes ajoutée",
    "security.mfa_removed": "vérification en deux étapes retirée",
    "security.mfa_reset": "codes de secours régénérés",
    "security.mfa_failed": "code de vérification en deux étapes refusé",
    # Staff accounts (staff/invitations.py).
    "staff.invited": "membre de l'équipe invité",
    "staff.invitation_accepted": "invitation acceptée",
    "staff.deactivated": "membre de l'équipe désactivé",
    # Staff actions on a tenant (backoffice, through the rule functions).
    "tenant.viewed_as": "« voir comme le locataire »",
    "tenant.mobile_corrected": "mobile corrigé",
    "tenant.letter_printed": "courrier d'activation imprimé",
    "tenant.activation_email_resent": "email d'activation renvoyé",
    "tenant.lock_lifted": "blocage levé",
    "tenant.access_closed": "accès fermé",
    # Paiements (backoffice/payments), Imports (imports/services.py), Actualités (news/services.py).
    "payments.exported": "paiements exportés vers l'ERP (nouveau lot)",
    "payments.reexported": "lot de paiements réexporté",
    # payments/lifecycle.py: money given back on an online payment, by the provider.
    "payments.reversal_recorded": "remboursement ou annulation d'un paiement enregistré",
    "payments.reversal_refused": "remboursement ou annulation d'un paiement refusé",
    "imports.started": "import lancé",
    "imports.finished": "import terminé",
    "imports.failed": "import refusé",
    # Closed months of the ledger (billing/periods.py) and their notices' versions.
    "ledger.period_closed": "mois clos",
    "ledger.period_reclosed": "mois clos à nouveau (import correctif) : nouvelle version des avis",
    "documents.notice_version_notified": "nouvelle version d'avis d'échéance signalée",
    "news.created": "actualité rédigée",
    "news.updated": "actualité modifiée",
    "news.published": "actualité publiée",
    "news.scheduled": "actualité programmée",
    "news.unpublished": "actualité retirée",
    "news.emailed": "actualité envoyée par email",
    "news.unsubscribed": "désabonnement des actualités par email",
    # Notifications on a device (accounts/push_devices.py).
    "push.enabled": "notifications activées sur un appareil",
    "push.disabled": "notifications désactivées sur un appareil",
    "push.preferences_changed": "réglages des notifications modifiés",
    # Tenants' requests (servicerequests/services.py).
    "request.created": "demande déposée",
    "request.status_changed": "état de la demande modifié",
    "request.reopened": "demande rouverte par le locataire",
    "request.rated": "demande notée",
    "request.message_posted": "message sur une demande",
    "request.note_added": "note interne sur une demande",
    "request.assigned": "demande attribuée",
    "request.categories_changed": "catégories de demande modifiées",
    "request.saved_replies_changed": "réponses types modifiées",
    "requests.exported": "demandes exportées",
    # Home insurance certificates (servicerequests/insurance.py).
    "insurance.uploaded": "attestation d'assurance déposée",
    "insurance.accepted": "attestation d'assurance acceptée",
    "insurance.refused": "attestation d'assurance refusée",
    "insurance.reminded": "rappel d'attestation d'assurance envoyé",
    # The journal itself.
    "journal.exported": "journal exporté",
}


def label(code: str) -> str:
    return ACTIONS.get(code, code)
