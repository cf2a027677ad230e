"""Mon compte > Mes infos > "Mes données": what the portal holds about a tenant, as a ZIP.

The personal data as JSON, each account's ledger as CSV and its stored documents as PDF,
only at the landlord whose host asks (a host never shows another landlord's data).
"""

import io
import json
import zipfile

from django.utils import timezone

from accounts.models import User
from billing.exports import statement_rows
from billing.statement import ledger
from core.allauth_bridge import is_mfa_enabled
from core.csv import write_rows
from documents.services import stored_documents
from landlords.models import Landlord


def personal_data(user: User, landlord: Landlord) -> dict:
    """What the portal holds about the user at this landlord, as plain JSON-ready data."""
    accesses = user.accesses.filter(signatory__lease__account__landlord=landlord).select_related(
        "signatory__lease__account"
    )
    return {
        "bailleur": landlord.name,
        "exporte_le": timezone.now().isoformat(),
        "identifiant": {
            "email": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "telephone_mobile": user.mobile_phone,
            "telephone_fixe": user.landline_phone,
            "inscrit_le": user.date_joined.isoformat(),
            "derniere_connexion": user.last_login.isoformat() if user.last_login else None,
            "verification_en_deux_etapes": is_mfa_enabled(user),
        },
        "acces": [
            {
                "compte": access.signatory.lease.account.number,
                "contrat": access.signatory.lease.reference,
                "type_de_bien": access.signatory.lease.get_kind_display(),
                "adresse": access.signatory.lease.address,
                "complement_d_adresse": access.signatory.lease.address_complement,
                "code_postal": access.signatory.lease.postal_code,
                "ville": access.signatory.lease.city,
                "signataire": {
                    "nom": access.signatory.last_name,
                    "prenom": access.signatory.first_name,
                    "date_de_naissance": access.signatory.birth_date.isoformat(),
                },
                "acces_cree_le": access.created_at.isoformat(),
            }
            for access in accesses
        ],
        "cgu_acceptees": [
            {"version": acceptance.version, "acceptees_le": acceptance.accepted_at.isoformat()}
            for acceptance in user.terms_acceptances.filter(landlord=landlord).order_by(
                "accepted_at"
            )
        ],
        "consentement_actualites": [
            {"accepte": consent.granted, "le": consent.changed_at.isoformat()}
            for consent in user.news_consents.filter(landlord=landlord).order_by("changed_at", "pk")
        ],
    }


def ledger_csv(account) -> bytes:
    """The account's history as "Situation de votre compte" downloads it (UTF-8 with a BOM)."""
    out = io.StringIO()
    write_rows(out, statement_rows(ledger(account)))
    return out.getvalue().encode("utf-8-sig")


def personal_data_zip(user: User, landlord: Landlord) -> bytes:
    """A ZIP: the personal data as JSON, each of the user's accounts' ledger as CSV and
    the account's stored documents (notices, receipts, certificates) as PDF.

    Only the accounts the user signs a lease of, at this landlord (a landlord's host
    never shows another landlord's data).
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees-personnelles.json",
            json.dumps(personal_data(user, landlord), ensure_ascii=False, indent=2),
        )
        for account in user.accounts().filter(landlord=landlord).order_by("number"):
            archive.writestr(f"ecritures-compte-{account.number}.csv", ledger_csv(account))
            for name, content in stored_documents(account):
                archive.writestr(f"documents-compte-{account.number}/{name}", content)
    return buffer.getvalue()


def data_file_name(landlord: Landlord) -> str:
    return f"mes-donnees-{landlord.slug}-{timezone.localdate():%Y-%m-%d}.zip"
