"""A quittance for a fully paid month only; a reçu for a partly paid one, never a quittance."""

import pytest

from documents.models import IssuedDocument
from tests.documents.conftest import (
    NOVEMBER,
    OCTOBER,
    charge,
    monthly,
    obtain,
    page_text,
    payment,
    pdf_text,
)


def receipt_pdf(account, month):
    return f"/mon-compte/compte/{account.pk}/documents/paiement/{month}.pdf"


@pytest.fixture
def october_paid_november_partly(account):
    monthly(account, OCTOBER)
    charge(account, OCTOBER, "Aide personnalisée au logement (APL)", -15000, "apl")
    payment(account, OCTOBER.replace(day=4), 32030)
    monthly(account, NOVEMBER)
    payment(account, NOVEMBER.replace(day=5), 20000)
    return account


def test_the_list_offers_a_quittance_for_a_paid_month_and_a_recu_for_a_partly_paid_one(
    october_paid_november_partly, tenant_client
):
    account = october_paid_november_partly

    text = page_text(tenant_client.get(f"/mon-compte/compte/{account.pk}/documents/"))

    assert "Obtenir ma quittance octobre 2026" not in text
    assert "Obtenir ma quittance d'octobre 2026" in text
    assert "Obtenir mon reçu de novembre 2026" in text
    assert not IssuedDocument.objects.exists()  # the list issues nothing
    assert "Quittance de loyer de novembre 2026" not in text


def test_a_recu_has_one_title_in_the_list_on_its_page_and_in_its_pdf(
    october_paid_november_partly, tenant_client
):
    account = october_paid_november_partly
    title = "Reçu de paiement partiel de novembre 2026"

    pdf = pdf_text(obtain(tenant_client, receipt_pdf(account, "2026-11")))
    listed = page_text(tenant_client.get(f"/mon-compte/compte/{account.pk}/documents/"))
    page = tenant_client.get(
        f"/mon-compte/compte/{account.pk}/documents/paiement/2026-11/", follow=True
    )

    assert f"PDF du {title[0].lower()}{title[1:]}" in listed
    assert page.status_code == 200
    assert f"<h1>{title}</h1>" in page.content.decode()
    assert title in pdf


def test_a_quittance_shows_rent_charges_and_aid_separately_and_the_payment_date(
    october_paid_november_partly, tenant_client
):
    account = october_paid_november_partly

    text = pdf_text(obtain(tenant_client, receipt_pdf(account, "2026-10")))

    assert "Quittance de loyer d'octobre 2026" in text
    assert "donne quittance à DUPOND Jean de la somme de 320,30 €, reçue le 04/10/2026" in text
    assert "Loyer 412,30 €" in text
    assert "Charges 58,00 €" in text
    assert "Aide au logement versée au bailleur (déduite) -150,00 €" in text
    assert "Total réglé par le locataire 320,30 €" in text
    assert "Émise le : 20/11/2026" in text  # une quittance
    assert "loi n° 89-462 du 6 juillet 1989, article 21" in text
    assert "10 rue Hémet" in text


def test_a_partly_paid_month_gets_a_recu_that_never_says_quittance(
    october_paid_november_partly, tenant_client
):
    account = october_paid_november_partly

    content = obtain(tenant_client, receipt_pdf(account, "2026-11"))
    text = pdf_text(content)

    assert "Reçu de paiement partiel de novembre 2026" in text
    assert "Montant du mois 470,30 €" in text
    assert "Reçu le 05/11/2026 200,00 €" in text
    assert "Reste à payer pour ce mois 270,30 €" in text
    assert "Émis le : 20/11/2026" in text  # un reçu
    assert "quittance" not in text.lower()
    document = IssuedDocument.objects.get(account=account, period=NOVEMBER)
    page = page_text(
        tenant_client.get(f"/mon-compte/compte/{account.pk}/documents/emis/{document.pk}/")
    )
    assert "Reste à payer pour ce mois 270,30 €" in page
    assert "quittance" not in page.lower()


def test_a_quittance_is_issued_once_and_the_same_one_is_given_again(
    october_paid_november_partly, tenant_client
):
    account = october_paid_november_partly

    first = obtain(tenant_client, receipt_pdf(account, "2026-10"))
    second = obtain(tenant_client, receipt_pdf(account, "2026-10"))

    assert first == second
    quittance = IssuedDocument.objects.get(account=account, period=OCTOBER)
    assert quittance.kind == IssuedDocument.Kind.QUITTANCE
    assert quittance.reference[:4] in pdf_text(first)


def test_a_recu_is_issued_again_only_when_the_amount_received_changed(
    october_paid_november_partly, tenant_client
):
    account = october_paid_november_partly
    obtain(tenant_client, receipt_pdf(account, "2026-11"))
    obtain(tenant_client, receipt_pdf(account, "2026-11"))
    assert IssuedDocument.objects.filter(period=NOVEMBER).count() == 1

    payment(account, NOVEMBER.replace(day=15), 5000)
    text = pdf_text(obtain(tenant_client, receipt_pdf(account, "2026-11")))

    assert IssuedDocument.objects.filter(period=NOVEMBER).count() == 2
    assert "Total reçu 250,00 €" in text


def test_a_recu_is_issued_again_when_what_the_month_costs_changed(
    october_paid_november_partly, tenant_client
):
    account = october_paid_november_partly
    obtain(tenant_client, receipt_pdf(account, "2026-11"))
    charge(account, NOVEMBER, "Régularisation des charges", -5000, "regularisation")

    text = pdf_text(obtain(tenant_client, receipt_pdf(account, "2026-11")))

    assert "Montant du mois 420,30 €" in text
    assert "Reste à payer pour ce mois 220,30 €" in text
    assert IssuedDocument.objects.filter(period=NOVEMBER).count() == 2


def test_once_fully_paid_the_month_gets_its_quittance(october_paid_november_partly, tenant_client):
    account = october_paid_november_partly
    obtain(tenant_client, receipt_pdf(account, "2026-11"))
    payment(account, NOVEMBER.replace(day=18), 27030)

    text = pdf_text(obtain(tenant_client, receipt_pdf(account, "2026-11")))

    assert "Quittance de loyer de novembre 2026" in text
    assert "reçue le 18/11/2026" in text


def test_a_month_without_payment_has_neither_quittance_nor_recu(account, tenant_client):
    monthly(account, NOVEMBER)

    response = tenant_client.get(receipt_pdf(account, "2026-11"), follow=True)

    assert "Aucun paiement n'est enregistré pour novembre 2026" in page_text(response)
    assert not IssuedDocument.objects.exists()
