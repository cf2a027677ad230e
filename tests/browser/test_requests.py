"""Mes demandes, Mon logement, Mes contacts and the insurance certificate in a real browser
at 390 px (a common phone), for the tenant and for the agency; axe-core on every page."""

import datetime
import re

import pytest

from accounts.models import User
from core.allauth_bridge import TOTP, generate_totp_secret
from landlords.models import Landlord
from staff.roles import Role
from tests.backoffice.conftest import PASSWORD as STAFF_PASSWORD
from tests.backoffice.conftest import totp_code
from tests.browser.conftest import assert_accessible, submit_login
from tests.browser.test_signup_journeys import field
from tests.factories import EmailAddressFactory, StaffMemberFactory
from tests.servicerequests.conftest import phone_photo, small_pdf

TENANT_PASSWORD = "Loyer-Payé-2026"
TENANTS = {
    "hmp": ("jean@exemple.com", "jean@exemple.com"),
    "hdf": ("590000000012345", "sophie@exemple.com"),
    "auvergne": ("nadege@exemple.com", "nadege@exemple.com"),
    "aubervilliers": ("jean@exemple.com", "jean@exemple.com"),
}


def new_phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def phone390(browser):
    context = new_phone(browser)
    yield context.new_page()
    context.close()


@pytest.fixture
def agency_phone(browser):
    context = new_phone(browser)
    yield context.new_page()
    context.close()


@pytest.fixture
def site(demo_site, settings, tmp_path):
    settings.DEMO = True
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
    return demo_site


def staff_member(slug, role=Role.AGENT, agencies=("NORD",)):
    landlord = Landlord.objects.get(slug=slug)
    user = User.objects.create_user(
        f"{role}.{slug}@exemple.fr", STAFF_PASSWORD, first_name="Camille", last_name="AGENT"
    )
    EmailAddressFactory(user=user)
    member = StaffMemberFactory(user=user, landlord=landlord, role=role)
    member.agencies.set(landlord.agencies.filter(code__in=agencies))
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user


def tenant_signs_in(page, site, slug, axe):
    identifier, _email = TENANTS[slug]
    page.goto(site(f"{slug}.localhost", "/compte/login/"))
    submit_login(page, identifier, TENANT_PASSWORD)
    assert page.locator("h1").inner_text() == "Mon compte"
    assert_accessible(axe, page)


def staff_signs_in(page, site, slug, user, axe):
    page.goto(site(f"agence.{slug}.localhost"))
    assert_accessible(axe, page)
    submit_login(page, user.email, STAFF_PASSWORD)
    page.locator("input[name=code]").fill(totp_code(user.totp_secret))
    page.get_by_role("button", name=re.compile("Valider|Vérifier|Se connecter|Continuer")).click()
    assert page.locator("h1").inner_text() == "Tableau de bord"
    assert_accessible(axe, page)


def test_a_heating_request_answered_planned_resolved_and_reopened(
    site, make_tenant, phone390, agency_phone, axe, tmp_path
):
    make_tenant("hmp", email="jean@exemple.com")
    agent = staff_member("hmp")
    page = phone390
    tenant_signs_in(page, site, "hmp", axe)

    page.get_by_role("link", name="Mes demandes").first.click()
    assert page.locator("h1").inner_text() == "Mes demandes"
    assert_accessible(axe, page)
    page.get_by_role("link", name="Nouvelle demande").first.click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Chauffage et eau chaude").click()
    assert "Odeur de gaz" in page.locator(".urgency-notice").inner_text()
    assert_accessible(axe, page)
    field(page, "Décrivez votre demande").fill("Plus de chauffage ni d'eau chaude depuis hier.")
    field(page, "Où dans le logement ?").fill("Salle de bains")
    field(page, "Quand êtes-vous disponible ?").fill("En semaine après 17 h")
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(phone_photo().read())
    page.get_by_label("Photos ou documents").set_input_files(str(photo))
    page.get_by_role("button", name="Envoyer ma demande").click()
    assert page.locator("h1").inner_text().startswith("Demande D")
    assert "Réponse attendue sous 3 jours" in page.locator(".messages").inner_text()
    assert "IMG_2041.jpg" in page.locator("main").inner_text()
    assert_accessible(axe, page)
    reference = page.locator("h1").inner_text().split(" ")[1]

    desk = agency_phone
    staff_signs_in(desk, site, "hmp", agent, axe)
    desk.get_by_role("link", name="Demandes", exact=True).click()
    assert_accessible(axe, desk)
    desk.get_by_role("link", name=reference).click()
    assert_accessible(axe, desk)
    desk.get_by_label("Réponse type").select_option(label="Intervention planifiée")
    desk.get_by_label("Message au locataire").fill("Le technicien passera jeudi matin.")
    desk.get_by_role("button", name="Envoyer la réponse").click()
    assert "Votre réponse est envoyée" in desk.locator(".messages").inner_text()
    desk.get_by_label("Nouvel état").select_option(label="intervention prévue")
    intervention = datetime.date.today() + datetime.timedelta(days=3)
    desk.get_by_label("Date de l'intervention").fill(intervention.isoformat())
    desk.get_by_role("button", name="Enregistrer l'état").click()
    assert "L'état de la demande est modifié." in desk.locator(".messages").inner_text()
    assert_accessible(axe, desk)

    page.reload()
    timeline = page.locator(".timeline").inner_text()
    assert "envoyée" in timeline and "intervention prévue" in timeline
    assert "Le technicien passera jeudi matin." in page.locator(".thread").inner_text()
    assert_accessible(axe, page)
    page.goto(site("hmp.localhost", "/outbox/"))
    outbox = page.locator("main").inner_text()
    assert f"Votre demande {reference} : intervention prévue" in outbox
    assert f"Réponse de votre agence à votre demande {reference}" in outbox
    assert_accessible(axe, page)

    desk.get_by_label("Nouvel état").select_option(label="résolue")
    desk.get_by_role("button", name="Enregistrer l'état").click()
    page.go_back()
    page.reload()
    page.get_by_role("button", name="Mon problème n'est pas résolu").click()
    assert "Votre demande est rouverte" in page.locator(".messages").inner_text()
    assert "Prise en charge" in page.locator(".request-status").first.inner_text()
    assert "mon problème n'est pas résolu" in page.locator(".timeline").inner_text()
    assert_accessible(axe, page)


