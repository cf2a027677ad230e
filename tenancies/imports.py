"""Import of tenant accounts, their current lease and its signatories from the ERP.

Format: docs/imports.md. Upsert keyed by landlord + account number; a file with any
bad line imports nothing.
"""

import operator
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, BinaryIO

from django.db import transaction
from django.utils import timezone

from landlords.models import Landlord
from tenancies.bulk import Copies, insert_rows, insert_rows_returning_ids
from tenancies.erpfiles import (
    ImportFileError,
    ImportReport,
    LinesRefused,
    RowReader,
    Table,
    collector_paused,
    normalize_header,
    open_table,
)
from tenancies.models import Lease, Signatory, TenantAccount, Typology, identity_key

ACCOUNT_COLUMNS = {
    "compte",
    "agence",
    "contrat",
    "type_bien",
    "adresse",
    "complement_adresse",
    "code_postal",
    "ville",
    "date_entree",
    "date_sortie",
    # Printed on the rent notice (optional).
    "tiers",
    "formule",
    # Mon logement (all optional).
    "typologie",
    "surface",
    "etage",
    "residence",
    "annexes",
    "gardien",
    "telephone_gardien",
    "numero_urgence",
}
# A signatory's columns (nom_1, prenom_1…), in this order.
SIGNATORY_PARTS = ("nom", "prenom", "date_naissance", "email", "mobile", "fixe")
SIGNATORY_COLUMN = re.compile(rf"({'|'.join(SIGNATORY_PARTS)})_([1-9])")
REQUIRED_COLUMNS = [
    "compte",
    "contrat",
    "adresse",
    "code_postal",
    "ville",
    "date_entree",
    "nom_1",
    "prenom_1",
    "date_naissance_1",
]
LEASE_KINDS = {kind.value: kind.value for kind in Lease.Kind}
LEASE_FIELDS = ["kind", "address", "address_complement", "postal_code", "city"]
LEASE_FIELDS += ["start_date", "end_date", "third_party_number", "billing_formula"]
DWELLING_FIELDS = {
    "typology": "typologie",
    "surface": "surface",
    "floor": "etage",
    "residence": "residence",
    "annexes": "annexes",
    "caretaker_name": "gardien",
    "caretaker_phone": "telephone_gardien",
    "emergency_phone": "numero_urgence",
}
LEASE_FIELDS += list(DWELLING_FIELDS)
# Mon logement when the line says nothing of it.
NO_DWELLING = {name: "" for name in DWELLING_FIELDS} | {"surface": None, "floor": None}
LEASE_ROW = ["account_id", "reference", *LEASE_FIELDS]
# Optional columns: a file without them leaves what is stored untouched.
OPTIONAL_LEASE_COLUMNS = {
    "kind": "type_bien",
    "address_complement": "complement_adresse",
    "end_date": "date_sortie",
    "third_party_number": "tiers",
    "billing_formula": "formule",
    **DWELLING_FIELDS,
}
TYPOLOGIES = {typology.value.lower(): typology.value for typology in Typology}
GROUND_FLOOR = {"rdc", "rez_de_chaussee"}
SIGNATORY_FIELDS = ["position", "last_name", "first_name", "email", "mobile_phone"]
SIGNATORY_FIELDS += ["landline_phone"]
SIGNATORY_COLUMNS = [*SIGNATORY_FIELDS, "birth_date"]
# A signatory's or a lease's values in the order of SIGNATORY_COLUMNS, LEASE_FIELDS.
_signatory_values = operator.itemgetter(*SIGNATORY_COLUMNS)
_lease_values = operator.itemgetter(*LEASE_FIELDS)
OPTIONAL_SIGNATORY_COLUMNS = {"email": "email", "mobile_phone": "mobile", "landline_phone": "fixe"}
ACCOUNT_ROW = ["landlord_id", "number", "agency_id", "created_at", "updated_at"]
# New accounts handed to PostgreSQL at a time (with their leases and signatories).
BATCH_ACCOUNTS = 2_000


@dataclass
class AccountRow:
    number: str
    agency_id: int | None
    lease_reference: str
    lease: dict
    signatories: list[dict] = field(default_factory=list)


def is_known_column(name: str) -> bool:
    return name in ACCOUNT_COLUMNS or SIGNATORY_COLUMN.fullmatch(name) is not None


