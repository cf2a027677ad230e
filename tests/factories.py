import datetime

import factory

from billing.models import LedgerEntry
from landlords.models import Agency, Landlord, LandlordHost
from tenancies.models import Lease, Signatory, TenantAccount


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
            LandlordHost.objects.create(
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
