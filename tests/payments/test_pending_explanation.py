"""The payment page says what is pending, until when, and why the maximum is lower (issue 15);
a provider unreachable at the start is refused cleanly and counts for nothing (issue 18)."""

import datetime
import html

import pytest
from freezegun import freeze_time

from payments.models import Payment
from payments.services import payable_range, pending_explanation
from tests.factories import PaymentProviderFactory
from tests.payments.conftest import amount_url, pay, signed_in, start_url

pytestmark = pytest.mark.django_db
PARIS = datetime.timezone(datetime.timedelta(hours=1))  # November: UTC+1
STARTED = datetime.datetime(2026, 11, 20, 10, 2, tzinfo=PARIS)


def text_of(page):
    return html.unescape(page.text).replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def pending(systempay, make_account):
    account, user = make_account(36980)
    client = signed_in(user)
    with freeze_time(STARTED):
        pay(client, account, "100,50")
    return account, client


def test_the_payment_page_explains_the_payment_in_progress(pending):
    account, client = pending

    with freeze_time(STARTED + datetime.timedelta(minutes=3)):
        page = text_of(client.get(start_url(account)))

    assert (
        "Un paiement de 100,50 € commencé à 10 h 02 attend la confirmation de la banque ; "
        "s'il n'aboutit pas, il sera annulé à 10 h 32 au plus tard." in page
    )
    assert (
        "Le maximum est de 269,30 € : vous devez 369,80 €, dont un paiement de 100,50 € "
        "en attente de confirmation." in page
    )


def test_the_maximum_under_the_amount_says_why_it_is_lower(pending):
    account, client = pending

    with freeze_time(STARTED + datetime.timedelta(minutes=3)):
        page = text_of(client.get(amount_url(account)))

    assert (
        "Minimum : 20,00 € / Maximum : 269,30 €. Le maximum est de 269,30 € : vous devez "
        "369,80 €, dont un paiement de 100,50 € en attente de confirmation." in page
    )
    assert "commencé à 10 h 02" in page


def test_a_payment_still_unconfirmed_after_the_page_lifetime_says_the_day_limit(pending):
    # Lyra still says "en cours" (RUNNING): the reconciliation keeps it for up to 24 hours.
    payment = Payment.objects.get()

    with freeze_time(STARTED + datetime.timedelta(hours=3)):
        page = pending_explanation(payment).replace("\u202f", " ").replace("\xa0", " ")

    assert "commencé à 10 h 02 attend la confirmation de la banque" in page
    assert "il sera annulé le 21/11/2026 à 10 h 02 au plus tard" in page


def test_the_return_page_explains_the_wait_too(pending):
    _account, client = pending
    payment = Payment.objects.get()

    with freeze_time(STARTED + datetime.timedelta(minutes=1)):
        page = text_of(client.get(f"/paiement/retour/{payment.reference}/"))

    assert "<h1>Paiement en cours de confirmation</h1>" in page
    assert "il sera annulé à 10 h 32 au plus tard" in page


def test_no_explanation_when_nothing_is_pending(systempay, make_account):
    account, user = make_account(36980)
    page = text_of(signed_in(user).get(start_url(account)))
    assert "attend la confirmation" not in page and "Le maximum est de" not in page


def test_provider_unreachable_at_start_is_refused_in_french_and_counts_for_nothing(
    landlord, make_account
):
    PaymentProviderFactory(
        landlord=landlord, payfip=True, service_url="http://127.0.0.1:9/tpa/services/securite"
    )
    account, user = make_account(47030)
    client = signed_in(user)

    pay(client, account, "470,30")

    page = text_of(client.get(start_url(account)))
    assert "Le service de paiement ne répond pas. Aucun paiement n'a été effectué" in page
    assert "attend la confirmation" not in page
    assert payable_range(account) == (2000, 47030)
    assert Payment.objects.get().state == Payment.State.FAILED
