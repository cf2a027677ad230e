from tenancies.imports import import_accounts
from tenancies.management.importing import ImportCommand


class Command(ImportCommand):
    help = "Importe les comptes locataires, contrats et signataires d'un fichier CSV de l'ERP."
    noun = "comptes"

    def run_import(self, landlord, stream, encoding):
        return import_accounts(landlord, stream, encoding=encoding, progress=True)
