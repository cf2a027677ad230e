from billing.imports import import_ledger
from tenancies.management.importing import ImportCommand


class Command(ImportCommand):
    help = "Importe les écritures des comptes locataires d'un fichier CSV de l'ERP."
    noun = "écritures"

    def run_import(self, landlord, stream, encoding):
        return import_ledger(landlord, stream, encoding=encoding, progress=True)
