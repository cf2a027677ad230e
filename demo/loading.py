"""The demo landlords, their agencies and accounts, loaded through the ERP imports."""

import io
import json
import secrets
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from billing.imports import import_ledger
from billing.models import LedgerPeriod
from core import french
from demo.ledger import ledger_csv
from demo.ledger import months as demo_months
from landlords.models import Agency, Landlord, LandlordHost
from payments.models import PaymentProvider
from servicerequests.models import RequestCategory, SavedReply
from tenancies.imports import import_accounts

DATA = Path(__file__).resolve().parent / "data"


def logo_svg(initials: str, color: str) -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" role="img">'
        f'<rect width="96" height="96" rx="16" fill="{color}"/>'
        '<text x="48" y="58" font-family="Arial, sans-serif" font-size="30" font-weight="700" '
        f'fill="#ffffff" text-anchor="middle">{escape(initials)}</text></svg>'
    ).encode()


def load_demo_landlords() -> list[str]:
    """Load the demo landlords that are not there yet; return the names loaded."""
    loaded = []
    for config in json.loads((DATA / "landlords.json").read_text()):
        if not Landlord.objects.filter(slug=config["slug"]).exists():
            with transaction.atomic():
                load_landlord(config)
            loaded.append(config["name"])
        landlord = Landlord.objects.get(slug=config["slug"])
        configure_demo_payments(landlord)
        add_agence_host(landlord)
        add_request_categories(landlord)
    return loaded


def add_agence_host(landlord: Landlord) -> None:
    """The landlord's espace agence, on agence.<slug>.localhost (docs/back-office.md)."""
    LandlordHost.objects.get_or_create(
        hostname=f"agence.{landlord.slug}.localhost",
        defaults={"landlord": landlord, "kind": LandlordHost.Kind.AGENCE, "is_primary": True},
    )


def add_request_categories(landlord: Landlord) -> None:
    """The landlord's request categories and saved replies (docs/requests.md), once."""
    if landlord.request_categories.exists():
        return
    data = json.loads((DATA / "demandes.json").read_text())[landlord.slug]
    categories = {}
    for category in data["categories"]:
        categories[category["name"]] = RequestCategory.objects.create(landlord=landlord, **category)
    for reply in data["saved_replies"]:
        SavedReply.objects.create(
            landlord=landlord,
            category=categories.get(reply["category"]),
            title=reply["title"],
            text=reply["text"],
        )


def configure_demo_payments(landlord: Landlord) -> None:
    """Systempay in TEST mode through the sandbox on the landlord's own host (docs/payments.md)."""
    PaymentProvider.objects.get_or_create(
        landlord=landlord,
        defaults={
            "backend": PaymentProvider.Backend.SYSTEMPAY,
            "shop_id": "12345678",
            # Like Lyra's test keys: 16 digits, random per demo database.
            "key": "".join(secrets.choice("0123456789") for _ in range(16)),
            "mode": PaymentProvider.Mode.TEST,
            "service_url": "/paiement/bac-a-sable/",
        },
    )


def load_landlord(config: dict) -> Landlord:
    config = dict(config)
    agencies = config.pop("agencies")
    hosts = config.pop("hosts")
    initials = config.pop("initials")
    landlord = Landlord(**config, terms_version="2026-01")
    landlord.terms_text = (
        (DATA / "cgu.txt")
        .read_text()
        .replace("{de_bailleur}", landlord.of_name)
        .replace("{Bailleur}", french.capitalize_first(landlord.name_in_sentence))
        .replace("{bailleur}", landlord.name_in_sentence)
    )
    landlord.full_clean()
    landlord.logo.save(
        f"{landlord.slug}.svg", ContentFile(logo_svg(initials, landlord.brand_color))
    )
    for position, hostname in enumerate(hosts):
        LandlordHost.objects.create(landlord=landlord, hostname=hostname, is_primary=position == 0)
    for agency in agencies:
        Agency.objects.create(landlord=landlord, **agency)
    with (DATA / f"{landlord.slug}-comptes.csv").open("rb") as accounts_file:
        report = import_accounts(landlord, accounts_file)
    if report.errors:
        raise ValueError(f"Comptes de démonstration invalides : {report.errors}")
    numbers = list(landlord.accounts.values_list("number", flat=True))
    ledger = ledger_csv(numbers, timezone.localdate()).encode()
    report = import_ledger(landlord, io.BytesIO(ledger))
    if report.errors:
        raise ValueError(f"Écritures de démonstration invalides : {report.errors}")
    close_demo_months(landlord, timezone.localdate())
    return landlord


def close_demo_months(landlord: Landlord, today) -> None:
    """The demo's months are closed, each on the landlord's closing day (never after
    today): the demo shows their notices, issued before their due date."""
    for month in demo_months(today):
        closed_on = min(month.replace(day=landlord.ledger_closing_day), today)
        LedgerPeriod.objects.get_or_create(
            landlord=landlord,
            period=month,
            defaults={
                "closed_on": closed_on,
                "source": LedgerPeriod.Source.IMPORT,
                "file_name": "demo-ecritures.csv",
            },
        )
