"""What may be paid: from the landlord's minimum to the balance less the payments in progress."""

import pytest

from payments.models import Payment
from payments.services import payable_range, payments_in_progress
from tests.payments.conftest import amount_url, pay, signed_in, start_url

pytestmark = pytest.mark.django_db


def test_the_range_is_the_minimum_to_the_balance(systempay, make_account):
    account, _user = make_account(47030)
    assert payable_range(account) == (2000, 47030)


def test_a_balance_below_the_minimum_may_be_paid_whole(systempay, make_account):
    account, _user = make_account(1250)
    assert payable_range(account) == (1250, 1250)


def test_without_a_minimum_any_amount_from_one_cent_may_be_paid(systempay, make_account):
    account, user = make_account(47030)
    account.landlord.min_payment_cents = 0
    account.landlord.save()
    assert payable_range(account) == (1, 47030)
    assert "compris entre 0,01" in pay(signed_in(user), account, "0").text
    assert not Payment.objects.exists()


@pytest.mark.parametrize("balance", [0, -1200])
def test_an_account_at_zero_or_in_credit_has_nothing_to_pay_and_says_so(
    systempay, make_account, balance
):
    account, user = make_account(balance)
    assert payable_range(account) == (0, 0)
    page = signed_in(user).get(start_url(account))
    assert "Vous n'avez rien à payer en ligne" in page.text
    assert "Payer en ligne</a>" not in page.text
    assert pay(signed_in(user), account, "20").status_code == 200
    assert not Payment.objects.exists()


def test_payments_in_progress_lower_the_maximum(systempay, make_account):
    account, user = make_account(47030)
    client = signed_in(user)
    pay(client, account, "400")
    assert payable_range(account) == (2000, 7030)
    assert [p.amount_cents for p in payments_in_progress(account)] == [40000]
    page = client.get(start_url(account))
    assert "400,00\xa0€" in page.text and "en cours" in page.text


def test_the_amount_is_prefilled_with_what_is_due_and_the_bounds_are_shown(systempay, make_account):
    account, user = make_account(47030)
    page = signed_in(user).get(amount_url(account))
    assert 'value="470,30"' in page.text
    assert "Minimum : 20,00\xa0€ / Maximum : 470,30\xa0€" in page.text


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("19,99", "Le montant doit être compris entre 20,00\xa0€ et 470,30\xa0€."),
        ("470,31", "Le montant doit être compris entre 20,00\xa0€ et 470,30\xa0€."),
        ("12.345", "Saisissez un montant en euros, par exemple 470,30."),
        ("beaucoup", "Saisissez un montant en euros, par exemple 470,30."),
        ("", "Saisissez le montant à payer."),
    ],
)
def test_an_amount_out_of_bounds_is_refused_next_to_its_field(
    systempay, make_account, amount, message
):
    account, user = make_account(47030)
    page = pay(signed_in(user), account, amount)
    assert page.status_code == 200
    assert message in page.text
    assert 'aria-describedby="id_amount_helptext id_amount-erreur"' in page.text
    assert not Payment.objects.exists()


def test_the_server_rechecks_the_maximum_when_the_page_is_stale(systempay, make_account):
    """The form was valid when shown; a payment made meanwhile leaves less to pay."""
    account, user = make_account(47030)
    pay(signed_in(user), account, "470,30")
    page = pay(signed_in(user), account, "470,30")
    assert "Vous n'avez rien à payer en ligne" in page.text
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "cents"), [("1 234,50", 123450), ("470.3", 47030), ("470 €", 47000)]
)
def test_amounts_are_read_as_french_tenants_type_them(systempay, make_account, amount, cents):
    account, user = make_account(200000)
    pay(signed_in(user), account, amount)
    assert Payment.objects.get().amount_cents == cents
