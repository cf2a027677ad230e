"""Anyone holding a receipt or certificate can check it: what it states, and nothing more."""

import pytest
from django.test import Client

from documents import services
from documents.models import IssuedDocument
from tests.documents.conftest import (
    HOST,
    OCTOBER,
    monthly,
    obtain,
    page_text,
    payment,
    pdf_text,
)
from tests.factories import LandlordFactory


@pytest.fixture
def quittance(account, tenant_client):
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 47030)
    text = pdf_text(
        obtain(tenant_client, f"/mon-compte/compte/{account.pk}/documents/paiement/2026-10.pdf")
    )
    document = IssuedDocument.objects.get()
    return document, text


def visitor(host=HOST) -> Client:
    return Client(HTTP_HOST=host, REMOTE_ADDR="203.0.113.7")


def test_the_document_prints_its_reference_and_verification_address(quittance):
    document, text = quittance

    reference = services.display_reference(document.reference)
    assert len(document.reference) == 12
    assert f"Référence du document : {reference}" in text
    assert "http://oph.localhost/verifier/" in text


def test_the_qr_code_leads_to_the_verification_page_of_the_landlords_primary_host(quittance):
    document, _ = quittance

    url = services.issued_context(document)["verification_url"]

    assert url == f"http://oph.localhost/verifier/{services.display_reference(document.reference)}/"


def test_a_genuine_reference_shows_what_the_document_states_and_nothing_more(quittance):
    document, _ = quittance

    response = visitor().get(f"/verifier/{services.display_reference(document.reference)}/")

    text = page_text(response)
    assert response.status_code == 200
    assert "Document authentique" in text
    assert "Quittance de loyer d'octobre 2026" in text
    assert "OPH d'Aubervilliers" in text
    assert "DUPOND Jean" in text
    assert "Loyer 412,30 €" in text and "Charges 58,00 €" in text
    assert "•••123" in text
    assert "000123" not in text  # the account number is masked
    assert "Hémet" not in text  # nor the address
    assert "Agence Centre" not in text
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_typed_reference_is_found_whatever_its_case_and_separators(quittance):
    document, _ = quittance
    typed = " ".join([document.reference[:4], document.reference[4:8], document.reference[8:]])

    response = visitor().get("/verifier/", {"reference": typed.lower()})

    assert "Document authentique" in page_text(response)


def test_a_tampered_reference_and_an_unknown_one_get_the_same_answer(quittance):
    document, _ = quittance
    last = document.reference[-1]
    tampered = document.reference[:-1] + ("2" if last != "2" else "3")

    answers = [
        page_text(visitor().get("/verifier/", {"reference": reference}))
        for reference in (tampered, "ZZZZ-ZZZZ-ZZZZ", "n'importe quoi")
    ]

    assert all("Référence inconnue" in answer for answer in answers)
    assert all(
        "DUPOND" not in answer and "Document authentique" not in answer for answer in answers
    )


def test_another_landlords_host_does_not_know_the_reference(quittance):
    document, _ = quittance
    LandlordFactory(slug="autre", host="autre.localhost")

    response = visitor("autre.localhost").get(f"/verifier/{document.reference}/")

    assert "Référence inconnue" in page_text(response)


def test_guessing_references_is_slowed_down_per_address(quittance):
    document, _ = quittance
    client = visitor()
    for attempt in range(services.VERIFY_FREE_FAILURES):
        client.get(
            "/verifier/", {"reference": f"ZZZZ-ZZZZ-ZZ{services.REFERENCE_ALPHABET[attempt]}Z"}
        )

    response = client.get(f"/verifier/{document.reference}/")

    assert response.status_code == 429
    assert "Trop de tentatives" in page_text(response)
    assert "DUPOND" not in page_text(response)
    other = Client(HTTP_HOST=HOST, REMOTE_ADDR="198.51.100.1")
    assert "Document authentique" in page_text(other.get(f"/verifier/{document.reference}/"))


def test_the_verification_form_has_a_labelled_field(db, oph):
    text = visitor().get("/verifier/").content.decode()

    assert '<label for="reference">Référence du document</label>' in text
