"""Issuing a document is idempotent under real concurrency (PostgreSQL): two clicks at
once on "Obtenir ma quittance" (or reçu, attestation) give one document."""

import threading

import pytest
from django.db import connection
from django.test import Client

from accounts.models import User
from documents import services
from documents.issued import issue_document
from documents.models import IssuedDocument
from tests.documents.conftest import NOVEMBER, OCTOBER, client_for, monthly, payment

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


def test_four_clicks_on_obtenir_ma_quittance_at_once_land_on_one_document(
    transactional_db, account
):
    """Over HTTP, as the browsers send it: four signed-in sessions (tabs, devices) of the
    tenant POST the button together; each is sent to the same issued document's page."""
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 47030)
    client_for(account)  # the tenant's access
    user = User.objects.get()
    clients = [Client(HTTP_HOST=account.landlord.primary_host) for _ in range(4)]
    for client in clients:
        client.force_login(user)
    url = f"/mon-compte/compte/{account.pk}/documents/paiement/2026-10/"
    posts = iter(clients)
    lock = threading.Lock()

    def click():
        with lock:  # each thread takes its own client
            client = next(posts)
        response = client.post(url)
        return response.status_code, response.get("Location")

    results = at_once(4, click)

    document = IssuedDocument.objects.get()
    assert document.kind == IssuedDocument.Kind.QUITTANCE
    page = f"/mon-compte/compte/{account.pk}/documents/emis/{document.pk}/"
    assert results == [(302, page)] * 4, results
    assert clients[0].get(page).status_code == 200


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
