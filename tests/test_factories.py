"""The factories make what their traits say: a test that uses one relies on it."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from billing.statement import account_balance_cents
from documents.services import find_document
from payments.models import Payment, PaymentProvider
from tests.factories import (
    AccessFactory,
    IssuedDocumentFactory,
    LedgerEntryFactory,
    PaymentFactory,
    PaymentProviderFactory,
    RentNoticeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_user_signs_in_with_its_password_and_a_verified_one_has_its_email_confirmed():
    user = UserFactory(email="Jean.Dupond@Exemple.com", password="Loyer-de-novembre")
    verified = UserFactory(verified=True)

    assert user.email == "jean.dupond@exemple.com"
    assert user.check_password("Loyer-de-novembre")
    assert not EmailAddress.objects.filter(user=user).exists()
    assert EmailAddress.objects.get(user=verified, primary=True).verified


def test_staff_with_totp_is_a_superuser_with_an_authenticator():
    staff = UserFactory(staff=True, totp=True)

    assert staff.is_staff and staff.is_superuser
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()


def test_an_access_is_a_verified_login_to_a_signatorys_account():
    access = AccessFactory()

    assert access.user.accounts().get() == access.signatory.lease.account
    assert EmailAddress.objects.get(user=access.user).verified


def test_a_paid_payment_has_its_ledger_line_and_the_other_states_none():
    paid = PaymentFactory(paid=True, amount_cents=20000)
    LedgerEntryFactory(account=paid.account, amount_cents=47030)

    assert paid.state == Payment.State.PAID and paid.confirmed_at
    assert account_balance_cents(paid.account) == 47030 - 20000
    for trait, state in [
        ("pending", Payment.State.PENDING),
        ("failed", Payment.State.FAILED),
        ("expired", Payment.State.EXPIRED),
    ]:
        payment = PaymentFactory(**{trait: True})
        assert payment.state == state
        assert account_balance_cents(payment.account) == 0
    assert PaymentFactory().state == Payment.State.CREATED


def test_a_provider_is_systempay_or_payfip():
    assert PaymentProviderFactory().backend == PaymentProvider.Backend.SYSTEMPAY
    assert PaymentProviderFactory(payfip=True).backend == PaymentProvider.Backend.PAYFIP


def test_documents_belong_to_an_account_and_an_issued_one_can_be_verified():
    notice = RentNoticeFactory()
    document = IssuedDocumentFactory(account__landlord=notice.account.landlord)

    assert notice.account.rent_notices.get() == notice
    assert find_document(document.account.landlord, document.reference) == document
