"""An account's stored documents, for the tenant's data export."""

from documents.issued import issued_filename
from documents.models import IssuedDocument
from documents.notices import notice_filename
from tenancies.models import TenantAccount


def stored_documents(account: TenantAccount) -> list[tuple[str, bytes]]:
    """The account's rendered documents, for the tenant's data export (file name, content)."""
    files = []
    for notice in account.rent_notices.exclude(pdf="").select_related("account"):
        with notice.pdf.open("rb") as pdf:
            files.append((notice_filename(notice), pdf.read()))
    for document in account.issued_documents.exclude(pdf="").select_related("account"):
        name = issued_filename(document)
        if document.kind != IssuedDocument.Kind.QUITTANCE:  # several a month or a day
            name = name.replace(".pdf", f"-{document.reference}.pdf")
        with document.pdf.open("rb") as pdf:
            files.append((name, pdf.read()))
    return files
