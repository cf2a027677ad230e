"""The sandbox speaks Lyra's protocol: signed form in, card, 3-D Secure, signed IPN out."""

import pytest
from django.test import Client

from billing.models import LedgerEntry
from payments.models import Payment
from tests.payments.conftest import checkout_fields, pay, signed_in

pytestmark = pytest.mark.django_db
SANDBOX = "/paiement/bac-a-sable/"


@pytest.fixture
def form_fields(systempay, make_account):
    account, user = make_account(47030)
    return checkout_fields(pay(signed_in(user), account, "470,30"))


def browser():
    return Client(HTTP_HOST="hmp.localhost")


def card_page(client, fields, brand="CB"):
    """Lyra's page: the means of payment first ("Sélectionnez le moyen de paiement"), then
    the card form."""
    methods = client.post(SANDBOX, fields)
    assert methods.status_code == 200, methods.text
    assert "Sélectionnez le moyen de paiement" in methods.text
    page = client.post(SANDBOX + "moyen/", {"token": methods.context["token"], "brand": brand})
    assert page.status_code == 200, page.text
    return page


def submit_card(client, page, number, expiry="12/30", cvv="123"):
    return client.post(
        SANDBOX + "carte/",
        {"token": page.context["token"], "card_number": number, "expiry": expiry, "cvv": cvv},
    )


def test_an_accepted_card_notifies_the_portal_then_returns_the_tenant(
    form_fields, notifications_through_test_client
):
    client = browser()
    page = card_page(client, form_fields)
    assert "470,30" in page.text

    answer = submit_card(client, page, "4970 1000 0000 0003")

    payment = Payment.objects.get()
    assert notifications_through_test_client == [200]
    assert payment.state == Payment.State.PAID
    assert LedgerEntry.objects.filter(reference=payment.reference).exists()
    assert answer.status_code == 302
    assert answer["Location"] == form_fields["vads_url_return"]


def test_a_refused_card_fails_the_payment(form_fields, notifications_through_test_client):
    client = browser()
    submit_card(client, card_page(client, form_fields), "4970100000000014")

    assert Payment.objects.get().state == Payment.State.FAILED


def test_the_3d_secure_card_asks_for_validation_on_the_phone(
    form_fields, notifications_through_test_client
):
    client = browser()
    challenge = submit_card(client, card_page(client, form_fields), "4970100000000055")
    assert "<h1>Validez le paiement sur votre téléphone</h1>" in challenge.text
    assert Payment.objects.get().state == Payment.State.PENDING
    assert notifications_through_test_client == []

    client.post(SANDBOX + "3ds/", {"token": challenge.context["token"], "decision": "validate"})

    assert Payment.objects.get().state == Payment.State.PAID


def test_cancelling_the_3d_secure_step_fails_the_payment(
    form_fields, notifications_through_test_client
):
    client = browser()
    challenge = submit_card(client, card_page(client, form_fields), "4970100000000055")
    client.post(SANDBOX + "3ds/", {"token": challenge.context["token"], "decision": "cancel"})

    assert Payment.objects.get().state == Payment.State.FAILED


@pytest.mark.parametrize(
    ("number", "expiry", "cvv", "message"),
    [
        ("4970100000000099", "12/30", "123", "Carte inconnue du bac à sable"),
        ("4970100000000003", "13/30", "123", "Date au format MM/AA"),
        ("4970100000000003", "01/20", "123", "Cette carte a expiré."),
        ("4970100000000003", "12/30", "12", "Le cryptogramme compte 3 chiffres."),
    ],
)
def test_bad_card_details_are_explained_next_to_their_field(
    form_fields, notifications_through_test_client, number, expiry, cvv, message
):
    client = browser()
    page = submit_card(client, card_page(client, form_fields), number, expiry, cvv)

    assert page.status_code == 200
    assert message in page.text
    assert 'aria-invalid="true"' in page.text
    assert notifications_through_test_client == []
    assert Payment.objects.get().state == Payment.State.PENDING


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"vads_amount": "1"}, "Signature invalide"),
        ({"signature": "x"}, "Signature invalide"),
        ({"vads_site_id": "87654321"}, "Boutique inconnue"),
        ({"vads_trans_id": ""}, "Champs manquants"),
    ],
)
def test_the_sandbox_refuses_a_form_that_is_not_signed_by_the_shop(form_fields, change, reason):
    page = browser().post(SANDBOX, {**form_fields, **change})
    assert page.status_code == 400
    assert reason in page.text


def test_a_tampered_card_page_token_is_refused(form_fields, notifications_through_test_client):
    client = browser()
    page = card_page(client, form_fields)
    answer = client.post(
        SANDBOX + "carte/",
        {"token": page.context["token"] + "x", "card_number": "4970100000000003"},
    )
    assert answer.status_code == 404
    assert notifications_through_test_client == []


def test_the_sandbox_is_off_unless_the_setting_is_on(form_fields, settings):
    settings.PAYMENT_SANDBOX = False
    assert browser().post(SANDBOX, form_fields).status_code == 404
    # Every URL, whatever the method: a 405 would tell that the sandbox is there.
    for path in (SANDBOX, SANDBOX + "carte/", SANDBOX + "3ds/"):
        assert browser().get(path).status_code == 404
        assert browser().post(path).status_code == 404
