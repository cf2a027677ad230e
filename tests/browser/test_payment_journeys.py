"""Règlement en ligne in 4 clicks through the sandbox, on a phone, for each demo landlord."""

import datetime
import re
from pathlib import Path

import pytest
from django.core import mail

from billing.models import LedgerEntry
from billing.statement import account_balance_cents
from landlords.models import Landlord
from payments.models import Payment
from tenancies.models import TenantAccount
from tests.browser.conftest import assert_accessible
from tests.browser.test_signup_journeys import field
from tests.documents.conftest import pdf_text
from tests.factories import LedgerEntryFactory

PASSWORD = "Loyer-Payé-2026"
ACCEPTED_CARD = "4970 1000 0000 0003"
REFUSED_CARD = "4970 1000 0000 0014"
CHALLENGE_CARD = "4970 1000 0000 0055"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

TENANTS = {
    "hmp": ("hmp.localhost", "000123", "jean@exemple.com"),
    "hdf": ("hdf.localhost", "590000000012345", "590000000012345"),
    "auvergne": ("auvergne.localhost", "0212345678901", "nadege@exemple.com"),
    "aubervilliers": ("aubervilliers.localhost", "123456", "jean@exemple.com"),
}


def sign_in(phone, site, slug, make_tenant):
    host, number, identifier = TENANTS[slug]
    make_tenant(slug, email=identifier if "@" in identifier else "sophie@exemple.com")
    landlord = Landlord.objects.get(slug=slug)  # its guides' words ("Code locataire")
    phone.goto(site(host, "/compte/login/"))
    field(phone, landlord.word("login_identifier")).fill(identifier)
    field(phone, landlord.word("login_password")).fill(PASSWORD)
    phone.get_by_role("button", name=landlord.word("login_submit")).click()
    assert phone.locator("h1").inner_text() == "Mon compte"
    return TenantAccount.objects.get(landlord__slug=slug, number=number)


def to_the_provider_page(phone, site, account, axe, amount=None):
    """Mon compte → Règlement en ligne → Payer en ligne → amount → Payer en ligne → the provider."""
    host = TENANTS[account.landlord.slug][0]
    phone.goto(site(host, "/mon-compte/"))
    phone.get_by_role("link", name="Règlement en ligne").click()
    assert phone.locator("h1").inner_text() == "Règlement en ligne"
    assert_accessible(axe, phone)
    phone.get_by_role("link", name="Payer en ligne").click()
    assert phone.locator("h1").inner_text() == "Payer en ligne"
    assert "Minimum : 20,00" in phone.get_by_text("Minimum :").inner_text()
    assert_accessible(axe, phone)
    if amount:
        field(phone, "Montant à payer (en euros)").fill(amount)
    phone.get_by_role("button", name="Payer en ligne").click()
    phone.wait_for_url("**/paiement/bac-a-sable/")
    assert phone.locator("h1").inner_text() == "Paiement sécurisé (bac à sable)"
    assert phone.get_by_text("Sélectionnez le moyen de paiement").is_visible()
    assert_accessible(axe, phone)


def to_the_card_page(phone, site, account, axe, amount=None):
    to_the_provider_page(phone, site, account, axe, amount)
    phone.get_by_role("button", name="CB", exact=True).click()
    field(phone, "Numéro de carte").wait_for()  # the card form is a new page


def pay_with(phone, card):
    field(phone, "Numéro de carte").fill(card)
    field(phone, "Date d'expiration (MM/AA)").fill("12/30")
    field(phone, "Cryptogramme visuel (3 chiffres au dos de la carte)").fill("123")
    phone.get_by_role("button", name="Valider le paiement").click()


@pytest.mark.parametrize("slug", list(TENANTS))
def test_a_tenant_pays_in_four_clicks_then_gets_a_certificate(
    demo_site, make_tenant, phone, axe, slug
):
    account = sign_in(phone, demo_site, slug, make_tenant)
    if account_balance_cents(account) <= 10000:  # Hauts-de-France's demo tenant is in credit
        LedgerEntryFactory(
            account=account,
            reference="LOYER-TEST",
            date=datetime.date.today(),
            label="Loyer",
            kind=LedgerEntry.Kind.CHARGE,
            amount_cents=41230,
        )
    balance_before = account_balance_cents(account)

    # The amount is prefilled with the whole balance.
    to_the_card_page(phone, demo_site, account, axe)
    pay_with(phone, ACCEPTED_CARD)

    assert phone.locator("h1").inner_text() == "Paiement accepté"
    payment = Payment.objects.get(account=account)
    assert payment.reference in phone.locator("main").inner_text()
    assert_accessible(axe, phone)
    assert payment.amount_cents == balance_before
    phone.get_by_role("link", name="Retour à Mon compte").click()
    assert phone.locator("h1").inner_text() == "Mon compte"
    assert phone.locator(".balance").first.inner_text().startswith("Votre compte est à jour")
    assert any(payment.reference in email.subject for email in mail.outbox)

    # Nothing overdue any more: the certificate is there.
    phone.get_by_role("link", name="Mes documents").first.click()
    # Issued by a POST (one per request, documents.md), then downloaded from its page.
    phone.get_by_role("button", name="Obtenir mon attestation de loyer à jour").click()
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Télécharger en PDF").click()
    certificate = pdf_text(Path(download.value.path()).read_bytes())
    assert "Attestation de loyer à jour" in certificate
    assert account.number in certificate
    assert re.search(r"(est|sont) à jour du paiement de (ses|leurs) loyers et charges", certificate)


