"""Benchmark of the month's rent notices on PostgreSQL, beside a minimal ReportLab canvas.

Run with `make bench` (a throwaway database), or alone:

    scripts/with-throwaway-postgresql .venv/bin/python -m bench.notices --accounts 2000

Creates N accounts (default 100,000, or BENCH_NOTICE_ACCOUNTS) with last month's notice,
a payment and this month's notice (3 lines), then generates this month's notices as
`manage.py generate_notices` does, with one process per core (as workers would),
and prints the pages per second. Beside it, in the same run, a minimal ReportLab canvas
draws the same notices' text on the same cores: the practical ceiling for a one-page
PDF in Python. Then the time of a first download (a notice not yet rendered), through
the view. Target: 100,000 notices in under 10 minutes on 2 cores; a download under 300 ms.
"""

import argparse
import datetime
import io
import multiprocessing
import os
import statistics
import sys
import tempfile
import time

import django

TARGET_SECONDS = 600
QUICK_ACCOUNTS = 2_000
TARGET_DOWNLOAD_MS = 300
FULL_MONTH = 100_000
PERIOD = datetime.date(2026, 11, 1)
PREVIOUS = datetime.date(2026, 10, 1)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
os.environ["DEBUG"] = "false"
os.environ.setdefault("ALLOWED_HOSTS", "bench.localhost")
os.environ["HTTPS"] = "false"


def with_blanks(model, field_names: list[str], rows):
    """The rows with "" for the model's other text fields (blank, not null): COPY sets no
    defaults."""
    from django.db import models

    blanks = [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.null
        and field.name not in field_names
    ]
    return [*field_names, *blanks], (tuple(row) + ("",) * len(blanks) for row in rows)


def create_accounts(count: int):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from billing.models import LedgerEntry
    from demo.loading import logo_svg
    from landlords.models import Agency, Landlord, LandlordHost
    from tenancies.bulk import insert_rows
    from tenancies.models import Lease, Signatory, TenantAccount

    landlord = Landlord.objects.create(
        slug="bench",
        name="Office public de l'habitat de mesure",
        account_number_pattern=r"\d{8}",
        postal_address="Office public de l'habitat de mesure\n1 rue de la Mesure\n13001 Marseille",
    )
    landlord.logo.save("bench.svg", ContentFile(logo_svg("OPH", landlord.brand_color)))
    LandlordHost.objects.create(landlord=landlord, hostname="bench.localhost", is_primary=True)
    agency = Agency.objects.create(
        landlord=landlord,
        code="A1",
        name="Agence Centre",
        address="2 place de la République",
        postal_code="13001",
        city="Marseille",
        phone="04 00 00 00 00",
    )
    now = timezone.now()
    insert_rows(
        TenantAccount,
        *with_blanks(
            TenantAccount,
            ["landlord_id", "number", "agency_id", "created_at", "updated_at"],
            ((landlord.pk, f"{n:08d}", agency.pk, now, now) for n in range(count)),
        ),
    )
    ids = dict(TenantAccount.objects.filter(landlord=landlord).values_list("number", "pk"))
    insert_rows(
        Lease,
        *with_blanks(
            Lease,
            [
                "account_id",
                "reference",
                "kind",
                "address",
                "address_complement",
                "postal_code",
                "city",
                "start_date",
            ],
            (
                (
                    ids[f"{n:08d}"],
                    f"C{n}",
                    "logement",
                    f"{n % 200} rue de la République",
                    f"Appt {n % 40}",
                    "13001",
                    "Marseille",
                    datetime.date(2015, 1 + n % 12, 1),
                )
                for n in range(count)
            ),
        ),
    )
    leases = dict(Lease.objects.filter(account__landlord=landlord).values_list("account_id", "pk"))
    insert_rows(
        Signatory,
        *with_blanks(
            Signatory,
            [
                "lease_id",
                "position",
                "last_name",
                "first_name",
                "birth_date",
                "email",
                "mobile_phone",
                "landline_phone",
            ],
            (
                (lease, 1, f"N'DIAYE-{pk % 997}", "Hélène", datetime.date(1980, 1, 1), "", "", "")
                for pk, lease in leases.items()
            ),
        ),
    )

    def entries():
        for n in range(count):
            account = ids[f"{n:08d}"]
            rent = 30000 + n % 20000
            for period in (PREVIOUS, PERIOD):
                tag = f"{n}-{period:%Y%m}"
                yield (account, f"{tag}-L", period, "Loyer", "charge", rent, period, "loyer")
                yield (
                    account,
                    f"{tag}-C",
                    period,
                    "Provision pour charges",
                    "charge",
                    5800,
                    period,
                    "charges",
                )
                yield (
                    account,
                    f"{tag}-H",
                    period,
                    "Provision chauffage",
                    "charge",
                    1955,
                    period,
                    "chauffage",
                )
            yield (
                account,
                f"{n}-P",
                PREVIOUS.replace(day=5),
                "Paiement reçu, merci",
                "payment",
                -(rent + 5000),
                PREVIOUS,
                "paiement",
            )

    insert_rows(
        LedgerEntry,
        *with_blanks(
            LedgerEntry,
            [
                "account_id",
                "reference",
                "date",
                "label",
                "kind",
                "amount_cents",
                "period",
                "category",
            ],
            entries(),
        ),
    )
    from billing.models import LedgerPeriod

    # The month is closed: its notices exist (docs/documents.md, periods and versions).
    LedgerPeriod.objects.create(
        landlord=landlord, period=PERIOD, closed_on=PERIOD, source=LedgerPeriod.Source.IMPORT
    )
    return landlord