def import_accounts(
    landlord: Landlord,
    stream: BinaryIO,
    *,
    encoding: str = "auto",
    progress: bool = False,
    on_progress=None,
) -> ImportReport:
    report = ImportReport()
    agencies = dict(landlord.agencies.values_list("code", "id"))
    with collector_paused():
        table = open_table(
            stream,
            is_known_column=is_known_column,
            required_columns=REQUIRED_COLUMNS,
            report=report,
            encoding=encoding,
            progress=progress,
            on_progress=on_progress,
        )
        try:
            with transaction.atomic():
                # One import at a time per landlord: a second one waits for this one to finish.
                Landlord.objects.select_for_update().filter(pk=landlord.pk).exists()
                stored = _Stored(landlord)
                rows, created = _read(landlord, table, agencies, stored, report)
                _write(rows, stored, set(table.columns), report)
                report.created += created
        except LinesRefused:
            pass
    return report


class _Stored:
    """The landlord's accounts, leases and signatories as they are before the import, as
    plain values (a model instance is made only for what changes)."""

    def __init__(self, landlord: Landlord):
        self.accounts: dict[str, tuple[int, int | None]] = {
            number: (pk, agency_id)
            for number, pk, agency_id in TenantAccount.objects.filter(
                landlord=landlord
            ).values_list("number", "pk", "agency_id")
        }
        self.leases_by_account: defaultdict[int, list[dict]] = defaultdict(list)
        for lease in Lease.objects.filter(account__landlord=landlord).values(
            "pk", "account_id", "reference", *LEASE_FIELDS
        ):
            self.leases_by_account[lease["account_id"]].append(lease)
        self.signatories: defaultdict[int, list[dict]] = defaultdict(list)
        for signatory in Signatory.objects.filter(lease__account__landlord=landlord).values(
            "pk", "lease_id", *SIGNATORY_COLUMNS
        ):
            self.signatories[signatory["lease_id"]].append(signatory)


def _read(
    landlord: Landlord,
    table: Table,
    agencies: dict,
    stored: _Stored,
    report: ImportReport,
) -> tuple[list[AccountRow], int]:
    """Check every line: the lines of stored accounts, compared once the file is read, and
    how many accounts are new. New accounts are handed to Copies a batch at a time as the
    lines are read, so that PostgreSQL stores them while the next lines are checked; the
    first bad line stops the writing, the others are still checked for the report, then the
    transaction is rolled back (LinesRefused: all or nothing)."""
    names = table.columns
    positions = sorted(
        {int(match[2]) for name in names if (match := SIGNATORY_COLUMN.fullmatch(name))}
    )
    signatory_columns = [
        (position, tuple(f"{part}_{position}" for part in SIGNATORY_PARTS))
        for position in positions
    ]
    today = timezone.localdate()
    first_line_of: dict[str, int] = {}
    rows: list[AccountRow] = []
    batch: list[AccountRow] = []
    created = 0
    with Copies(TenantAccount, Lease, Signatory) as copies:
        for line, fields in table.rows:
            values = dict(zip(names, fields, strict=True))
            row = _parse_row(landlord, values, agencies, signatory_columns, today)
            if isinstance(row, str):
                report.error(line, row)
            elif row.number in first_line_of:
                report.error(
                    line, f"compte « {row.number} » déjà présent ligne {first_line_of[row.number]}"
                )
            else:
                first_line_of[row.number] = line
                if row.number in stored.accounts:
                    rows.append(row)
                    continue
                created += 1
                if not report.errors:
                    batch.append(row)
                    if len(batch) == BATCH_ACCOUNTS:
                        _insert_new(landlord, batch, copies)
                        batch = []
        if report.errors:
            raise LinesRefused
        if not first_line_of:
            raise ImportFileError("Le fichier ne contient aucune ligne de données.")
        _insert_new(landlord, batch, copies)
    return rows, created


def _insert_new(landlord: Landlord, rows: list[AccountRow], copies: Copies) -> None:
    """Hand over new accounts, each with its lease and signatories."""
    if not rows:
        return
    now = timezone.now()
    accounts = [(landlord.pk, row.number, row.agency_id, now, now) for row in rows]
    account_ids = copies.keys(TenantAccount, len(rows))
    lease_ids = copies.keys(Lease, len(rows))
    if account_ids is None or lease_ids is None:  # not PostgreSQL: bulk_create tells them
        account_ids = insert_rows_returning_ids(TenantAccount, ACCOUNT_ROW, accounts)
        leases = [_lease_row(pk, row) for pk, row in zip(account_ids, rows, strict=True)]
        lease_ids = insert_rows_returning_ids(Lease, LEASE_ROW, leases)
    else:
        copies.insert(
            TenantAccount,
            ["id", *ACCOUNT_ROW],
            [(pk, *account) for pk, account in zip(account_ids, accounts, strict=True)],
        )
        copies.insert(
            Lease,
            ["id", *LEASE_ROW],
            [
                (lease_id, *_lease_row(account_id, row))
                for lease_id, account_id, row in zip(lease_ids, account_ids, rows, strict=True)
            ],
        )
    copies.insert(
        Signatory,
        ["lease_id", *SIGNATORY_COLUMNS],
        [
            (lease_id, *_signatory_values(values))
            for lease_id, row in zip(lease_ids, rows, strict=True)
            for values in row.signatories
        ],
    )


