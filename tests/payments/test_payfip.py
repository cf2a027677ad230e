"""PayFiP through eopayment's SOAP client, against a local PayFiP over real HTTP."""

import html

import pytest

from billing.models import LedgerEntry
from payments.models import Payment, PaymentEvent
from tests.factories import PaymentProviderFactory
from tests.payments.conftest import notify, pay, signed_in, start_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(payfip, make_account, fake_payfip):
    account, user = make_account(47030, email="jean@exemple.com")
    answer = pay(signed_in(user), account, "470,30")
    return answer, Payment.objects.get()


def test_starting_creates_the_operation_and_sends_the_tenant_to_payfip(started, fake_payfip):
    answer, payment = started

    [(idop, operation)] = fake_payfip.operations.items()
    assert answer.status_code == 302
    assert answer["Location"] == f"https://www.payfip.gouv.fr/tpa/paiementws.web?idop={idop}"
    assert payment.state == Payment.State.PENDING
    assert payment.provider_transaction_id == idop
    assert operation["montant"] == "47030"
    assert operation["refdet"] == payment.reference
    assert operation["numcli"] == "123456"
    assert operation["saisie"] == "T"
    assert operation["mel"] == "jean@exemple.com"
    assert operation["urlnotif"] == "http://hmp.localhost/paiement/notification/"
    assert operation["urlredirect"] == f"http://hmp.localhost/paiement/retour/{payment.reference}/"


def test_the_notification_asks_payfip_for_the_result_then_credits(started, fake_payfip):
    _answer, payment = started
    fake_payfip.settle(payment.provider_transaction_id, "P")

    answer = notify({"idOp": payment.provider_transaction_id})

    assert answer.status_code == 200
    assert fake_payfip.calls[-1] == "recupererDetailPaiementSecurise"
    payment.refresh_from_db()
    assert payment.state == Payment.State.PAID
    assert LedgerEntry.objects.get(reference=payment.reference).amount_cents == -47030


def test_a_refused_card_on_payfip_fails_the_payment(started, fake_payfip):
    _answer, payment = started
    fake_payfip.settle(payment.provider_transaction_id, "R")
    notify({"idOp": payment.provider_transaction_id})

    payment.refresh_from_db()
    assert payment.state == Payment.State.FAILED


def test_a_notification_before_payfip_knows_the_result_changes_nothing(started, fake_payfip):
    _answer, payment = started
    notify({"idOp": payment.provider_transaction_id})

    payment.refresh_from_db()
    assert payment.state == Payment.State.PENDING


def test_payfips_answer_for_another_amount_is_refused(started, fake_payfip):
    _answer, payment = started
    fake_payfip.operations[payment.provider_transaction_id]["montant"] = "100"
    fake_payfip.settle(payment.provider_transaction_id, "P")

    assert notify({"idOp": payment.provider_transaction_id}).status_code == 400
    payment.refresh_from_db()
    assert payment.state == Payment.State.PENDING


def test_an_unknown_idop_is_refused(started, fake_payfip):
    _answer, payment = started
    assert notify({"idOp": "inconnu"}).status_code == 400
    payment.refresh_from_db()
    assert payment.state == Payment.State.PENDING
    assert payment.events.filter(kind=PaymentEvent.Kind.REFUSED_MESSAGE).count() == 0
    assert PaymentEvent.objects.filter(kind=PaymentEvent.Kind.REFUSED_MESSAGE).count() == 1


def test_provider_unreachable_at_start_says_so_and_leaves_nothing_dangling(landlord, make_account):
    PaymentProviderFactory(
        landlord=landlord,
        payfip=True,
        service_url="http://127.0.0.1:9/tpa/services/securite",  # nothing listens there
    )
    account, user = make_account(47030)
    client = signed_in(user)

    answer = pay(client, account, "470,30")

    assert answer.status_code == 302 and answer["Location"] == start_url(account)
    page = client.get(start_url(account))
    text = html.unescape(page.text)
    assert (
        "Le service de paiement ne répond pas. Aucun paiement n'a été effectué : "
        "réessayez dans quelques minutes." in text
    )
    payment = Payment.objects.get()
    assert payment.state == Payment.State.FAILED
    assert payment.events.filter(kind=PaymentEvent.Kind.START_FAILED).exists()
    assert "en cours" not in text
    assert 'href="/mon-compte/compte/' in page.text  # "Payer en ligne" is offered again


def test_payfip_refusing_to_create_the_operation_is_handled_the_same(
    landlord, make_account, fake_payfip
):
    PaymentProviderFactory(
        landlord=landlord,
        payfip=True,
        shop_id="999999",
        service_url=fake_payfip.url,
    )
    account, user = make_account(47030)
    pay(signed_in(user), account, "470,30")

    assert Payment.objects.get().state == Payment.State.FAILED
