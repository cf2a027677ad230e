"""Factories of every model the tests create, with traits for the states that matter.

UserFactory(verified=True) has a verified email (it can sign in), staff=True is a
superuser of the back office, totp=True has an authenticator; PaymentFactory(pending=True),
(paid=True) (with its ledger line, as mark_paid writes it), (failed=True), (expired=True);
PaymentProviderFactory is Systempay in TEST mode, (payfip=True) PayFiP;
StaffMemberFactory is an administrator, (agent=True), (customer_relations=True),
(accounting=True) the other roles, (totp=True) with an authenticator whose secret is
`member.user.totp_secret`; NewsItemFactory is a draft for every tenant, (published=True),
(scheduled=True); ImportRunFactory is queued, (running=True), (succeeded=True),
(refused=True), (failed=True); HeartbeatFactory is a worker seen now, (stale=True) long ago.

Tests create their rows here, never with `Model.objects.create(...)`
(tests/test_consistency.py checks it).
"""

import datetime
import secrets

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Access, NewsConsent, TermsAcceptance, User
from billing.models import LedgerEntry, LedgerPeriod
from core.allauth_bridge import TOTP, generate_totp_secret
from documents.issued import new_reference, reference_digest
from documents.models import IssuedDocument, RentNotice
from imports.models import ImportRun
from landlords.models import Agency, Landlord, LandlordHost
from news.models import NewsItem
from notifications.models import PushSubscription
from payments.lifecycle import PAYMENT_CATEGORY, PAYMENT_LABEL
from payments.models import Payment, PaymentProvider
from staff.models import StaffMember
from staff.roles import Role
from tenancies.models import Lease, Signatory, TenantAccount
from workers.models import Heartbeat


class LandlordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Landlord
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"bailleur{n}")
    name = factory.Sequence(lambda n: f"Office de l'habitat n°{n}")
    account_number_pattern = r"\d{6}"

    @factory.post_generation
    def host(landlord, create, extracted, **kwargs):
        """Its own host, "<slug>.localhost", unless host=False."""
        if create and extracted is not False:
            LandlordHostFactory(
                landlord=landlord,
                hostname=extracted or f"{landlord.slug}.localhost",
                is_primary=True,
            )


class LandlordHostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LandlordHost

    landlord = factory.SubFactory(LandlordFactory, host=False)
    hostname = factory.Sequence(lambda n: f"site{n}.localhost")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    landlord = factory.SubFactory(LandlordFactory)
    code = factory.Sequence(lambda n: f"AG{n}")
    name = "Agence Centre"
    address = "1 place de la Mairie"
    postal_code = "13001"
    city = "Marseille"
    phone = "04 65 71 00 09"
    email = "agence@exemple.fr"


class TenantAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TenantAccount

    landlord = factory.SubFactory(LandlordFactory)
    number = factory.Sequence(lambda n: f"{n:06d}")


class LeaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lease

    account = factory.SubFactory(TenantAccountFactory)
    reference = factory.Sequence(lambda n: f"C-{n}")
    address = "3 rue du Port"
    postal_code = "13002"
    city = "Marseille"
    start_date = datetime.date(2020, 1, 1)


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    lease = factory.SubFactory(LeaseFactory)
    last_name = "DUPOND"
    first_name = "Jean"
    birth_date = datetime.date(1975, 9, 10)


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    account = factory.SubFactory(TenantAccountFactory)
    reference = factory.Sequence(lambda n: f"E{n}")
    date = datetime.date(2026, 11, 1)
    label = "Loyer"
    kind = LedgerEntry.Kind.CHARGE
    amount_cents = 41230


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"locataire{n}@exemple.com")
    password = "x"

    class Params:
        staff = factory.Trait(is_staff=True, is_superuser=True)
        verified = factory.Trait(
            verified_email=factory.RelatedFactory(
                "tests.factories.EmailAddressFactory",
                factory_related_name="user",
                email=factory.SelfAttribute("..email"),
            )
        )

    @classmethod
    def _create(cls, model_class, *args, email, password, **kwargs):
        # The manager lower-cases the email and hashes the password, as sign-up does.
        return model_class.objects.create_user(email, password, **kwargs)

    @factory.post_generation
    def totp(user, create, extracted, **kwargs):
        """An authenticator app (two-step verification), with totp=True."""
        if create and extracted:
            user.totp_secret = generate_totp_secret()
            TOTP.activate(user, user.totp_secret)


class EmailAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailAddress

    user = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("user.email")
    primary = True
    verified = True


class AccessFactory(factory.django.DjangoModelFactory):
    """A signatory's login."""

    class Meta:
        model = Access

    user = factory.SubFactory(UserFactory, verified=True)
    signatory = factory.SubFactory(SignatoryFactory)


class TermsAcceptanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsAcceptance

    user = factory.SubFactory(UserFactory)
    landlord = factory.SubFactory(LandlordFactory)
    version = "2026-01"


class NewsConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsConsent

    user = factory.SubFactory(UserFactory)
    landlord = factory.SubFactory(LandlordFactory)
    granted = True


class PaymentProviderFactory(factory.django.DjangoModelFactory):
    """Systempay in TEST mode through the portal's sandbox; payfip=True for PayFiP."""

    class Meta:
        model = PaymentProvider

    landlord = factory.SubFactory(LandlordFactory)
    backend = PaymentProvider.Backend.SYSTEMPAY
    shop_id = "12345678"
    key = "1122334455667788"
    mode = PaymentProvider.Mode.TEST
    service_url = "/paiement/bac-a-sable/"

    class Params:
        payfip = factory.Trait(
            backend=PaymentProvider.Backend.PAYFIP, shop_id="123456", key="", service_url=""
        )


class PaymentFactory(factory.django.DjangoModelFactory):
    """Created (never handed to the provider); a trait for each later state."""

    class Meta:
        model = Payment
        skip_postgeneration_save = True

    account = factory.SubFactory(TenantAccountFactory)
    user = None
    backend = PaymentProvider.Backend.SYSTEMPAY
    amount_cents = 47030

    class Params:
        pending = factory.Trait(
            state=Payment.State.PENDING,
            provider_transaction_id=factory.Sequence(lambda n: f"T{n:06d}"),
        )
        paid = factory.Trait(
            state=Payment.State.PAID,
            provider_transaction_id=factory.Sequence(lambda n: f"T{n:06d}"),
            confirmed_at=factory.LazyFunction(timezone.now),
        )
        failed = factory.Trait(state=Payment.State.FAILED)
        expired = factory.Trait(state=Payment.State.EXPIRED)

    @factory.post_generation
    def ledger_entry(payment, create, extracted, **kwargs):
        """A paid payment has its ledger line, as mark_paid writes it (not with
        ledger_entry=False: a payment whose line the ERP has not sent back yet)."""
        if create and extracted is not False and payment.state == Payment.State.PAID:
            LedgerEntryFactory(
                account=payment.account,
                reference=payment.reference,
                date=timezone.localdate(payment.confirmed_at),
                label=PAYMENT_LABEL,
                kind=LedgerEntry.Kind.PAYMENT,
                amount_cents=-payment.amount_cents,
                category=PAYMENT_CATEGORY,
            )


class RentNoticeFactory(factory.django.DjangoModelFactory):
    """An imported notice (its PDF is the ERP's); facts and amounts only when generated."""

    class Meta:
        model = RentNotice

    account = factory.SubFactory(TenantAccountFactory)
    period = datetime.date(2026, 11, 1)
    source = RentNotice.Source.IMPORTED


class IssuedDocumentFactory(factory.django.DjangoModelFactory):
    """A reçu by default (kind=IssuedDocument.Kind.QUITTANCE or CERTIFICATE for the others)."""

    class Meta:
        model = IssuedDocument

    account = factory.SubFactory(TenantAccountFactory)
    kind = IssuedDocument.Kind.RECEIPT
    period = datetime.date(2026, 11, 1)
    reference = factory.LazyFunction(new_reference)
    reference_digest = factory.LazyAttribute(lambda d: reference_digest(d.reference))
    fingerprint = factory.LazyFunction(lambda: secrets.token_hex(32))
    facts = factory.Dict({})


