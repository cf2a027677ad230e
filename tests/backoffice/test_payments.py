"""Paiements: who sees which payment, the filters, the events, the export batches."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from audit.models import AuditEvent
from payments.models import Payment, PaymentEvent
from payments.services import mark_expired, reconcile_pending, record_event
from staff.roles import Role
from tenancies.models import TenantAccount
from tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


def make_payment(slug, number, amount_cents=47030, state=Payment.State.PAID, **fields):
    account = TenantAccount.objects.get(landlord__slug=slug, number=number)
    payment = PaymentFactory(
        account=account,
        backend="systempay",
        amount_cents=amount_cents,
        state=state,
        confirmed_at=timezone.now() if state == Payment.State.PAID else None,
        ledger_entry=False,
        **fields,
    )
    record_event(payment, PaymentEvent.Kind.CREATED, result="créé")
    return payment


@pytest.fixture
def accountant(make_staff):
    return make_staff("hmp", Role.ACCOUNTING)


def test_the_list_shows_only_this_landlords_payments_and_filters_them(demo, accountant, agence):
    mine = make_payment("hmp", "000123", 47030)
    small = make_payment("hmp", "000789", 2000, state=Payment.State.FAILED)
    theirs = make_payment("hdf", "590000000012345", 47030)
    client = agence("hmp", accountant)

    page = client.get("/paiements/").text
    assert mine.reference in page and small.reference in page
    assert theirs.reference not in page

    page = client.get("/paiements/", {"etat": "paye", "montant_min": "100,00"}).text
    assert mine.reference in page and small.reference not in page
    page = client.get("/paiements/", {"compte": "000789"}).text
    assert small.reference in page and mine.reference not in page

    page = client.get("/paiements/", {"montant_min": "douze"}).text
    assert "Saisissez un montant en euros, par exemple 470,30." in page
    assert mine.reference not in page


def test_late_payments_are_those_still_in_progress_past_the_expected_time(demo, accountant, agence):
    with freeze_time(NOW - datetime.timedelta(hours=1)):
        late = make_payment("hmp", "000123", state=Payment.State.PENDING)
    with freeze_time(NOW - datetime.timedelta(minutes=5)):
        recent = make_payment("hmp", "000789", state=Payment.State.PENDING)
    client = agence("hmp", accountant)

    with freeze_time(NOW):
        page = client.get("/paiements/", {"etat": "en-retard"}).text
        dashboard = client.get("/").text

    assert late.reference in page and recent.reference not in page
    assert "en cours, au-delà du délai attendu" in page
    assert 'href="/paiements/?etat=en-retard"' in dashboard


def test_another_landlords_payment_answers_404(demo, accountant, agence):
    theirs = make_payment("hdf", "590000000012345")
    client = agence("hmp", accountant)

    assert client.get(f"/paiements/{theirs.pk}/").status_code == 404


def test_the_detail_shows_every_provider_event(demo, accountant, agence):
    payment = make_payment("hmp", "000123", state=Payment.State.PENDING)
    record_event(
        payment,
        PaymentEvent.Kind.NOTIFICATION,
        fields={"vads_trans_status": "AUTHORISED"},
        result="paid: accepté",
    )

    page = agence("hmp", accountant).get(f"/paiements/{payment.pk}/").text

    assert "paiement créé" in page
    assert "notification du prestataire" in page
    assert "vads_trans_status" in page and "AUTHORISED" in page


def test_roles_agent_has_no_payments_screen_customer_relations_no_exports(demo, make_staff, agence):
    payment = make_payment("hmp", "000123")
    agent = agence("hmp", make_staff("hmp", Role.AGENT, agencies=["NORD"]))
    relations = agence("hmp", make_staff("hmp", Role.CUSTOMER_RELATIONS))

    for url in ["/paiements/", f"/paiements/{payment.pk}/", "/paiements/lots/"]:
        assert agent.get(url).status_code == 403
    assert "Paiements" not in agent.get("/").text
    assert relations.get(f"/paiements/{payment.pk}/").status_code == 200
    assert relations.get("/paiements/lots/").status_code == 403
    assert relations.post("/paiements/lots/nouveau/").status_code == 403
    assert payment.__class__.objects.get(pk=payment.pk).export is None


def test_an_accountant_exports_a_batch_once_and_re_exports_it(demo, accountant, agence):
    payment = make_payment("hmp", "000123")
    make_payment("hdf", "590000000012345")  # another landlord's: never in this batch
    client = agence("hmp", accountant)

    response = client.post("/paiements/lots/nouveau/", follow=True)

    assert "Lot 1 créé : 1 paiement(s)." in response.text
    payment.refresh_from_db()
    assert payment.export.number == 1 and payment.export.channel == "espace_agence"
    again = client.post("/paiements/lots/nouveau/", follow=True)
    assert "aucun lot créé" in again.text
    csv = client.get("/paiements/lots/1/paiements.csv")
    assert csv["Content-Disposition"] == 'attachment; filename="paiements-hmp-lot-1.csv"'
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("lot;compte;reference")
    assert len(lines) == 2 and payment.reference in lines[1]
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "actor"))
    assert ("payments.exported", accountant.pk) in actions
    assert ("payments.reexported", accountant.pk) in actions


def test_another_landlords_batch_answers_404(demo, accountant, make_staff, agence):
    make_payment("hdf", "590000000012345")
    agence("hdf", make_staff("hdf", Role.ACCOUNTING)).post("/paiements/lots/nouveau/")
    client = agence("hmp", accountant)

    assert client.get("/paiements/lots/1/").status_code == 404
    assert client.get("/paiements/lots/1/paiements.csv").status_code == 404


def test_the_reconciliation_page_says_what_it_did(demo, accountant, agence):
    with freeze_time(NOW - datetime.timedelta(hours=1)):
        forgotten = make_payment("hmp", "000123", state=Payment.State.CREATED)
        theirs = make_payment("hdf", "590000000012345", state=Payment.State.CREATED)
    with freeze_time(NOW):
        reconcile_pending()
    client = agence("hmp", accountant)

    page = client.get("/paiements/rapprochement/").text
    detail = client.get(f"/paiements/{forgotten.pk}/").text

    assert forgotten.reference in page and "jamais transmis au prestataire" in page
    assert theirs.reference not in page
    assert "(rapprochement)" in detail
    # An expiry by anyone else is not the reconciliation's.
    other = make_payment("hmp", "000789", state=Payment.State.CREATED)
    mark_expired(other, "annulé")
    assert other.reference not in client.get("/paiements/rapprochement/").text
