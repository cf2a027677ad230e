"""OPH d'Aubervilliers' notice, from the ERP's files to the PDF: N° Tiers, N° Formule,
Période facture and every line's full label, as on its sample notice."""

import io

from billing.imports import import_ledger
from tenancies.imports import import_accounts
from tenancies.models import Lease, TenantAccount
from tests.documents.conftest import NOVEMBER, client_for, download, pdf_text

ACCOUNTS = (
    "compte;contrat;adresse;code_postal;ville;date_entree;nom_1;prenom_1;date_naissance_1;"
    "tiers;formule\n"
    "000123;C-000123;10 rue Hémet;93300;Aubervilliers;01/06/2019;DUPOND;Jean;10/09/1975;"
    "T-458712;F12\n"
)
LEDGER = (
    "compte;reference;date;libelle;type;montant;periode;rubrique;periode_facture\n"
    "000123;E1;01/11/2026;Loyer Foyer;charge;175,03;11/2026;loyer;01/11/2026 au 30/11/2026\n"
    "000123;E2;01/11/2026;Provision Charges Générales LG;charge;7,76;11/2026;charges;"
    "01/11/2026 au 30/11/2026\n"
    "000123;E3;01/11/2026;Prov.Divers AppareilsChauffage;charge;2,94;11/2026;chauffage;"
    "01/11/2026 au 30/11/2026\n"
)


def imported(oph, accounts=ACCOUNTS, ledger=LEDGER):
    assert not import_accounts(oph, io.BytesIO(accounts.encode())).errors
    assert not import_ledger(oph, io.BytesIO(ledger.encode()), closes_period=NOVEMBER).errors
    return TenantAccount.objects.get(landlord=oph, number="000123")


def test_the_notice_prints_the_erp_numbers_the_billing_period_and_full_labels(oph):
    account = imported(oph)
    lease = Lease.objects.get(account=account)
    assert (lease.third_party_number, lease.billing_formula) == ("T-458712", "F12")

    text = pdf_text(
        download(client_for(account), f"/mon-compte/compte/{account.pk}/documents/avis/2026-11.pdf")
    )

    assert "N° Tiers : T-458712" in text
    assert "N° Formule : F12" in text
    assert "Période facture : 01/11/2026 au 30/11/2026" in text
    assert "Loyer Foyer 175,03 €" in text
    assert "Provision Charges Générales LG 7,76 €" in text
    assert "Prov.Divers AppareilsChauffage 2,94 €" in text
    assert "Total du mois 185,73 €" in text


def test_without_the_columns_the_notice_keeps_its_usual_period(oph):
    accounts = ACCOUNTS.replace(";tiers;formule", "").replace(";T-458712;F12", "")
    ledger = LEDGER.replace(";periode_facture", "").replace(";01/11/2026 au 30/11/2026", "")
    account = imported(oph, accounts, ledger)

    text = pdf_text(
        download(client_for(account), f"/mon-compte/compte/{account.pk}/documents/avis/2026-11.pdf")
    )

    assert "N° Tiers" not in text and "N° Formule" not in text
    assert "Période facture" not in text
    assert "Période : novembre 2026" in text


def test_a_later_accounts_file_without_the_columns_keeps_the_numbers(oph):
    imported(oph)
    accounts = ACCOUNTS.replace(";tiers;formule", "").replace(";T-458712;F12", "")

    import_accounts(oph, io.BytesIO(accounts.encode()))

    lease = Lease.objects.get(account__number="000123")
    assert (lease.third_party_number, lease.billing_formula) == ("T-458712", "F12")


def test_a_too_long_number_refuses_the_file(oph):
    report = import_accounts(oph, io.BytesIO(ACCOUNTS.replace("T-458712", "T" * 33).encode()))

    assert report.errors == [(2, "tiers : plus de 32 caractères")]
    assert not TenantAccount.objects.filter(landlord=oph).exists()