def _parse_row(
    landlord: Landlord,
    values: dict[str, str],
    agencies: dict,
    signatory_columns: list[tuple[int, tuple[str, ...]]],
    today: date,
) -> AccountRow | str:
    """The row, or the French description of everything wrong with it
    (`signatory_columns`: each signatory's number the file has columns for, and their
    names, as in SIGNATORY_PARTS)."""
    r = RowReader(values)
    number = r.text("compte", 32)
    if number and not landlord.account_number_is_valid(number):
        hint = f" ({landlord.account_number_help})" if landlord.account_number_help else ""
        r.problems.append(
            f"compte : « {number} » ne respecte pas le format du "
            f"{landlord.account_number_label.lower()}{hint}"
        )
    agency_code = r.text("agence", 20, required=False)
    if agency_code and agency_code not in agencies:
        r.problems.append(f"agence : code « {agency_code} » inconnu pour ce bailleur")
    lease: dict[str, Any] = {
        "kind": r.choice("type_bien", LEASE_KINDS, required=False) or Lease.Kind.DWELLING,
        "address": r.text("adresse", 200),
        "address_complement": r.text("complement_adresse", 200, required=False),
        "postal_code": r.text("code_postal", 10),
        "city": r.text("ville", 100),
        "start_date": r.date("date_entree"),
        "end_date": r.date("date_sortie", required=False),
        "third_party_number": r.text("tiers", 32, required=False),
        "billing_formula": r.text("formule", 32, required=False),
    }
    lease.update(_dwelling(r, values))
    if lease["start_date"] and lease["end_date"] and lease["end_date"] < lease["start_date"]:
        r.problems.append("date_sortie : antérieure à la date d'entrée")
    row = AccountRow(
        number=number,
        agency_id=agencies.get(agency_code),
        lease_reference=r.text("contrat", 32),
        lease=lease,
    )
    seen_identities = set()
    for position, columns in signatory_columns:
        if position > 1 and not any(map(values.get, columns)):
            continue
        last_name, first_name, birth_date, email, mobile, landline = columns
        signatory: dict[str, Any] = {
            "position": position,
            "last_name": r.text(last_name, 100),
            "first_name": r.text(first_name, 100),
            "birth_date": r.date(birth_date),
            "email": r.email(email),
            "mobile_phone": r.phone(mobile, mobile=True),
            "landline_phone": r.phone(landline, mobile=False),
        }
        if signatory["birth_date"] and signatory["birth_date"] > today:
            r.problems.append(f"{birth_date} : date dans le futur")
        key = identity_key(signatory["last_name"], signatory["first_name"], signatory["birth_date"])
        if key in seen_identities:
            r.problems.append(f"{last_name} : signataire en double sur ce contrat")
        seen_identities.add(key)
        row.signatories.append(signatory)
    return " ; ".join(r.problems) if r.problems else row


def _dwelling(r: RowReader, values: dict[str, str]) -> dict:
    """Mon logement's optional columns: T1 to T6, surface 65,40, floor (RDC or a number)."""
    if not any(map(values.get, DWELLING_FIELDS.values())):
        return dict(NO_DWELLING)
    typology = r.choice("typologie", TYPOLOGIES, required=False) or ""
    surface = r.decimal("surface", required=False)
    floor: int | None
    if normalize_header(values.get("etage", "")) in GROUND_FLOOR:
        floor = 0
    else:
        floor = r.integer("etage", -5, 99, required=False)
    return {
        "typology": typology,
        "surface": surface,
        "floor": floor,
        "residence": r.text("residence", 200, required=False),
        "annexes": r.text("annexes", 300, required=False),
        "caretaker_name": r.text("gardien", 200, required=False),
        "caretaker_phone": r.phone("telephone_gardien", mobile=False),
        "emergency_phone": r.phone("numero_urgence", mobile=False),
    }


