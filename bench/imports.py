"""Benchmark of the ERP imports on PostgreSQL, beside PostgreSQL's own COPY.

Run with `make bench` (a throwaway database; `python -m bench` runs every benchmark) or
alone with `python -m bench.imports`. Generates 100,000 accounts and 1,200,000 ledger
lines (BENCH_QUICK=1: 5,000 accounts, the time projected to 100,000), imports them,
re-imports them (nothing changes), and COPYs the same files into bare tables: the ratio
says how far the import is from the fastest PostgreSQL can load those rows. It also
prints the COPY of the rows the import wrote into fresh tables like the portal's (keys,
indexes, foreign keys): the ceiling of any import that stores them. Goals (issue
16): both files in under 60 s, accounts at least 5 % of COPY's rows/s, ledger at least 20 %.
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

import django

FULL_ACCOUNTS = 100_000
QUICK_ACCOUNTS = 5_000
ENTRIES_PER_ACCOUNT = 12
TARGET_SECONDS = 60
# The import's rows/s as a share of COPY's, at least.
GOAL_SHARE_OF_COPY = {"accounts": 0.05, "ledger": 0.20}

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
os.environ["DEBUG"] = "false"


def write_accounts(path: Path, rng: random.Random, accounts: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "compte;agence;contrat;type_bien;adresse;complement_adresse;code_postal;ville;"
            "date_entree;date_sortie;nom_1;prenom_1;date_naissance_1;email_1;mobile_1;fixe_1;"
            "nom_2;prenom_2;date_naissance_2;email_2;mobile_2;fixe_2\n"
        )
        for n in range(accounts):
            born = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1940, 2000)}"
            second = (
                f"MARTIN;Léa;{rng.randint(1, 28):02d}/05/1980;;07 5{n:07d};"
                if n % 3 == 0
                else ";;;;;"
            )
            out.write(
                f"{n:08d};A1;C{n};logement;{n % 200} rue de la République;Appt {n % 40};"
                f"13001;Marseille;01/0{1 + n % 9}/2015;;DUPOND-{n % 997};Jean;{born};"
                f"locataire{n}@exemple.fr;06 1{n:07d};;{second}\n"
            )


def write_ledger(path: Path, accounts: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("compte;reference;date;libelle;type;montant;periode;rubrique\n")
        for n in range(accounts):
            for month in range(1, ENTRIES_PER_ACCOUNT // 2 + 1):
                rent = 30000 + n % 20000
                out.write(
                    f"{n:08d};{n}-{month}-L;01/{month:02d}/2026;Loyer et charges;charge;"
                    f"{rent // 100},{rent % 100:02d};{month:02d}/2026;loyer\n"
                    f"{n:08d};{n}-{month}-P;05/{month:02d}/2026;Paiement reçu, merci;paiement;"
                    f"-{rent // 100},{rent % 100:02d};{month:02d}/2026;paiement\n"
                )


def timed(action):
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    return result, seconds


def copy_bare(path: Path, table: str) -> float:
    from django.db import connection

    header = path.open(encoding="utf-8").readline().strip().split(";")
    columns = ", ".join(f"{name} text" for name in header)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} ({columns})")
    start = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)"
        ) as copy,
        path.open("rb") as data,
    ):
        while chunk := data.read(1 << 20):
            copy.write(chunk)
    return time.perf_counter() - start


def copy_into_portal_tables(tables: list[str]) -> float:
    """Seconds to COPY the rows the import wrote into fresh tables like the portal's (same
    columns, keys, indexes and foreign keys): what PostgreSQL needs to store them at all,
    against the bare table's COPY of text columns."""
    from django.db import connection

    dumps = []
    with connection.cursor() as cursor:
        for table in tables:
            data = bytearray()
            with cursor.cursor.copy(f"COPY {table} TO STDOUT") as copy:
                for chunk in copy:
                    data += chunk
            clone = f"bench_portal_{table}"
            cursor.execute(
                f"DROP TABLE IF EXISTS {clone}; CREATE TABLE {clone} (LIKE {table} INCLUDING ALL)"
            )
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            for (definition,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {clone} ADD {definition}")
            dumps.append((clone, bytes(data)))
        start = time.perf_counter()
        for clone, data in dumps:
            with cursor.cursor.copy(f"COPY {clone} FROM STDIN") as copy:
                copy.write(data)
        seconds = time.perf_counter() - start
        cursor.execute("DROP TABLE " + ", ".join(clone for clone, _data in dumps))
    return seconds


PORTAL_TABLES = {
    "accounts": ["tenancies_tenantaccount", "tenancies_lease", "tenancies_signatory"],
    "ledger": ["billing_ledgerentry"],
}


def run(quick: bool) -> list[dict]:
    """Import both files and COPY them; one row per measure (see bench/__main__.py)."""
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from billing.imports import import_ledger
    from landlords.models import Agency, Landlord
    from tenancies.imports import import_accounts

    if connection.vendor != "postgresql":
        raise RuntimeError("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
    accounts = int(os.environ.get("BENCH_ACCOUNTS", QUICK_ACCOUNTS if quick else FULL_ACCOUNTS))
    call_command("migrate", verbosity=0)
    landlord = Landlord.objects.create(
        slug="bench-imports", name="Bailleur de mesure", account_number_pattern=r"\d{8}"
    )
    Agency.objects.create(
        landlord=landlord, code="A1", name="Agence", address="1 rue", postal_code="13001", city="M"
    )
    rng = random.Random(2026)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        accounts_file, ledger_file = Path(folder, "comptes.csv"), Path(folder, "ecritures.csv")
        write_accounts(accounts_file, rng, accounts)
        write_ledger(ledger_file, accounts)
        rows = {"accounts": accounts, "ledger": accounts * ENTRIES_PER_ACCOUNT}
        files = {"accounts": accounts_file, "ledger": ledger_file}
        importers = {"accounts": import_accounts, "ledger": import_ledger}
        print(f"PostgreSQL, {os.cpu_count()} cores; rows per second (higher is better)\n")
        print(
            f"{'file':<10}{'rows':>11}{'import s':>10}{'rows/s':>10}{'again s':>9}"
            f"{'COPY s':>8}{'COPY rows/s':>13}{'vs COPY':>13}{'COPY portal s':>15}"
            f"{'vs portal':>15}"
        )
        total = 0.0
        for name in ("accounts", "ledger"):
            with files[name].open("rb") as stream:
                report, seconds = timed(lambda s=stream, n=name: importers[n](landlord, s))
            if report.errors or report.created != rows[name]:
                raise RuntimeError(f"{name}: import failed: {report.errors[:5]}")
            with files[name].open("rb") as stream:
                again, again_seconds = timed(lambda s=stream, n=name: importers[n](landlord, s))
            if again.unchanged != rows[name]:
                raise RuntimeError(f"{name}: the second import changed rows: {again.summary}")
            copy_seconds = copy_bare(files[name], f"bench_bare_{name}")
            portal_seconds = copy_into_portal_tables(PORTAL_TABLES[name])
            total += seconds
            print(
                f"{name:<10}{rows[name]:>11,}{seconds:>10.1f}{rows[name] / seconds:>10,.0f}"
                f"{again_seconds:>9.1f}{copy_seconds:>8.1f}{rows[name] / copy_seconds:>13,.0f}"
                f"{copy_seconds / seconds:>13.1%}{portal_seconds:>15.2f}"
                f"{portal_seconds / seconds:>15.1%}"
            )
            share = GOAL_SHARE_OF_COPY[name]
            results.append(
                {
                    "measure": f"import {name} ({rows[name]:,} rows)",
                    "baseline": "PostgreSQL COPY",
                    "baseline_value": rows[name] / copy_seconds,
                    "value": rows[name] / seconds,
                    "unit": "rows/s",
                    "goal": f">= {share:.0%} of COPY",
                    "met": rows[name] / seconds >= share * rows[name] / copy_seconds,
                }
            )
    projected = total * FULL_ACCOUNTS / accounts
    label = "both files, 100,000 accounts" + ("" if accounts == FULL_ACCOUNTS else " (projected)")
    results.append(
        {
            "measure": f"import {label}",
            "baseline": None,
            "baseline_value": None,
            "value": projected,
            "unit": "s",
            "goal": f"< {TARGET_SECONDS} s",
            "met": projected < TARGET_SECONDS,
        }
    )
    return results


def main() -> int:
    results = run(quick=os.environ.get("BENCH_QUICK") == "1")
    return 0 if all(result["met"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
