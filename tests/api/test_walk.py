"""The app API walks sign-in → balance → a document → payment start, on each landlord."""

import pytest

from tenancies.models import TenantAccount
from tests.api.conftest import NUMBERS
from tests.factories import LedgerEntryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["hmp", "hdf", "auvergne", "aubervilliers"])
def test_a_demo_tenant_signs_in_sees_the_balance_downloads_a_notice_and_starts_a_payment(
    tenant, app_client, slug
):
    user = tenant(slug)
    app = app_client(slug)
    login = NUMBERS[slug] if slug == "hdf" else user.email
    signed_in = app.sign_in(login)
    assert signed_in.status_code == 200, signed_in.json()
    assert signed_in.json()["meta"]["is_authenticated"] is True
    assert app.token

    accounts = app.get("/api/app/comptes").json()
    assert [a["numero"] for a in accounts] == [NUMBERS[slug]]
    account_id = accounts[0]["id"]

    balance = app.get(f"/api/app/comptes/{account_id}").json()
    assert balance["solde_cents"] == accounts[0]["solde_cents"]
    if balance["solde_cents"] <= 0:
        # Habitat Hauts-de-France's demo tenant is in credit: nothing to pay, until a charge.
        assert balance["paiement_maximum_cents"] == 0
        refused = app.post(f"/api/app/comptes/{account_id}/paiements", {"montant_cents": 2000})
        assert refused.status_code == 400
        assert refused.json()["detail"] == "Vous n'avez rien à payer sur ce compte."
        LedgerEntryFactory(
            account=TenantAccount.objects.get(pk=account_id),
            amount_cents=45000 - balance["solde_cents"],
        )
        balance = app.get(f"/api/app/comptes/{account_id}").json()
    assert balance["solde_cents"] > 0
    assert balance["paiement_en_ligne_ouvert"] is True

    listed = app.get(f"/api/app/comptes/{account_id}/documents").json()
    notice = next(d for d in listed["documents"] if d["type"] == "avis")
    pdf = app.get(notice["pdf"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    started = app.post(
        f"/api/app/comptes/{account_id}/paiements",
        {"montant_cents": balance["paiement_maximum_cents"]},
    )
    assert started.status_code == 200, started.json()
    checkout = started.json()
    assert checkout["paiement"]["etat"] == "pending"
    assert checkout["paiement"]["montant_cents"] == balance["paiement_maximum_cents"]
    assert checkout["url"].startswith("http")
    assert checkout["methode"] in ("GET", "POST")
    assert checkout["retour_url"].startswith(f"http://{slug}.localhost/paiement/retour/")

    state = app.get(f"/api/app/paiements/{checkout['paiement']['reference']}").json()
    assert state["etat"] == "pending"
