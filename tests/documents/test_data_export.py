"""The tenant's data export holds the documents stored for their accounts."""

import csv
import io
import zipfile

from tests.documents.conftest import NOVEMBER, OCTOBER, charge, download, monthly, obtain, payment


def test_my_data_zip_holds_my_stored_notices_and_receipts(account, tenant_client):
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 47030)
    monthly(account, NOVEMBER)
    base = f"/mon-compte/compte/{account.pk}/documents"
    notice = download(tenant_client, f"{base}/avis/2026-11.pdf")
    quittance = obtain(tenant_client, f"{base}/paiement/2026-10.pdf")

    response = tenant_client.get("/mon-compte/mes-infos/mes-donnees.zip")

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.read("documents-compte-000123/avis-echeance-2026-11-000123.pdf") == notice
    assert archive.read("documents-compte-000123/quittance-2026-10-000123.pdf") == quittance


def test_two_certificates_of_the_same_day_are_both_in_my_data_zip(account, tenant_client):
    monthly(account, NOVEMBER)
    payment(account, NOVEMBER.replace(day=3), 47030)
    url = f"/mon-compte/compte/{account.pk}/documents/attestation.pdf"
    first = obtain(tenant_client, url)
    charge(account, NOVEMBER, "Régularisation des charges", -1000, "regularisation")
    second = obtain(tenant_client, url)  # what it states changed: a new certificate

    response = tenant_client.get("/mon-compte/mes-infos/mes-donnees.zip")

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = [name for name in archive.namelist() if "attestation" in name]
    assert len(names) == len(set(names)) == 2
    assert {archive.read(name) for name in names} == {first, second}


def test_the_ledger_in_my_data_zip_writes_a_formula_as_text(account, tenant_client):
    for label in ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]:
        charge(account, OCTOBER, label, 100)
    payment(account, OCTOBER.replace(day=5), 1200)

    response = tenant_client.get("/mon-compte/mes-infos/mes-donnees.zip")

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    text = archive.read("ecritures-compte-000123.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    labels = [row[1] for row in rows[1:]]
    assert {"'=1+1", "'+1+1", "'-1+1", "'@SUM(A1)", "'\t=1", "'\r=1"} <= set(labels)
    assert rows[-1][6] == "-6,00"  # six times 1,00 € owed, 12,00 € paid: a number, not text
