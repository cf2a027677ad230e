import re

import pytest
from django.core.management import CommandError, call_command

from tenancies.models import TenantAccount

pytestmark = pytest.mark.django_db


def test_import_commands_print_a_summary(landlord, sample_path, capsys):
    call_command("import_accounts", str(sample_path("comptes.csv")), landlord="hmp")
    call_command("import_ledger", str(sample_path("ecritures.csv")), landlord="hmp")
    call_command("import_accounts", str(sample_path("comptes.csv")), landlord="hmp")

    out = capsys.readouterr().out
    assert "comptes.csv : comptes 3 créés, 0 mis à jour, 0 inchangés." in out
    assert "ecritures.csv : écritures 10 créés, 0 mis à jour, 0 inchangés." in out
    assert "comptes.csv : comptes 0 créés, 0 mis à jour, 3 inchangés." in out


def test_unknown_landlord_is_refused_and_the_known_codes_listed(landlord, sample_path):
    with pytest.raises(CommandError, match="Bailleur inconnu : « hpm » \\(codes connus : hmp\\)"):
        call_command("import_accounts", str(sample_path("comptes.csv")), landlord="hpm")


def test_missing_file_is_refused(landlord):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import_accounts", "/nonexistent/comptes.csv", landlord="hmp")


def test_bad_lines_are_printed_and_the_command_fails(landlord, tmp_path, capsys):
    bad = tmp_path / "comptes.csv"
    bad.write_text(
        "compte;contrat;adresse;code_postal;ville;date_entree;nom_1;prenom_1;date_naissance_1\n"
        "000123;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975\n"
        "ABC;C2;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;99/09/1975\n"
    )

    with pytest.raises(CommandError, match="1 ligne\\(s\\) en erreur, rien n'a été importé"):
        call_command("import_accounts", str(bad), landlord="hmp")

    err = capsys.readouterr().err
    assert "comptes.csv, ligne 3 : compte : « ABC » ne respecte pas le format" in err
    assert "date_naissance_1 : « 99/09/1975 » n'est pas une date valide" in err
    assert not TenantAccount.objects.exists()


def test_whole_file_problem_says_nothing_was_imported(landlord, tmp_path):
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")

    with pytest.raises(
        CommandError, match=re.escape("vide.csv : Le fichier est vide. Rien n'a été importé.")
    ):
        call_command("import_ledger", str(empty), landlord="hmp")
