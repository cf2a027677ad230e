"""The espace agence's Paiements, Imports and Actualités in a real browser (desktop width)."""

import csv
import io
import re

import pytest
from django.utils import timezone

from accounts.models import User
from core.allauth_bridge import TOTP, generate_totp_secret
from landlords.models import Landlord
from payments.models import Payment, PaymentEvent
from payments.services import record_event
from staff.roles import Role
from tenancies.models import TenantAccount
from tests.backoffice.conftest import PASSWORD, totp_code
from tests.browser.conftest import assert_accessible, submit_login
from tests.browser.test_signup_journeys import field
from tests.factories import EmailAddressFactory, PaymentFactory, StaffMemberFactory
from tests.notifications.support import run_due_tasks

AGENCE = "agence.hmp.localhost"
LEDGER_WITH_A_BAD_LINE = (
    "compte;reference;date;libelle;type;montant;periode;rubrique\n"
    "000123;NAV-1;01/12/2026;Loyer;charge;412,30;12/2026;loyer\n"
    "000123;NAV-2;01/12/2026;Provision pour charges;charge;58.00;12/2026;charges\n"
)


@pytest.fixture
def desk(browser):
    """A page the size of an office screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def staff(slug, role):
    landlord = Landlord.objects.get(slug=slug)
    user = User.objects.create_user(
        f"{role}.{slug}@exemple.fr", PASSWORD, first_name="Camille", last_name="MARTIN"
    )
    EmailAddressFactory(user=user)
    StaffMemberFactory(user=user, landlord=landlord, role=role)
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user


def sign_in(page, site, user, axe):
    page.goto(site(AGENCE))
    assert page.locator("h1").inner_text() == "Connexion à l'espace agence"
    field(page, "Identifiant").fill(user.email)
    field(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    assert_accessible(axe, page)
    page.locator("input[name=code]").fill(totp_code(user.totp_secret))
    page.get_by_role("button", name=re.compile("Valider|Vérifier|Se connecter|Continuer")).click()
    assert page.locator("h1").inner_text() == "Tableau de bord"
    assert_accessible(axe, page)


def menu(page, label):
    page.get_by_role("navigation", name="Menu de l'espace agence").get_by_role(
        "link", name=label
    ).click()


def test_an_accountant_finds_a_payment_and_exports_a_batch(demo_site, desk, axe):
    account = TenantAccount.objects.get(landlord__slug="hmp", number="000123")
    payment = PaymentFactory(
        account=account,
        backend="systempay",
        amount_cents=47030,
        state=Payment.State.PAID,
        confirmed_at=timezone.now(),
        provider_transaction_id="a1b2c3",
        ledger_entry=False,
    )
    fields = {"vads_trans_status": "AUTHORISED"}
    record_event(payment, PaymentEvent.Kind.NOTIFICATION, fields=fields)
    other = TenantAccount.objects.get(landlord__slug="hmp", number="000789")
    PaymentFactory(account=other, backend="systempay", amount_cents=2000)
    sign_in(desk, demo_site, staff("hmp", Role.ACCOUNTING), axe)

    menu(desk, "Paiements")
    assert desk.locator("h1").inner_text() == "Paiements en ligne"
    assert_accessible(axe, desk)
    field(desk, "Numéro de compte").fill("000123")
    field(desk, "État").select_option(label="payé")
    desk.get_by_role("button", name="Filtrer").click()
    rows = desk.locator("table.bo-table tbody tr")
    assert rows.count() == 1 and "470,30" in rows.first.inner_text()
    assert_accessible(axe, desk)

    desk.get_by_role("link", name=payment.reference).click()
    assert desk.locator("h1").inner_text() == f"Paiement {payment.reference}"
    assert desk.get_by_text("notification du prestataire").is_visible()
    desk.get_by_text("1 champ").click()
    assert desk.get_by_text("AUTHORISED").is_visible()
    assert_accessible(axe, desk)

    menu(desk, "Paiements")
    desk.get_by_role("link", name="Lots d'export vers l'ERP").click()
    assert "1 paiement confirmé pas encore exporté" in desk.locator("main").inner_text()
    assert_accessible(axe, desk)
    desk.get_by_role("button", name="Exporter les paiements confirmés").click()
    assert desk.locator("h1").inner_text() == "Lot d'export 1"
    assert "Lot 1 créé : 1 paiement(s)." in desk.locator(".messages").inner_text()
    assert_accessible(axe, desk)
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Télécharger le fichier du lot 1 (CSV)").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text()), delimiter=";"))
    assert rows[0][:3] == ["lot", "compte", "reference"]
    assert rows[1][:3] == ["1", "000123", payment.reference]
    payment.refresh_from_db()
    assert payment.export.number == 1


def test_an_administrator_uploads_a_ledger_and_watches_it_to_the_report(
    demo_site, desk, axe, settings, tmp_path
):
    # Tasks as in production: rows that a worker runs, while the page follows them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sign_in(desk, demo_site, staff("hmp", Role.ADMINISTRATOR), axe)
    menu(desk, "Imports")
    assert desk.locator("h1").inner_text() == "Imports des fichiers de l'ERP"
    assert_accessible(axe, desk)

    def upload(content):
        path = tmp_path / "ecritures.csv"
        path.write_text(content, encoding="utf-8")
        desk.get_by_label("Écritures (compte de chaque locataire)").check()
        field(desk, "Fichier CSV").set_input_files(path)
        desk.get_by_role("button", name="Importer").click()
        assert desk.locator("h1").inner_text() == "Import de « ecritures.csv »"
        assert desk.get_by_role("status").inner_text() == "En attente de démarrage : 0 %"
        assert_accessible(axe, desk)
        run_due_tasks()  # the worker; the page's script notices the end and shows the report
        desk.locator("#resultat").wait_for()

    upload(LEDGER_WITH_A_BAD_LINE)
    assert desk.locator("#resultat").inner_text() == "Résultat : refusé, rien n'a été importé"
    assert "« 58.00 » n'est pas un montant valide" in desk.locator("table").inner_text()
    assert_accessible(axe, desk)
    with desk.expect_download() as download:
        desk.get_by_role("link", name=re.compile("Télécharger le rapport")).click()
    report = download.value.path().read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(report), delimiter=";"))
    assert rows[1][:2] == ["ecritures.csv", "3"]

    desk.get_by_role("link", name="Retour aux imports").click()
    upload(LEDGER_WITH_A_BAD_LINE.replace("58.00", "58,00"))
    assert desk.locator("#resultat").inner_text() == "Résultat : importé"
    assert "écritures (compte de chaque locataire) : 2 créés" in desk.locator("main").inner_text()
    assert_accessible(axe, desk)
    desk.get_by_role("link", name="Retour aux imports").click()
    history = desk.locator("table.bo-table tbody tr")
    assert history.count() == 2
    assert "2 créés, 0 mis à jour, 0 inchangés" in history.first.inner_text()
    menu(desk, "Tableau de bord")
    assert "Dernier : « ecritures.csv »" in desk.locator(".bo-tiles").inner_text()


def test_an_administrator_publishes_news_that_a_tenant_then_sees(
    demo_site, desk, phone, axe, make_tenant
):
    sign_in(desk, demo_site, staff("hmp", Role.ADMINISTRATOR), axe)
    menu(desk, "Actualités")
    assert_accessible(axe, desk)
    desk.get_by_role("link", name="Rédiger une actualité").click()
    assert_accessible(axe, desk)
    field(desk, "Titre").fill("Coupure d'eau mardi")
    field(desk, "Texte").fill("L'eau sera coupée mardi de 9 h à 12 h pour travaux.")
    desk.get_by_label("Tous les locataires du bailleur").check()
    desk.get_by_role("button", name="Publier").click()
    assert "Actualité publiée : les locataires la voient." in desk.locator(".messages").inner_text()
    assert_accessible(axe, desk)

    make_tenant("hmp", email="jean@exemple.com")
    phone.goto(demo_site("hmp.localhost", "/compte/login/"))
    submit_login(phone, "jean@exemple.com", "Loyer-Payé-2026")
    assert phone.locator("h1").inner_text() == "Mon compte"
    news = phone.locator("section", has=phone.locator("#actualites"))
    assert "1 nouvelle" in news.inner_text() and "Coupure d'eau mardi" in news.inner_text()
    assert_accessible(axe, phone)
    phone.get_by_role("link", name="Lire les actualités").click()
    assert phone.locator("h1").inner_text() == "Actualités"
    item = phone.locator("article").first
    assert item.locator("h2").inner_text() == "Nouveau Coupure d'eau mardi"
    assert "coupée mardi de 9 h à 12 h" in item.inner_text()
    assert_accessible(axe, phone)
    phone.reload()
    assert phone.locator("article h2").first.inner_text() == "Coupure d'eau mardi"
