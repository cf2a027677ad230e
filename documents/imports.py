"""Rent notices imported from the ERP as ready-made PDFs.

Naming rule: `<account number>_<AAAA-MM>.pdf`, e.g. `000123_2026-11.pdf` (the
extension in any case). Each file must be a PDF (it starts with `%PDF-` and ends with
`%%EOF`). Re-importing the same file changes nothing; a file whose content changed
replaces the stored notice (and is reported). Files that cannot be matched (bad name,
unknown account, not a PDF) are reported and skipped; the others are imported together
in one transaction, so an interrupted import writes nothing.
"""

import datetime
import hashlib
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction

from documents import services
from documents.models import RentNotice
from landlords.models import Landlord
from notifications import push

FILE_NAME = re.compile(r"(?P<number>[^_/\\]+)_(?P<year>\d{4})-(?P<month>\d{2})\.pdf", re.IGNORECASE)
MAX_BYTES = 10 * 1024 * 1024


@dataclass
class NoticeImportReport:
    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file name, why, in French)

    @property
    def summary(self) -> str:
        return (
            f"{len(self.created)} avis {_agreed(self.created, 'importé')}, "
            f"{len(self.replaced)} {_agreed(self.replaced, 'remplacé')}, "
            f"{len(self.unchanged)} {_agreed(self.unchanged, 'inchangé')}, "
            f"{len(self.problems)} {_agreed(self.problems, 'fichier')} "
            f"non {_agreed(self.problems, 'importé')}"
        )


def _agreed(items: list, word: str) -> str:
    """French agreement: "0 inchangé", "1 inchangé", "2 inchangés"."""
    return f"{word}s" if len(items) > 1 else word


def file_problem(path: Path) -> str | None:
    """Why this entry cannot be read as a notice, without reading it (a link, a device
    or a pipe could point anywhere or never end)."""
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode):
        return "ce n'est pas un fichier ordinaire (lien symbolique ou fichier spécial)"
    if info.st_size > MAX_BYTES:
        return "fichier trop volumineux (10 Mo au plus)"
    return None


def read_at_most(path: Path) -> bytes:
    """The file's content, never more than MAX_BYTES + 1 bytes (then pdf_problem says so)."""
    with path.open("rb") as file:
        return file.read(MAX_BYTES + 1)


def pdf_problem(content: bytes) -> str | None:
    if len(content) > MAX_BYTES:
        return "fichier trop volumineux (10 Mo au plus)"
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-1024:]:
        return "ce n'est pas un fichier PDF complet"
    return None


def import_notices(landlord: Landlord, folder: Path) -> NoticeImportReport:
    report = NoticeImportReport()
    accounts = {account.number: account for account in landlord.accounts.all()}
    accepted = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() or path.name.startswith("."):
            continue
        match = FILE_NAME.fullmatch(path.name)
        if not match:
            report.problems.append(
                (path.name, "nom non conforme (attendu : <numéro de compte>_<AAAA-MM>.pdf)")
            )
            continue
        year, month = int(match["year"]), int(match["month"])
        if not 1 <= month <= 12 or year < 1:
            report.problems.append((path.name, f"mois invalide : {match['year']}-{match['month']}"))
            continue
        account = accounts.get(match["number"])
        if account is None:
            report.problems.append(
                (path.name, f"compte {match['number']} inconnu chez {landlord.name_in_sentence}")
            )
            continue
        problem = file_problem(path)
        if problem:
            report.problems.append((path.name, problem))
            continue
        # Read when written, one at a time: a month of notices does not fit in memory.
        accepted.append((path, account, datetime.date(year, month, 1)))
    _write(accepted, report)
    return report


def _deleter(name: str):
    # A function, not a functools.partial: Django logs a robust callback's __qualname__.
    def delete_replaced_file():
        default_storage.delete(name)

    return delete_replaced_file


def _write(accepted, report: NoticeImportReport) -> None:
    stored_names = []
    replaced_files: list[str] = []
    try:
        with transaction.atomic():
            for path, account, period in accepted:
                name, content = path.name, read_at_most(path)
                problem = pdf_problem(content)
                if problem:
                    report.problems.append((name, problem))
                    continue
                digest = hashlib.sha256(content).hexdigest()
                notice = (
                    RentNotice.objects.select_for_update()
                    .filter(account=account, period=period)
                    .first()
                )
                if notice and notice.source == RentNotice.Source.IMPORTED:
                    if notice.content_sha256 == digest:
                        report.unchanged.append(name)
                        continue
                    report.replaced.append(name)
                elif notice:
                    report.replaced.append(name)  # the ERP's notice replaces the portal's
                else:
                    notice = RentNotice(account=account, period=period)
                    report.created.append(name)
                    push.notice_available(notice)
                notice.account = account
                if notice.pdf.name:
                    replaced_files.append(notice.pdf.name)
                notice.pdf.name = services.store_file(
                    notice.pdf, services.notice_filename(notice), content
                )
                stored_names.append(notice.pdf.name)
                notice.source = RentNotice.Source.IMPORTED
                notice.content_sha256 = digest
                notice.facts = {}
                notice.previous_balance_cents = notice.total_cents = None
                notice.amount_due_cents = notice.due_date = None
                notice.save()
            # Robust: a file that cannot be deleted once committed must not send us to
            # the cleanup below, which would delete the files the committed rows use.
            for replaced in replaced_files:
                transaction.on_commit(_deleter(replaced), robust=True)
    except BaseException:
        for stored in stored_names:  # nothing half-written: the new files go with the rows
            default_storage.delete(stored)
        raise