def generate_share(chunks: list[list[int]]) -> int:
    """One worker process: its share of the month's chunks (like a db_worker)."""
    from django.db import connections

    from documents import generation

    connections.close_all()  # a forked process opens its own connection
    done = sum(generation.generate_chunk(chunk, PERIOD) for chunk in chunks)
    connections.close_all()
    return done


def in_processes(function, shares: list) -> tuple[list, float]:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    start = time.perf_counter()
    with context.Pool(len(shares)) as pool:
        results = pool.map(function, shares)
    return results, time.perf_counter() - start


def reportlab_share(facts_list: list[dict]) -> int:
    """The same notices' text drawn on a bare ReportLab canvas, one PDF each."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from billing.money import format_euros

    for facts in facts_list:
        out = io.BytesIO()
        page = canvas.Canvas(out, pagesize=A4)
        page.setTitle("Avis d'échéance")
        y = 800
        lines = [
            facts["landlord"]["name"],
            *facts["landlord"]["address"],
            "Avis d'échéance de novembre 2026",
            f"{facts['account_number_label']} : {facts['account_number']}",
            f"N° Contrat : {', '.join(facts['lease_references'])}",
            f"Date limite de paiement : {facts['due_date']}",
            "Votre interlocuteur",
            facts["agency"]["name"],
            "Adresse de votre location",
            *facts["tenants"],
            *facts["dwelling"],
            *(f"{line['label']}  {format_euros(line['amount_cents'])}" for line in facts["lines"]),
            f"Solde au {facts['balance_date']}  {format_euros(facts['previous_balance_cents'])}",
            f"Total du mois  {format_euros(facts['total_cents'])}",
            f"Montant à payer  {format_euros(facts['amount_due_cents'])}",
        ]
        for text in lines:
            page.drawString(60, y, text)
            y -= 16
        page.showPage()
        page.save()
    return len(facts_list)


def first_downloads(landlord, samples: int = 6) -> list[float]:
    """Milliseconds of the first download of notices not yet rendered, through the view."""
    from django.test import Client

    from accounts.models import Access, User
    from documents.models import RentNotice
    from tenancies.models import Signatory

    notices = list(RentNotice.objects.filter(period=PERIOD).select_related("account")[:samples])
    timings = []
    for number, notice in enumerate(notices):
        account = notice.account
        notice.pdf.delete(save=False)
        notice.delete()  # as if the month had not been generated for this account
        signatory = Signatory.objects.filter(lease__account=account).first()
        user = User.objects.create_user(f"mesure{number}@exemple.com", "Mesure-de-vitesse-2026")
        Access.objects.create(user=user, signatory=signatory)
        client = Client(HTTP_HOST="bench.localhost")
        client.force_login(user)
        start = time.perf_counter()
        response = client.get(f"/mon-compte/compte/{account.pk}/documents/avis/2026-11.pdf")
        body = b"".join(response.streaming_content)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200 or not body.startswith(b"%PDF-"):
            raise SystemExit(f"first download failed: {response.status_code}")
    return timings


def measure(accounts: int, processes: int) -> dict:
    """Generates `accounts` notices and the same text on ReportLab; the figures."""
    with tempfile.TemporaryDirectory() as var:
        os.environ["VAR_DIR"] = var  # the PDFs go to a temporary media folder
        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from documents import generation, services
        from tenancies.models import TenantAccount

        if connection.vendor != "postgresql":
            raise SystemExit(
                "The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does)."
            )
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        print(f"Creating {accounts:,} accounts and their ledger…", flush=True)
        landlord = create_accounts(accounts)

        pending = generation.pending_account_ids(PERIOD, landlord)
        # Small runs still give every process several chunks (500 accounts at full size).
        generation.CHUNK_SIZE = max(1, min(500, len(pending) // (processes * 4)))
        chunks = generation.chunks(pending)
        shares = [chunks[n::processes] for n in range(processes)]
        print(
            f"Generating {len(pending):,} notices in {len(chunks)} chunks "
            f"with {processes} processes…",
            flush=True,
        )
        done, seconds = in_processes(generate_share, shares)
        pages = sum(done)
        if pages != accounts:
            raise SystemExit(f"{pages} notices generated, {accounts} expected")

        sample_ids = pending[: min(len(pending), 20_000)]
        sample = (
            TenantAccount.objects.filter(pk__in=sample_ids)
            .select_related("landlord", "agency")
            .prefetch_related("leases__signatories")
        )
        entries = generation._entries_by_account(sample_ids, PERIOD)
        closing = landlord.ledger_periods.get(period=PERIOD)
        facts = [
            services.notice_facts(account, entries[account.pk], PERIOD, closing)
            for account in sample
        ]
        drawn, reportlab_seconds = in_processes(
            reportlab_share, [facts[n::processes] for n in range(processes)]
        )
        timings = first_downloads(landlord)
    return {
        "pages": pages,
        "seconds": seconds,
        "rate": pages / seconds,
        "reportlab_rate": sum(drawn) / reportlab_seconds,
        "cold_ms": timings[0],
        "warm_ms": statistics.median(timings[1:]),
    }


def rows(figures: dict) -> list[dict]:
    projected = FULL_MONTH / figures["rate"]
    return [
        {
            "measure": f"rent notices, Typst PDF/A-3a + PDF/UA-1 ({figures['pages']:,} generated)",
            "baseline": "ReportLab canvas, same text",
            "baseline_value": figures["reportlab_rate"],
            "value": figures["rate"],
            "unit": "pages/s",
            "goal": f"100,000 in < {TARGET_SECONDS // 60} min (projected {projected / 60:.1f} min)",
            "met": projected < TARGET_SECONDS,
        },
        {
            "measure": "first download of a notice not yet rendered (median)",
            "baseline": None,
            "baseline_value": None,
            "value": figures["warm_ms"],
            "unit": "ms",
            "goal": f"< {TARGET_DOWNLOAD_MS} ms",
            "met": figures["warm_ms"] < TARGET_DOWNLOAD_MS,
        },
    ]


def run(quick: bool) -> list[dict]:
    """For `python -m bench`: 2,000 notices when quick, else BENCH_NOTICE_ACCOUNTS (100,000)."""
    count = QUICK_ACCOUNTS if quick else int(os.environ.get("BENCH_NOTICE_ACCOUNTS", FULL_MONTH))
    return rows(measure(count, os.cpu_count() or 2))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--accounts",
        type=int,
        default=int(os.environ.get("BENCH_NOTICE_ACCOUNTS", FULL_MONTH)),
        help="accounts to generate notices for (default 100,000)",
    )
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    options = parser.parse_args()
    figures = measure(options.accounts, options.processes)
    print(f"\nPostgreSQL, {os.cpu_count()} cores, {options.processes} processes\n")
    print(f"{'renderer':<34}{'pages':>9}{'seconds':>9}{'pages/s':>9}")
    print(
        f"{'Typst (PDF/A-3a, PDF/UA-1)':<34}{figures['pages']:>9,}"
        f"{figures['seconds']:>9.1f}{figures['rate']:>9.1f}"
    )
    print(f"{'ReportLab canvas, same text':<34}{'':>18}{figures['reportlab_rate']:>9.1f}")
    for row in rows(figures):
        print(
            f"{row['measure']}: {row['value']:.1f} {row['unit']} ({row['goal']}): "
            f"{'met' if row['met'] else 'NOT met'}"
        )
    print(f"(first download of the process, fonts loaded: {figures['cold_ms']:.0f} ms)")
    return 0 if all(row["met"] for row in rows(figures)) else 1


if __name__ == "__main__":
    sys.exit(main())
