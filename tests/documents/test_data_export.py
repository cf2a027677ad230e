"""The tenant's data export holds the documents stored for their accounts."""

import io
import zipfile

from tests.documents.conftest import NOVEMBER, OCTOBER, download, monthly, payment


def test_my_data_zip_holds_my_stored_notices_and_receipts(account, tenant_client):
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 47030)
    monthly(account, NOVEMBER)
    base = f"/mon-compte/compte/{account.pk}/documents"
    notice = download(tenant_client, f"{base}/avis/2026-11.pdf")
    quittance = download(tenant_client, f"{base}/paiement/2026-10.pdf")

    response = tenant_client.get("/mon-compte/mes-infos/mes-donnees.zip")

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.read("documents-compte-000123/avis-echeance-2026-11-000123.pdf") == notice
    assert archive.read("documents-compte-000123/quittance-2026-10-000123.pdf") == quittance
