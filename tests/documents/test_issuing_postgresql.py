"""Issuing a document is idempotent under real concurrency (PostgreSQL): two clicks at
once on "Obtenir ma quittance" (or reçu, attestation) give one document."""

import threading

import pytest
from django.db import connection

from documents import services
from documents.issued import issue_document
from documents.models import IssuedDocument
from tests.documents.conftest import NOVEMBER, OCTOBER, monthly, payment

pytestmark = pytest.mark.postgresql


def at_once(count, work):
    """Run work() in `count` threads released together; their results (or exceptions)."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = work()
        except Exception as exc:  # reported to the test thread
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize(
    ("paid", "kind"),
    [(47030, IssuedDocument.Kind.QUITTANCE), (20000, IssuedDocument.Kind.RECEIPT)],
)
def test_two_clicks_at_once_give_one_receipt(transactional_db, account, paid, kind):
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), paid)

    results = at_once(4, lambda: services.issue_receipt(account, OCTOBER).pk)

    assert all(isinstance(result, int) for result in results), results
    assert len(set(results)) == 1
    assert IssuedDocument.objects.filter(kind=kind).count() == 1


def test_two_clicks_at_once_give_one_certificate(transactional_db, account):
    monthly(account, NOVEMBER)
    payment(account, NOVEMBER.replace(day=3), 47030)

    results = at_once(4, lambda: services.issue_certificate(account).pk)

    assert all(isinstance(result, int) for result in results), results
    assert len(set(results)) == 1
    assert IssuedDocument.objects.filter(kind=IssuedDocument.Kind.CERTIFICATE).count() == 1


def test_the_constraint_holds_without_the_lookup(transactional_db, account):
    """Even a caller that skipped the lookup cannot store the same content twice."""
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 20000)
    first = services.issue_receipt(account, OCTOBER)

    again = issue_document(account, first.kind, first.period, first.facts, first.fingerprint)

    assert again.pk == first.pk
    assert IssuedDocument.objects.count() == 1
