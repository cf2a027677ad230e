import datetime
import io
from decimal import Decimal

import pytest

from tenancies.erpfiles import ImportFileError
from tenancies.imports import import_accounts
from tenancies.models import Lease, Signatory, TenantAccount

pytestmark = pytest.mark.django_db

HEADER = (
    "compte;agence;contrat;adresse;code_postal;ville;date_entree;"
    "nom_1;prenom_1;date_naissance_1;mobile_1"
)


def run(landlord, text: str | bytes, encoding="auto"):
    data = text.encode() if isinstance(text, str) else text
    return import_accounts(landlord, io.BytesIO(data), encoding=encoding)


def csv_lines(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def stored_rows():
    """Everything the import writes, to prove a refused file changed nothing."""
    return (
        list(TenantAccount.objects.values_list("number", "agency__code").order_by("number")),
        list(Lease.objects.values().order_by("pk")),
        list(Signatory.objects.values().order_by("pk")),
    )


def test_sample_file_creates_accounts_leases_and_signatories(landlord, sample_path):
    with sample_path("comptes.csv").open("rb") as sample:
        report = import_accounts(landlord, sample)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    account = TenantAccount.objects.get(landlord=landlord, number="000123")
    assert account.agency.code == "NORD"
    lease = account.leases.get()
    assert (lease.reference, lease.kind, lease.address_complement) == (
        "C-000123",
        "logement",
        "Bât. B, appt 12",
    )
    assert lease.start_date == datetime.date(2015, 3, 1)
    jean, marie = lease.signatories.order_by("position")
    assert (jean.last_name, jean.first_name, jean.birth_date) == (
        "DUPOND",
        "Jean",
        datetime.date(1975, 9, 10),
    )
    assert jean.mobile_phone == "+33611223344"
    assert jean.email == "jean.dupond@exemple.com"
    assert marie.first_name == "Marie"
    assert TenantAccount.objects.get(number="000457").leases.get().kind == "parking"
    assert TenantAccount.objects.get(
        number="000789"
    ).leases.get().signatories.get().landline_phone == ("+33465712003")


def test_rerunning_the_same_file_changes_nothing(landlord, sample_path):
    with sample_path("comptes.csv").open("rb") as sample:
        import_accounts(landlord, sample)
    before = stored_rows()

    with sample_path("comptes.csv").open("rb") as sample:
        report = import_accounts(landlord, sample)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert stored_rows() == before


def test_a_changed_line_updates_its_account_only(landlord):
    run(
        landlord,
        csv_lines(
            "000123;NORD;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;",
            "000124;NORD;C2;2 rue B;13001;Marseille;01/01/2020;MARTIN;Léa;03/12/1990;",
        ),
    )

    report = run(
        landlord,
        csv_lines(
            "000123;SUD;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;"
            "06 11 22 33 44",
            "000124;NORD;C2;2 rue B;13001;Marseille;01/01/2020;MARTIN;Léa;03/12/1990;",
        ),
    )

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    account = TenantAccount.objects.get(number="000123")
    assert account.agency.code == "SUD"
    assert account.leases.get().signatories.get().mobile_phone == "+33611223344"


def test_signatory_keeps_its_row_when_only_the_spelling_of_the_name_changes(landlord):
    run(
        landlord,
        csv_lines("000123;;C1;1 rue A;13001;Marseille;01/01/2020;COLIN;Nadège;14/03/1980;"),
    )
    signatory = Signatory.objects.get()

    run(
        landlord,
        csv_lines("000123;;C1;1 rue A;13001;Marseille;01/01/2020;Colin;NADEGE;14/03/1980;"),
    )

    assert Signatory.objects.get().pk == signatory.pk
    assert Signatory.objects.get().first_name == "NADEGE"


def test_signatory_gone_from_the_lease_in_the_erp_is_removed(landlord):
    header = HEADER + ";nom_2;prenom_2;date_naissance_2;mobile_2\n"
    base = "000123;;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;"
    run(landlord, header + base + ";DUPOND;Marie;21/04/1977;\n")
    assert Signatory.objects.count() == 2

    report = run(landlord, header + base + ";;;;\n")

    assert report.updated == 1
    assert list(Signatory.objects.values_list("first_name", flat=True)) == ["Jean"]


def test_a_new_lease_reference_adds_a_lease_and_keeps_the_old_one(landlord):
    run(
        landlord, csv_lines("000123;;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;")
    )

    report = run(
        landlord,
        csv_lines("000123;;C2;9 rue Neuve;13001;Marseille;01/02/2026;DUPOND;Jean;10/09/1975;"),
    )

    assert report.updated == 1
    assert set(Lease.objects.values_list("reference", flat=True)) == {"C1", "C2"}


def test_windows_1252_file_is_read_with_its_accents(landlord, sample_path):
    data = sample_path("comptes.csv").read_text(encoding="utf-8").encode("cp1252")

    report = run(landlord, data)

    assert report.errors == []
    assert Signatory.objects.get(last_name="MARTIN").first_name == "Léa"
    assert Lease.objects.get(reference="C-000123").address_complement == "Bât. B, appt 12"


def test_utf8_file_with_byte_order_mark_and_crlf_line_endings(landlord, sample_path):
    data = sample_path("comptes.csv").read_text(encoding="utf-8").replace("\n", "\r\n")

    report = run(landlord, "\ufeff" + data)

    assert report.errors == []
    assert report.created == 3


def test_header_names_ignore_case_accents_and_spaces(landlord):
    header = (
        "Compte;Contrat;Adresse;Code postal;Ville;Date entrée;NOM_1;Prénom_1;Date naissance 1\n"
    )

    report = run(
        landlord, header + "000123;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975\n"
    )

    assert report.errors == []
    assert report.created == 1


# Bad input: a clear French message, and nothing written.


@pytest.fixture
def existing(landlord, sample_path):
    with sample_path("comptes.csv").open("rb") as sample:
        import_accounts(landlord, sample)
    return stored_rows()


def refused(landlord, data, message, encoding="auto"):
    with pytest.raises(ImportFileError) as error:
        run(landlord, data, encoding)
    assert message in str(error.value)


def test_empty_file_is_refused(landlord, existing):
    refused(landlord, b"", "Le fichier est vide.")
    refused(landlord, "\n\n", "Le fichier est vide.")
    assert stored_rows() == existing


def test_header_only_file_is_refused(landlord, existing):
    refused(landlord, HEADER + "\n", "aucune ligne de données")
    assert stored_rows() == existing


def test_missing_and_unknown_columns_are_all_named(landlord, existing):
    header = "compte;contrat;adresse;ville;date_entree;nom_1;prenom_1;date_naissance_1;couleur\n"

    refused(
        landlord,
        header + "000123;C1;1 rue A;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;bleu\n",
        "En-tête invalide : colonne inconnue : « couleur » ; "
        "colonne obligatoire manquante : « code_postal ».",
    )
    assert stored_rows() == existing


def test_duplicate_column_is_refused(landlord):
    refused(landlord, HEADER + ";ville\n", "colonne en double : « ville »")


def test_wrong_separator_is_named(landlord, existing):
    refused(landlord, HEADER.replace(";", ",") + "\n", "ce fichier utilise la virgule (,)")
    refused(landlord, HEADER.replace(";", "\t") + "\n", "ce fichier utilise la tabulation")
    assert stored_rows() == existing


def test_utf16_file_is_refused_with_its_encoding_named(landlord, existing):
    refused(landlord, csv_lines().encode("utf-16"), "UTF-16")
    refused(landlord, csv_lines().encode("utf-16-le"), "octets nuls")
    assert stored_rows() == existing


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused(landlord, existing):
    refused(landlord, HEADER.encode() + b"\n000123\x81\n", "ni en UTF-8 ni en Windows-1252")
    assert stored_rows() == existing


def test_forced_utf8_on_a_windows_1252_file_is_refused(landlord):
    refused(landlord, csv_lines("é").encode("cp1252"), "n'est pas en utf-8", encoding="utf-8")


def every_bad_line(landlord, *lines):
    report = run(landlord, csv_lines(*lines))
    return dict(report.errors)


def test_every_bad_line_is_reported_with_its_number_and_nothing_is_written(landlord, existing):
    errors = every_bad_line(
        landlord,
        "000123;NORD;C-000123;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;31/02/1975;",
        "12AB;NORD;C9;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;",
        "000200;NORD;C10;1 rue A;13001;Marseille;2020-01-01;DUPOND;Jean;10/09/1975;06 11",
        "000201;NORD;C11;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;",
        "000201;NORD;C12;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;",
        "000202;EST;C13;;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;",
        "000203;NORD;C14;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean",
    )

    assert errors == {
        2: "date_naissance_1 : « 31/02/1975 » n'est pas une date valide (format JJ/MM/AAAA)",
        3: "compte : « 12AB » ne respecte pas le format du numéro de compte client "
        "(Disponible sur votre avis de loyer)",
        4: "date_entree : « 2020-01-01 » n'est pas une date valide (format JJ/MM/AAAA) ; "
        "mobile_1 : « 06 11 » n'est pas un numéro de téléphone valide",
        6: "compte « 000201 » déjà présent ligne 5",
        7: "agence : code « EST » inconnu pour ce bailleur ; "
        "adresse : valeur obligatoire manquante",
        8: "9 champs au lieu de 11 : vérifiez le séparateur (;) et qu'aucune valeur ne contient "
        "de point-virgule.",
    }
    assert stored_rows() == existing


def test_a_landline_is_not_accepted_as_mobile(landlord):
    errors = every_bad_line(
        landlord,
        "000123;;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;04 65 71 00 01",
    )

    assert errors == {2: "mobile_1 : « 04 65 71 00 01 » n'est pas un numéro de mobile"}


def test_a_line_of_ten_megabytes_is_reported_without_reading_it_whole(landlord, existing):
    huge = "000300;;C1;" + "x" * 10_000_000 + ";13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;"
    errors = every_bad_line(
        landlord,
        "000123;NORD;C-000123;15 rue des Oliviers;13013;Marseille;01/03/2015;"
        "DUPOND;Jean;10/09/1975;",
        huge,
    )

    assert errors == {3: "ligne trop longue (plus de 10000 caractères)"}
    assert stored_rows() == existing


def test_too_long_value_is_refused_before_the_database_sees_it(landlord):
    errors = every_bad_line(
        landlord, f"000123;;C1;{'x' * 201};13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;"
    )

    assert errors == {2: "adresse : plus de 200 caractères"}


def test_same_signatory_twice_on_one_lease_is_refused(landlord):
    header = HEADER + ";nom_2;prenom_2;date_naissance_2\n"
    line = (
        "000123;;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;"
        ";Dupond;JEAN;10/09/1975\n"
    )

    report = run(landlord, header + line)

    assert report.errors == [(2, "nom_2 : signataire en double sur ce contrat")]


def test_a_file_without_optional_columns_keeps_what_is_stored(landlord, existing):
    minimal = (
        "compte;contrat;adresse;complement_adresse;code_postal;ville;date_entree;"
        "nom_1;prenom_1;date_naissance_1\n"
        "000123;C-000123;15 rue des Oliviers;Bât. B, appt 12;13013;Marseille;01/03/2015;"
        "DUPOND;Jean;10/09/1975\n"
        "000457;C-000457;15 rue des Oliviers;Place 27;13013;Marseille;01/06/2018;"
        "DUPOND;Jean;10/09/1975\n"
    )

    report = run(landlord, minimal)

    assert (report.updated, report.unchanged) == (0, 2)
    assert stored_rows() == existing


def test_a_new_current_lease_ends_the_former_one_and_its_signatories_access(landlord):
    header = HEADER + ";nom_2;prenom_2;date_naissance_2;mobile_2\n"
    run(
        landlord,
        header + "000123;;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;"
        ";DUPOND;Marie;21/04/1977;\n",
    )

    run(
        landlord, csv_lines("000123;;C2;9 rue B;13001;Marseille;01/02/2026;DUPOND;Jean;10/09/1975;")
    )

    account = TenantAccount.objects.get(number="000123")
    former = account.leases.get(reference="C1")
    assert former.end_date == datetime.date(2026, 1, 31)
    current = Signatory.objects.filter(lease__in=account.current_leases(datetime.date(2026, 3, 1)))
    assert list(current.values_list("first_name", flat=True)) == ["Jean"]


def test_blank_lines_before_the_header_and_trailing_semicolons_are_tolerated(landlord):
    data = (
        "\n\n"
        + HEADER
        + ";\n"
        + ("000123;;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;;\n")
    )

    report = run(landlord, data)

    assert report.errors == []
    assert report.created == 1


def test_an_unclosed_quote_spoils_only_its_own_line(landlord):
    errors = every_bad_line(
        landlord,
        '000123;;C1;"1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;',
        "000124;;C2;2 rue B;13001;Marseille;01/01/2020;MARTIN;Léa;03/12/1990;",
        "ABC;;C3;3 rue C;13001;Marseille;01/01/2020;MARTIN;Léa;03/12/1990;",
    )

    assert list(errors) == [2, 4]
    assert errors[2] == "ligne mal formée : un guillemet (\") est mal placé ou n'est pas refermé"


def test_a_too_long_line_in_a_file_with_old_mac_line_endings_hides_no_other_line(landlord):
    lines = [
        HEADER,
        "000300;;C1;" + "x" * 20_000 + ";13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;",
        "ABC;;C2;2 rue B;13001;Marseille;01/01/2020;MARTIN;Léa;03/12/1990;",
    ]

    report = run(landlord, "\r".join(lines) + "\r")

    assert [line for line, _ in report.errors] == [2, 3]


def test_a_line_of_exactly_the_limit_is_accepted_whatever_the_line_endings(landlord):
    line = "000123;;C1;{};13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;"
    address = "x" * (10_000 - len(line.format("")))
    data = f"{HEADER}\r\n{line.format(address)}\r\n"

    report = run(landlord, data)

    assert report.errors == [(2, "adresse : plus de 200 caractères")]


@pytest.mark.parametrize(
    ("column_values", "message"),
    [
        ("٠٠٠١٢٣;;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;", "compte :"),
        ("000123;;C1;1 rue A;13001;Marseille;01/01/0001;DUPOND;Jean;10/09/1975;", "date_entree"),
        ("000123;;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/2090;", "dans le futur"),
        (
            "000123;;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;+44 7911 123456",
            "n'est pas un numéro français",
        ),
        (
            "000123;;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;0611223344 ext 5",
            "n'est pas un numéro de téléphone valide",
        ),
    ],
)
def test_implausible_values_are_refused(landlord, column_values, message):
    errors = every_bad_line(landlord, column_values)

    assert message in errors[2]


def test_an_email_longer_than_the_database_allows_is_refused(landlord):
    header = HEADER + ";email_1\n"
    email = "a" * 250 + "@exemple.fr"

    report = run(
        landlord,
        header + f"000123;;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;;{email}\n",
    )

    assert report.errors == [(2, f"email_1 : « {email} » dépasse 254 caractères")]


DWELLING_HEADER = (
    "compte;contrat;adresse;code_postal;ville;date_entree;nom_1;prenom_1;date_naissance_1;"
    "typologie;surface;etage;residence;annexes;gardien;telephone_gardien;numero_urgence"
)


def dwelling_lines(*lines):
    return "\n".join([DWELLING_HEADER, *lines]) + "\n"


def test_the_sample_file_carries_mon_logement(landlord, sample_path):
    with open(sample_path("comptes.csv"), "rb") as sample:
        import_accounts(landlord, sample)

    lease = Lease.objects.get(reference="C-000123")
    assert (lease.typology, lease.surface, lease.floor) == ("T3", Decimal("67.40"), 3)
    assert lease.residence == "Résidence Les Oliviers"
    assert lease.annexes == "Cave n° 4"
    assert (lease.caretaker_name, lease.caretaker_phone) == ("Nadia HAMIDI", "+33465711020")
    assert lease.emergency_phone == "+33465719999"


def test_a_file_without_the_dwelling_columns_leaves_them_untouched(landlord, sample_path):
    with open(sample_path("comptes.csv"), "rb") as sample:
        import_accounts(landlord, sample)

    report = run(
        landlord,
        csv_lines(
            "000123;NORD;C-000123;15 rue des Oliviers;13013;Marseille;01/03/2015;"
            "DUPOND;Jean;10/09/1975;06 11 22 33 44"
        ),
    )

    assert not report.errors
    lease = Lease.objects.get(reference="C-000123")
    assert lease.typology == "T3" and lease.caretaker_name == "Nadia HAMIDI"


def test_ground_floor_is_rdc(landlord):
    run(
        landlord,
        dwelling_lines(
            "000300;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;t2;45;RDC;;;;;"
        ),
    )

    lease = Lease.objects.get()
    assert (lease.typology, lease.surface, lease.floor, lease.floor_label) == (
        "T2",
        Decimal("45"),
        0,
        "rez-de-chaussée",
    )


def test_bad_dwelling_values_are_reported_and_nothing_is_written(landlord, existing):
    errors = every_bad_line_of(
        landlord,
        "000300;C1;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;T9;-3;sous-sol;;;;12;",
        "000301;C2;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;T2;45,5;200;;;;;04 65",
    )

    assert errors == {
        2: "typologie : « T9 » n'est pas une valeur permise (t1, t2, t3, t4, t5, t6) ; "
        "surface : « -3 » doit être un nombre positif (exemple : 65,40) ; "
        "etage : « sous-sol » n'est pas un nombre entier de -5 à 99 ; "
        "telephone_gardien : « 12 » n'est pas un numéro de téléphone valide",
        3: "etage : « 200 » n'est pas un nombre entier de -5 à 99 ; "
        "numero_urgence : « 04 65 » n'est pas un numéro de téléphone valide",
    }
    assert stored_rows() == existing


def every_bad_line_of(landlord, *lines):
    return dict(run(landlord, dwelling_lines(*lines)).errors)


@pytest.fixture
def small_batches(monkeypatch):
    """New accounts handed over two at a time, and the progress told every two lines: on
    PostgreSQL a second thread COPYs each batch while the next lines are checked."""
    monkeypatch.setattr("tenancies.imports.BATCH_ACCOUNTS", 2)
    monkeypatch.setattr("tenancies.erpfiles.PROGRESS_EVERY_LINES", 2)


def five_accounts() -> list[str]:
    return [
        f"00030{n};NORD;C{n};{n} rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;"
        f"06 11 22 33 4{n}"
        for n in range(5)
    ]


def test_new_accounts_written_batch_by_batch_are_stored_whole(landlord, small_batches):
    # The progress is written to the database while batches are being stored.
    progress = []

    def on_progress(done, total):
        progress.append(TenantAccount.objects.count())

    report = import_accounts(
        landlord, io.BytesIO(csv_lines(*five_accounts()).encode()), on_progress=on_progress
    )

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    assert len(progress) >= 3
    for n in range(5):
        lease = Lease.objects.get(account__landlord=landlord, account__number=f"00030{n}")
        assert (lease.reference, lease.address) == (f"C{n}", f"{n} rue A")
        assert lease.signatories.get().mobile_phone == f"+3361122334{n}"
    again = run(landlord, csv_lines(*five_accounts()))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_a_bad_line_after_batches_were_written_undoes_them(landlord, existing, small_batches):
    report = run(
        landlord,
        csv_lines(
            *five_accounts(),
            "000310;NORD;C10;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;31/02/1975;",
            "000311;NORD;C11;1 rue A;13001;Marseille;01/01/2020;DUPOND;Jean;10/09/1975;",
        ),
    )

    assert report.errors == [
        (7, "date_naissance_1 : « 31/02/1975 » n'est pas une date valide (format JJ/MM/AAAA)")
    ]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert stored_rows() == existing
