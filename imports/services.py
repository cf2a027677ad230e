"""Imports of the ERP's files from the espace agence: the same rules as the commands.

`start_import` checks the upload, stores it (the configured storage: a folder, or S3)
and queues `imports.tasks.run_import`, which runs `tenancies.imports.import_accounts` or
`billing.imports.import_ledger` (all or nothing, idempotent) and keeps the report. One
import at a time per landlord: a second upload while one is waiting or running is
refused with a message saying whose import is under way (docs/imports.md).
"""

import contextlib
import datetime
import logging
import secrets
import shutil
import tempfile
import threading
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks import task

import audit
from billing.imports import import_ledger
from imports.models import ImportRun
from landlords.models import Landlord
from tenancies.erpfiles import ImportFileError
from tenancies.imports import import_accounts

logger = logging.getLogger(__name__)

IMPORTERS = {ImportRun.Kind.ACCOUNTS: import_accounts, ImportRun.Kind.LEDGER: import_ledger}
# A run that gave no sign of life for this long died with its worker: it blocks no more.
STALE_AFTER = datetime.timedelta(hours=1)
STALE_MESSAGE = "Import interrompu : aucun signe de vie depuis une heure. Rien n'a été importé."
# The report keeps this many bad lines (a wrong file may have a million).
MAX_REPORTED_ERRORS = 100_000
# Progress is written at most this often (each write is a query).
PROGRESS_EVERY = datetime.timedelta(seconds=1)
SNIFF_BYTES = 4096
BINARY_SIGNATURES = {
    b"PK\x03\x04": "un classeur Excel (.xlsx) ou une archive ZIP",
    b"\xd0\xcf\x11\xe0": "un classeur Excel ancien (.xls)",
    b"%PDF": "un document PDF",
}


class ImportRefused(Exception):
    """The upload is refused before anything is stored; `message` says why, in French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_BYTES


def too_large_message() -> str:
    return (
        f"Le fichier dépasse la taille maximale de {max_upload_bytes() // (1 << 20)} Mo : "
        "rien n'a été importé. Découpez-le, par exemple un fichier d'écritures par mois."
    )


def check_upload(uploaded) -> None:
    """Refuse what is clearly not an ERP CSV file: its name, its size, its first bytes."""
    if uploaded.size > max_upload_bytes():
        raise ImportRefused(too_large_message())
    if not uploaded.name.lower().endswith((".csv", ".txt")):
        raise ImportRefused(
            f"« {uploaded.name} » n'est pas un fichier CSV (extension .csv attendue). "
            "Enregistrez le fichier au format CSV, séparateur point-virgule."
        )
    if uploaded.size == 0:
        raise ImportRefused(f"« {uploaded.name} » est vide : rien n'a été importé.")
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    for signature, what in BINARY_SIGNATURES.items():
        if head.startswith(signature):
            raise ImportRefused(
                f"« {uploaded.name} » est {what}, pas un fichier CSV. Depuis votre tableur, "
                "choisissez « Enregistrer sous », format CSV (séparateur point-virgule)."
            )


def active_run(landlord: Landlord) -> ImportRun | None:
    return ImportRun.objects.filter(landlord=landlord, state__in=ImportRun.ACTIVE).first()


def _release_stale_runs(landlord: Landlord) -> None:
    stale = ImportRun.objects.filter(
        landlord=landlord,
        state__in=ImportRun.ACTIVE,
        heartbeat_at__lt=timezone.now() - STALE_AFTER,
    )
    for run in stale:
        _finish(run, ImportRun.State.FAILED, STALE_MESSAGE)


BUSY_FINISHED = (
    "Un autre import a été déposé au même moment et vient de se terminer : consultez son "
    "rapport, puis déposez à nouveau votre fichier si besoin. Rien n'a été importé."
)


def busy_message(run: ImportRun) -> str:
    who = run.uploaded_by.get_full_name() or run.uploaded_by.email if run.uploaded_by else "?"
    when = timezone.localtime(run.created_at)
    return (
        f"Un import est déjà {run.get_state_display()} pour {run.landlord.name_in_sentence} "
        f"(« {run.file_name} », déposé par {who} à {when:%H:%M}). Un seul import à la fois : "
        "attendez qu'il se termine, puis déposez à nouveau votre fichier. Rien n'a été importé."
    )


def start_import(
    landlord: Landlord, kind: str, uploaded, *, encoding="auto", request, closes_period=None
) -> ImportRun:
    """Store the upload and queue its import; ImportRefused (nothing stored) otherwise."""
    check_upload(uploaded)
    with transaction.atomic():
        Landlord.objects.select_for_update().filter(pk=landlord.pk).exists()
        _release_stale_runs(landlord)
        running = active_run(landlord)
        if running is not None:
            raise ImportRefused(busy_message(running))
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        stored = default_storage.save(
            f"imports/{landlord.slug}/{stamp}-{kind}-{secrets.token_hex(4)}.csv", uploaded
        )
        try:
            with transaction.atomic():
                run = ImportRun.objects.create(
                    landlord=landlord,
                    kind=kind,
                    file_name=uploaded.name[:255],
                    stored_name=stored,
                    size_bytes=uploaded.size,
                    encoding=encoding,
                    closes_period=closes_period if kind == ImportRun.Kind.LEDGER else None,
                    uploaded_by=request.user,
                )
        except IntegrityError:  # another upload won the race (the constraint)
            default_storage.delete(stored)
            active = active_run(landlord)
            # The winner may already have finished: then only the race is worth saying.
            message = busy_message(active) if active else BUSY_FINISHED
            raise ImportRefused(message) from None
        audit.record(
            "imports.started",
            request=request,
            landlord=landlord,
            target=run,
            detail={
                "fichier": run.file_name,
                "type": kind,
                "octets": run.size_bytes,
                **({"mois_complete": f"{closes_period:%Y-%m}"} if run.closes_period else {}),
            },
        )
        run_import.enqueue(run.pk)
    return run


def execute(run_id: int) -> None:
    """The task's body: run the import once (a second delivery finds it no longer queued)."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.state != ImportRun.State.QUEUED:
            return
        run.state = ImportRun.State.RUNNING
        run.started_at = run.heartbeat_at = timezone.now()
        run.save(update_fields=["state", "started_at", "heartbeat_at"])
    last_write = [timezone.now()]

    def on_progress(done: int, total: int) -> None:
        now = timezone.now()
        if done < total and now - last_write[0] < PROGRESS_EVERY:
            return
        last_write[0] = now
        _write_progress(run.pk, done, now)

    try:
        with _local_copy(run.stored_name) as stream:
            closing: dict[str, Any] = (
                {
                    "closes_period": run.closes_period,
                    "file_name": run.file_name,
                    "user": run.uploaded_by,
                }
                if run.kind == ImportRun.Kind.LEDGER and run.closes_period
                else {}
            )
            report = IMPORTERS[ImportRun.Kind(run.kind)](
                run.landlord, stream, encoding=run.encoding, on_progress=on_progress, **closing
            )
    except ImportFileError as exc:
        _finish(run, ImportRun.State.REFUSED, f"{exc} Rien n'a été importé.")
        return
    except Exception:
        logger.exception("Import run %s of %s failed", run.pk, run.landlord.slug)
        _finish(run, ImportRun.State.FAILED, "Erreur inattendue : rien n'a été importé.")
        return
    if report.errors:
        run.error_count = len(report.errors)
        run.errors = [[line, message] for line, message in report.errors[:MAX_REPORTED_ERRORS]]
        _finish(
            run,
            ImportRun.State.REFUSED,
            f"{run.error_count} ligne(s) en erreur : rien n'a été importé. Corrigez-les "
            "dans l'ERP et déposez à nouveau le fichier entier.",
        )
        return
    run.created, run.updated, run.unchanged = report.created, report.updated, report.unchanged
    message = f"{run.get_kind_display()} : {report.summary}."
    _finish(run, ImportRun.State.SUCCEEDED, f"{message} {report.closing}".strip())


