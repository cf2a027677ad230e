"""The attestation de loyer à jour: available without arrears, refused with a clear reason."""

from documents.models import IssuedDocument
from tests.documents.conftest import (
    NOVEMBER,
    OCTOBER,
    monthly,
    obtain,
    page_text,
    payment,
    pdf_text,
)


def documents_page(client, account):
    return page_text(client.get(f"/mon-compte/compte/{account.pk}/documents/"))


def test_with_arrears_the_certificate_is_refused_with_the_reason(account, tenant_client):
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 40000)
    monthly(account, NOVEMBER)
    payment(account, NOVEMBER.replace(day=5), 47030)

    text = documents_page(tenant_client, account)
    assert (
        "L'attestation de loyer à jour n'est pas disponible : votre compte présente "
        "un impayé de 70,30 € (échéances dont la date limite de paiement est passée)." in text
    )
    assert "Obtenir mon attestation" not in text

    response = tenant_client.post(
        f"/mon-compte/compte/{account.pk}/documents/attestation/", follow=True
    )
    assert response["Content-Type"].startswith("text/html")
    assert "un impayé de 70,30 €" in page_text(response)
    assert not IssuedDocument.objects.exists()


def test_without_arrears_the_certificate_states_the_tenant_the_dwelling_and_the_rent(
    account, tenant_client
):
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 47030)
    monthly(account, NOVEMBER)
    payment(account, NOVEMBER.replace(day=3), 47030)
    assert "Obtenir mon attestation de loyer à jour" in documents_page(tenant_client, account)

    text = pdf_text(
        obtain(tenant_client, f"/mon-compte/compte/{account.pk}/documents/attestation.pdf")
    )

    assert "Attestation de loyer à jour" in text
    assert "OPH d'Aubervilliers atteste que DUPOND Jean, locataire du logement situé" in text
    assert (
        "depuis le 01/06/2019, est à jour du paiement de ses loyers et charges "
        "à la date du 20/11/2026" in text
    )
    assert "Loyer 412,30 €" in text and "Charges 58,00 €" in text
    assert "Total mensuel 470,30 €" in text


def test_the_current_month_not_yet_due_is_not_arrears(oph, make_account):
    oph.rent_due_day = 25
    oph.save()
    account = make_account("000999")
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 47030)
    monthly(account, NOVEMBER)  # due on the 25th: today is the 20th

    from tests.documents.conftest import client_for

    text = documents_page(client_for(account), account)

    assert "Obtenir mon attestation de loyer à jour" in text


def test_asked_twice_the_same_day_it_is_the_same_certificate(account, tenant_client):
    monthly(account, NOVEMBER)
    payment(account, NOVEMBER.replace(day=3), 47030)
    url = f"/mon-compte/compte/{account.pk}/documents/attestation.pdf"

    assert obtain(tenant_client, url) == obtain(tenant_client, url)
    assert IssuedDocument.objects.count() == 1