class LedgerPeriodFactory(factory.django.DjangoModelFactory):
    """A closed month of the landlord's ledger (its notices exist), closed on its 1st."""

    class Meta:
        model = LedgerPeriod
        django_get_or_create = ("landlord", "period")

    landlord = factory.SubFactory(LandlordFactory)
    period = datetime.date(2026, 11, 1)
    closed_on = factory.LazyAttribute(lambda closing: closing.period)
    source = LedgerPeriod.Source.IMPORT


class StaffMemberFactory(factory.django.DjangoModelFactory):
    """An administrator of the landlord's team with a verified email; agencies=[...] for
    an agent's agencies."""

    class Meta:
        model = StaffMember
        skip_postgeneration_save = True

    user = factory.SubFactory(
        UserFactory,
        verified=True,
        email=factory.Sequence(lambda n: f"equipe{n}@exemple.fr"),
        first_name="Camille",
        last_name="AGENT",
    )
    landlord = factory.SubFactory(LandlordFactory)
    role = Role.ADMINISTRATOR

    class Params:
        agent = factory.Trait(role=Role.AGENT)
        customer_relations = factory.Trait(role=Role.CUSTOMER_RELATIONS)
        accounting = factory.Trait(role=Role.ACCOUNTING)
        totp = factory.Trait(user__totp=True)

    @factory.post_generation
    def agencies(member, create, extracted, **kwargs):
        if create and extracted:
            member.agencies.set(extracted)


class NewsItemFactory(factory.django.DjangoModelFactory):
    """A draft for all the landlord's tenants."""

    class Meta:
        model = NewsItem

    landlord = factory.SubFactory(LandlordFactory)
    audience = NewsItem.Audience.LANDLORD
    title = factory.Sequence(lambda n: f"Actualité n°{n}")
    body = "Coupure d'eau mardi matin."

    class Params:
        published = factory.Trait(
            state=NewsItem.State.PUBLISHED, publish_at=factory.LazyFunction(timezone.now)
        )
        scheduled = factory.Trait(
            state=NewsItem.State.PUBLISHED,
            publish_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7)),
        )


class ImportRunFactory(factory.django.DjangoModelFactory):
    """A ledger file waiting for its import (queued); a trait for each later state."""

    class Meta:
        model = ImportRun

    landlord = factory.SubFactory(LandlordFactory)
    kind = ImportRun.Kind.LEDGER
    file_name = "ecritures.csv"
    size_bytes = 100

    class Params:
        running = factory.Trait(state=ImportRun.State.RUNNING)
        succeeded = factory.Trait(state=ImportRun.State.SUCCEEDED)
        refused = factory.Trait(state=ImportRun.State.REFUSED)
        failed = factory.Trait(state=ImportRun.State.FAILED)


class HeartbeatFactory(factory.django.DjangoModelFactory):
    """A background worker seen just now; (stale=True) not seen for an hour."""

    class Meta:
        model = Heartbeat

    worker_id = factory.Sequence(lambda n: f"worker-{n}")
    hostname = "machine-1"
    pid = factory.Sequence(lambda n: 1000 + n)
    started_at = factory.LazyFunction(timezone.now)
    seen_at = factory.LazyFunction(timezone.now)

    class Params:
        stale = factory.Trait(
            seen_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
        )


class PushSubscriptionFactory(factory.django.DjangoModelFactory):
    """A device's Web Push subscription; pass a local push service's subscription as
    `browser` (tests/notifications/push_service.py) for its endpoint and keys."""

    class Meta:
        model = PushSubscription
        exclude = ["browser"]

    browser = None
    user = factory.SubFactory(UserFactory)
    landlord = factory.SubFactory(LandlordFactory)
    endpoint = factory.LazyAttribute(lambda o: o.browser.to_json()["endpoint"])
    p256dh = factory.LazyAttribute(lambda o: o.browser.to_json()["keys"]["p256dh"])
    auth = factory.LazyAttribute(lambda o: o.browser.to_json()["keys"]["auth"])
    device = "Chrome sur Android"