def test_a_tenant_uploads_an_insurance_certificate_and_staff_accept_it(
    site, make_tenant, phone390, agency_phone, axe, tmp_path
):
    make_tenant("hmp", email="jean@exemple.com")
    agent = staff_member("hmp")
    page = phone390
    tenant_signs_in(page, site, "hmp", axe)
    assert "aucune attestation reçue" in page.locator(".insurance-status").inner_text()

    page.get_by_role("link", name="Envoyer mon attestation").click()
    assert page.locator("h1").inner_text() == "Attestation d'assurance habitation"
    assert_accessible(axe, page)
    certificate = tmp_path / "attestation.pdf"
    certificate.write_bytes(small_pdf())
    page.get_by_label("Votre attestation").set_input_files(str(certificate))
    end_date = datetime.date.today() + datetime.timedelta(days=300)
    page.get_by_label("Fin de validité").fill(end_date.isoformat())
    page.get_by_role("button", name="Envoyer l'attestation").click()
    assert "Votre attestation est envoyée" in page.locator(".messages").inner_text()
    assert_accessible(axe, page)

    desk = agency_phone
    staff_signs_in(desk, site, "hmp", agent, axe)
    desk.get_by_role("link", name="Assurances").click()
    assert_accessible(axe, desk)
    desk.get_by_role("link", name="Vérifier l'attestation du compte 000123").click()
    assert_accessible(axe, desk)
    desk.get_by_label("Accepter l'attestation").check()
    desk.get_by_role("button", name="Enregistrer la décision").click()
    assert "est acceptée" in desk.locator(".messages").inner_text()
    assert_accessible(axe, desk)

    page.goto(site("hmp.localhost", "/mon-compte/"))
    assert f"à jour jusqu'au {end_date:%d/%m/%Y}" in page.locator(".insurance-status").inner_text()


@pytest.mark.parametrize(
    ("slug", "residence", "caretaker", "emergency"),
    [
        ("hmp", "Résidence Les Oliviers", "Nadia HAMIDI", "04 65 71 99 99"),
        ("hdf", "Résidence du Beffroi", "Patrick LEFEBVRE", "03 53 48 99 99"),
        ("auvergne", "Résidence Les Puys", "Sylvie MOREL", "04 73 00 99 99"),
        ("aubervilliers", "Résidence Villette", "Karim BENALI", "01 48 00 99 99"),
    ],
)
def test_mon_logement_and_mes_contacts_show_the_demo_data(
    site, make_tenant, phone390, axe, slug, residence, caretaker, emergency
):
    make_tenant(slug, email=TENANTS[slug][1])
    page = phone390
    tenant_signs_in(page, site, slug, axe)

    page.get_by_role("link", name="Mon logement").click()
    assert page.locator("h1").inner_text() == "Mon logement"
    main = page.locator("main").inner_text()
    assert residence in main and caretaker in main and emergency in main
    assert "Loyer et charges de votre dernier avis" in main
    assert_accessible(axe, page)

    page.get_by_role("link", name="Retour à Mon compte").click()
    page.get_by_role("link", name="Mes contacts").click()
    assert page.locator("h1").inner_text() == "Mes contacts"
    main = page.locator("main").inner_text()
    assert caretaker in main and emergency in main and "Votre agence" in main
    assert_accessible(axe, page)
    field(page, "Votre message").fill("Je voudrais une attestation de loyer.")
    page.get_by_role("button", name="Envoyer à mon agence").click()
    assert page.locator("h1").inner_text().startswith("Demande D")
    assert_accessible(axe, page)
