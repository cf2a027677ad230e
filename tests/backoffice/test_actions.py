"""Staff actions on a tenant: a reason each, a French error on bad input, a journal row."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Access, ActivationLetter
from audit.models import AuditEvent
from core import throttle
from staff.roles import Role
from tenancies.models import Signatory, TenantAccount
from tests.backoffice.conftest import BACKOFFICE

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"backoffice:{name}", args=args, urlconf=BACKOFFICE)


@pytest.fixture
def sophie(demo):
    account = TenantAccount.objects.get(landlord__slug="hdf", number="590000000012345")
    return account, Signatory.objects.get(lease__account=account)


@pytest.fixture
def client(hdf_agent, agence):
    return agence("hdf", hdf_agent)


def test_the_mobile_is_corrected_and_the_unknown_number_report_cleared(client, sophie, hdf_agent):
    account, signatory = sophie
    TenantAccount.objects.filter(pk=account.pk).update(
        phone_unknown_reported_at="2026-11-30T10:00Z"
    )

    response = client.post(
        url("correct_mobile", account.pk, signatory.pk),
        {"mobile": "07 88 77 66 55", "reason": "Appel de la locataire, numéro changé"},
        follow=True,
    )

    assert "Le mobile de LEROY Sophie est corrigé." in response.text
    signatory.refresh_from_db()
    account.refresh_from_db()
    assert signatory.mobile_phone == "+33788776655"
    assert account.phone_unknown_reported_at is None
    event = AuditEvent.objects.get(action="tenant.mobile_corrected")
    assert (event.actor, event.actor_kind, event.account) == (hdf_agent, "staff", account)
    assert event.reason == "Appel de la locataire, numéro changé"
    assert "Appel de la locataire" in response.text  # the account's journal on the page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mobile": "07 88 77 66 55", "reason": "  "}, "Indiquez le motif de cette action."),
        (
            {"mobile": "01 23 45 67 89", "reason": "Appel"},
            "Saisissez un numéro de téléphone portable",
        ),
        ({"mobile": "12", "reason": "Appel"}, "Saisissez un numéro de téléphone valide"),
    ],
)
def test_bad_input_changes_nothing(client, sophie, data, message):
    account, signatory = sophie

    response = client.post(url("correct_mobile", account.pk, signatory.pk), data)

    assert response.status_code == 400
    assert message in response.text
    signatory.refresh_from_db()
    assert signatory.mobile_phone == "+33612345661"
    assert not AuditEvent.objects.filter(action="tenant.mobile_corrected").exists()


@pytest.mark.parametrize("name", ["print_letter", "lift_signup_lock"])
def test_an_empty_reason_is_refused(client, sophie, name):
    account, _signatory = sophie

    response = client.post(url(name, account.pk), {"reason": ""})

    assert response.status_code == 400
    assert "Indiquez le motif de cette action." in response.text
    assert not ActivationLetter.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="tenant.").exists()


def test_a_letter_is_printed_as_a_pdf_with_a_new_code(client, sophie):
    account, signatory = sophie

    response = client.post(url("print_letter", account.pk), {"reason": "Ne connaît pas le numéro"})

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert ActivationLetter.objects.filter(signatory=signatory, used_at=None).count() == 1
    assert AuditEvent.objects.get(action="tenant.letter_printed").account == account


def test_a_sign_up_lock_is_lifted(client, sophie):
    account, _signatory = sophie
    for _ in range(8):
        throttle.record_failure("signup", [f"{account.landlord_id}:{account.number}"])
    assert "Inscription bloquée" in client.get(url("tenant", account.pk)).text
    assert "Inscription bloquée" in client.get(url("unblock_queue")).text

    client.post(url("lift_signup_lock", account.pk), {"reason": "Appel, identité vérifiée"})

    assert "Inscription bloquée" not in client.get(url("tenant", account.pk)).text
    assert AuditEvent.objects.filter(action="tenant.lock_lifted").exists()


def test_a_login_lock_is_lifted_and_the_tenant_signs_in_again(client, sophie, make_tenant):
    account, _signatory = sophie
    user = make_tenant("hdf")
    access = Access.objects.get(user=user)
    for _ in range(8):
        throttle.record_failure("login", [f"{account.landlord_id}:{account.number}"])
    page = client.get(url("tenant", account.pk)).text
    assert "bloquée par trop d'essais (encore" in page
    assert "Connexion de hdf@exemple.com bloquée" in client.get(url("unblock_queue")).text

    client.post(url("lift_lock", account.pk, access.pk), {"reason": "Appel de la locataire"})

    assert "bloquée par trop d'essais (encore" not in client.get(url("tenant", account.pk)).text
    assert not cache.get(f"throttle:login:{account.landlord_id}:{account.number}")
    assert "Connexion de hdf@exemple.com bloquée" not in client.get(url("unblock_queue")).text


def test_the_activation_email_is_resent_with_a_link_to_the_tenants_portal(
    client, sophie, make_tenant
):
    account, _signatory = sophie
    user = make_tenant("hdf")
    user.emailaddress_set.update(verified=False)
    access = Access.objects.get(user=user)

    response = client.post(
        url("resend_activation", account.pk, access.pk), {"reason": "Email perdu"}, follow=True
    )

    assert "Un nouveau lien d&#x27;activation est envoyé" in response.text
    assert len(mail.outbox) == 1
    assert "http://hdf.localhost/compte/confirm-email/" in mail.outbox[0].body
    assert "agence." not in mail.outbox[0].body


def test_closing_an_access_deactivates_a_login_left_without_account(client, sophie, make_tenant):
    account, _signatory = sophie
    user = make_tenant("hdf")
    access = Access.objects.get(user=user)

    client.post(url("close_access", account.pk, access.pk), {"reason": "Départ du logement"})

    user.refresh_from_db()
    assert not user.is_active
    assert not Access.objects.filter(pk=access.pk).exists()
    event = AuditEvent.objects.get(action="tenant.access_closed")
    assert event.subject_user == user


def test_voir_comme_is_read_only_and_journaled(client, sophie):
    account, _signatory = sophie

    response = client.get(url("view_as", account.pk))

    assert "lecture seule" in response.text
    assert "<form" not in response.text.split("<main", 1)[1]
    assert AuditEvent.objects.get(action="tenant.viewed_as").account == account


def test_the_journal_exports_without_secrets(make_staff, agence, sophie):
    account, _signatory = sophie
    admin = make_staff("hdf", Role.ADMINISTRATOR)
    client = agence("hdf", admin)
    client.post(url("print_letter", account.pk), {"reason": "=HYPERLINK(1)"})

    csv = client.get(url("journal_csv"), {"action": "tenant.letter_printed"}).content.decode()

    assert csv.startswith("\ufeffDate;Action;")
    assert "courrier d'activation imprimé" in csv
    assert "'=HYPERLINK(1)" in csv  # no formula for the spreadsheet
    letter_codes = ActivationLetter.objects.values_list("code_hash", flat=True)
    assert not any(code in csv for code in letter_codes)
    assert AuditEvent.objects.filter(action="journal.exported", actor=admin).exists()


def test_the_queue_lists_the_unknown_number_reports_oldest_first(client, sophie):
    account, _signatory = sophie
    TenantAccount.objects.filter(pk=account.pk).update(
        phone_unknown_reported_at="2026-11-30T10:00Z"
    )

    page = client.get(url("unblock_queue")).text

    assert "A signalé « Je ne connais pas ce numéro »" in page
    assert "30/11/2026" in page
    dashboard = client.get(url("dashboard")).text
    assert '<span class="count">1</span>' in dashboard


def test_the_fiche_shows_the_sign_in_failures_of_its_logins(client, sophie, make_tenant):
    from django.test import Client

    account, _signatory = sophie
    make_tenant("hdf")
    # Habitat Hauts-de-France's tenants sign in with their tenant code.
    Client(HTTP_HOST="hdf.localhost").post(
        "/compte/login/", {"login": account.number, "password": "faux"}
    )

    page = client.get(url("tenant", account.pk)).text

    assert "Échec de connexion" in page


def test_a_message_is_shown_once_even_on_a_page_without_one_of_its_own(client, sophie):
    account, _signatory = sophie
    lifted = "Le blocage est levé : le locataire peut réessayer dès maintenant."

    client.post(url("lift_signup_lock", account.pk), {"reason": "Appel, identité vérifiée"})

    assert client.get(url("journal")).text.count(lifted) == 1
    assert lifted not in client.get(url("dashboard")).text