def _write(rows: list[AccountRow], stored: _Stored, columns: set[str], report: ImportReport):
    """Update the stored accounts the file names (`rows`), and count them."""
    lease_fields = [
        name
        for name in LEASE_FIELDS
        if name not in OPTIONAL_LEASE_COLUMNS or OPTIONAL_LEASE_COLUMNS[name] in columns
    ]
    changed_accounts: list[TenantAccount] = []
    # New leases as rows to insert; their signatories wait for the leases' keys.
    new_leases: list[tuple] = []
    signatories_of_new_leases: list[tuple[int, dict[str, Any]]] = []
    changed_leases: list[dict] = []
    new_signatories: list[tuple[int, dict[str, Any]]] = []
    changed_signatories: list[dict] = []
    removed_signatories: list[dict] = []
    for row in rows:
        account_id, agency_id = stored.accounts[row.number]
        changed = False
        if "agence" in columns and agency_id != row.agency_id:
            changed_accounts.append(TenantAccount(pk=account_id, agency_id=row.agency_id))
            changed = True
        lease: dict | None = None
        for other in stored.leases_by_account.get(account_id, []):
            if other["reference"] == row.lease_reference:
                lease = other
            elif _end_before(other, row.lease["start_date"]):
                # The file names a new current lease: the former one ends, and with it
                # its signatories' access.
                changed_leases.append(other)
                changed = True
        if lease is None:
            signatories_of_new_leases += [(len(new_leases), v) for v in row.signatories]
            new_leases.append(_lease_row(account_id, row))
            report.updated += 1
            continue
        if _assign(lease, row.lease, lease_fields):
            changed_leases.append(lease)
            changed = True
        current = {
            identity_key(s["last_name"], s["first_name"], s["birth_date"]): s
            for s in stored.signatories.get(lease["pk"], [])
        }
        for values in row.signatories:
            key = identity_key(values["last_name"], values["first_name"], values["birth_date"])
            known = current.pop(key, None)
            if known is None:
                new_signatories.append((lease["pk"], values))
                changed = True
            elif _assign(known, values, _signatory_fields(values["position"], columns)):
                changed_signatories.append(known)
                changed = True
        # Gone from the lease in the ERP: they lose their place, and any access through it.
        # A file without the columns of their rank says nothing about them.
        gone = [s for s in current.values() if f"nom_{s['position']}" in columns]
        if gone:
            removed_signatories += gone
            changed = True
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1

    TenantAccount.objects.bulk_update(changed_accounts, ["agency"], batch_size=2000)
    lease_ids = insert_rows_returning_ids(Lease, LEASE_ROW, new_leases)
    new_signatories += [(lease_ids[index], values) for index, values in signatories_of_new_leases]
    Lease.objects.bulk_update(
        [Lease(**values) for values in changed_leases], LEASE_FIELDS, batch_size=2000
    )
    removed_ids = [s["pk"] for s in removed_signatories]
    for start in range(0, len(removed_ids), 500):
        Signatory.objects.filter(pk__in=removed_ids[start : start + 500]).delete()
    insert_rows(
        Signatory,
        ["lease_id", *SIGNATORY_COLUMNS],
        ((lease_id, *_signatory_values(values)) for lease_id, values in new_signatories),
    )
    Signatory.objects.bulk_update(
        [Signatory(**values) for values in changed_signatories], SIGNATORY_FIELDS, batch_size=2000
    )


def _lease_row(account_id: int, row: AccountRow) -> tuple:
    return (account_id, row.lease_reference, *_lease_values(row.lease))


def _end_before(lease: dict, new_start: date) -> bool:
    """End a lease still open when a newer one starts; tell whether it changed."""
    start, end = lease["start_date"], lease["end_date"]
    if start < new_start and (end is None or end >= new_start):
        lease["end_date"] = new_start - timedelta(days=1)
        return True
    return False


def _signatory_fields(position: int, columns: set[str]) -> list[str]:
    return [
        name
        for name in SIGNATORY_FIELDS
        if name not in OPTIONAL_SIGNATORY_COLUMNS
        or f"{OPTIONAL_SIGNATORY_COLUMNS[name]}_{position}" in columns
    ]


def _assign(stored: dict, values: dict, field_names: list[str]) -> bool:
    """Copy the values onto the stored ones; tell whether anything differed."""
    changed = False
    for name in field_names:
        if stored[name] != values[name]:
            stored[name] = values[name]
            changed = True
    return changed