def test_a_refused_card_changes_nothing_and_says_so(demo_site, make_tenant, phone, axe):
    account = sign_in(phone, demo_site, "aubervilliers", make_tenant)
    to_the_card_page(phone, demo_site, account, axe)
    pay_with(phone, REFUSED_CARD)

    assert phone.locator("h1").inner_text() == "Paiement refusé"
    assert "aucune somme n'a été prélevée" in phone.locator("main").inner_text()
    assert_accessible(axe, phone)
    assert account_balance_cents(account) == 61068
    phone.get_by_role("link", name="Essayer à nouveau").click()
    assert phone.locator("h1").inner_text() == "Règlement en ligne"


def test_annuler_on_the_provider_page_leaves_nothing_in_progress(
    demo_site, make_tenant, phone, axe
):
    account = sign_in(phone, demo_site, "aubervilliers", make_tenant)
    to_the_provider_page(phone, demo_site, account, axe)  # the whole 610,68 € prefilled
    phone.get_by_role("button", name="Annuler", exact=True).click()

    # Lyra's abandonment notification ended the payment before the tenant came back.
    assert phone.locator("h1").inner_text() == "Paiement annulé"
    assert "aucune somme n'a été prélevée" in phone.locator("main").inner_text()
    assert_accessible(axe, phone)
    assert Payment.objects.get(account=account).state == Payment.State.FAILED
    phone.get_by_role("link", name="Retour à Mon compte").click()
    assert phone.locator("h1").inner_text() == "Mon compte"
    assert phone.locator(".in-progress").count() == 0
    assert "Vous devez 610,68" in phone.locator(".balance").first.inner_text()
    phone.get_by_role("link", name="Règlement en ligne").click()
    assert phone.locator(".payments-in-progress").count() == 0
    assert "en cours" not in phone.locator("main").inner_text()
    phone.get_by_role("link", name="Payer en ligne").click()
    assert "Maximum : 610,68" in phone.get_by_text("Maximum :").inner_text()
    assert field(phone, "Montant à payer (en euros)").input_value() == "610,68"
    assert_accessible(axe, phone)


def test_a_3d_secure_challenge_is_validated_on_the_phone(demo_site, make_tenant, phone, axe):
    account = sign_in(phone, demo_site, "hmp", make_tenant)
    to_the_provider_page(phone, demo_site, account, axe, amount="100,00")
    phone.get_by_role("button", name="CB", exact=True).scroll_into_view_if_needed()
    phone.screenshot(path=SCREENSHOTS / "provider-method-phone.png")
    phone.get_by_role("button", name="CB", exact=True).click()
    field(phone, "Numéro de carte").wait_for()
    pay_with(phone, CHALLENGE_CARD)

    assert phone.locator("h1").inner_text() == "Validez le paiement sur votre téléphone"
    assert_accessible(axe, phone)
    payment = Payment.objects.get(account=account)
    assert payment.state == Payment.State.PENDING
    waiting = phone.context.new_page()
    waiting.goto(demo_site("hmp.localhost", "/mon-compte/"))
    assert payment.reference in waiting.locator(".in-progress").inner_text()
    assert "en cours" in waiting.locator(".in-progress").inner_text()
    # The amount page says what waits for the bank, until when, and why the maximum is lower.
    waiting.goto(demo_site("hmp.localhost", f"/mon-compte/compte/{account.pk}/reglement/montant/"))
    explanation = waiting.locator(".payments-in-progress").inner_text()
    assert re.search(
        r"Un paiement de 100,00\s€ commencé à \d+ h \d\d attend la confirmation de la "
        r"banque ; s'il n'aboutit pas, il sera annulé à \d+ h \d\d au plus tard\.",
        explanation,
    ), explanation
    assert "Le maximum est de 370,30" in waiting.locator("main").inner_text()
    assert_accessible(axe, waiting)
    waiting.locator(".payments-in-progress").evaluate("list => list.scrollIntoView()")
    waiting.screenshot(path=SCREENSHOTS / "pending-payment-phone.png")
    waiting.close()
    phone.get_by_role("button", name="J'ai validé sur mon téléphone").click()

    assert phone.locator("h1").inner_text() == "Paiement accepté"
    phone.get_by_role("link", name="Retour à Mon compte").click()
    assert "Vous devez 370,30" in phone.locator(".balance").inner_text()
    assert account_balance_cents(account) == 47030 - 10000


def test_bad_card_details_are_explained_on_the_card_page(demo_site, make_tenant, phone, axe):
    account = sign_in(phone, demo_site, "auvergne", make_tenant)
    to_the_card_page(phone, demo_site, account, axe)
    pay_with(phone, "1234 5678 9012 3456")

    assert phone.locator(".error-summary").is_visible()
    assert "Carte inconnue du bac à sable" in phone.locator(".error-message").inner_text()
    assert_accessible(axe, phone)


def test_without_javascript_a_button_leads_to_the_provider(demo_site, make_tenant, browser, axe):
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    try:
        account = sign_in(page, demo_site, "hmp", make_tenant)
        page.goto(demo_site("hmp.localhost", f"/mon-compte/compte/{account.pk}/reglement/"))
        page.get_by_role("link", name="Payer en ligne").click()
        page.get_by_role("button", name="Payer en ligne").click()
        assert page.locator("h1").inner_text() == "Redirection vers le paiement sécurisé"
        page.get_by_role("button", name="Continuer vers le paiement sécurisé").click()
        assert page.locator("h1").inner_text() == "Paiement sécurisé (bac à sable)"
    finally:
        context.close()