def _write_progress(run_id: int, done: int, now: datetime.datetime) -> None:
    """Record the bytes read and the sign of life of a run, for the espace agence to see
    while the import runs. The import writes in a transaction that stays open until the
    file is read: on PostgreSQL the progress goes through a thread of its own, and so a
    connection of its own, committed at once (inside the import's transaction it would show
    only at its end, and the run look dead meanwhile). SQLite (tests, demo) takes one
    writer at a time: there it is written in the import's transaction."""

    if connection.vendor != "postgresql":
        ImportRun.objects.filter(pk=run_id).update(progress_bytes=done, heartbeat_at=now)
        return

    def write() -> None:
        try:
            ImportRun.objects.filter(pk=run_id).update(progress_bytes=done, heartbeat_at=now)
        finally:
            connection.close()  # this thread's own

    writer = threading.Thread(target=write, name="import-progress")
    writer.start()
    writer.join()


@contextlib.contextmanager
def _local_copy(name: str):
    """The stored file as a local, seekable binary file (the reader seeks and re-reads):
    the file itself on a folder storage, a temporary copy from object storage (S3)."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        with open(path, "rb") as stream:
            yield stream
        return
    with default_storage.open(name, "rb") as stored, tempfile.TemporaryFile() as local:
        shutil.copyfileobj(stored, local, 1 << 20)
        local.seek(0)
        yield local


def _finish(run: ImportRun, state: str, message: str) -> None:
    run.state = state
    run.message = message
    run.finished_at = run.heartbeat_at = timezone.now()
    if state == ImportRun.State.SUCCEEDED:
        run.progress_bytes = run.size_bytes
    run.save()
    if run.stored_name:
        # The file holds tenants' personal data: it goes once read; the report stays.
        default_storage.delete(run.stored_name)
    audit.record(
        "imports.finished" if state == ImportRun.State.SUCCEEDED else "imports.failed",
        landlord=run.landlord,
        target=run,
        detail={
            "fichier": run.file_name,
            "etat": state,
            "crees": run.created,
            "mis_a_jour": run.updated,
            "inchanges": run.unchanged,
            "lignes_en_erreur": run.error_count,
        },
    )


def report_rows(run: ImportRun):
    """The report as CSV rows; core.csv.write_rows makes the file's own text formula-safe."""
    yield ["fichier", "ligne", "erreur"]
    if not run.errors and run.state != ImportRun.State.SUCCEEDED:
        yield [run.file_name, "", run.message]
    for line, message in run.errors:
        yield [run.file_name, str(line), message]


# The background task (`manage.py db_worker`) lives with the rules it runs: a module of its
# own would import this one, which queues it.
@task()
def run_import(run_id: int) -> None:
    execute(run_id)
