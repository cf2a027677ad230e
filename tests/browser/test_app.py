"""The installable application on each landlord's host: installability (DevTools),
the install offer, the offline page, notifications after a payment, the bottom bar at
320 px and at 200 % zoom."""

import datetime
import json
import os
from pathlib import Path

import pytest

from billing.models import LedgerEntry
from billing.statement import account_balance_cents
from tests.browser.conftest import CHROMIUM_FLAGS, assert_accessible
from tests.browser.test_payment_journeys import (
    ACCEPTED_CARD,
    TENANTS,
    pay_with,
    sign_in,
    to_the_card_page,
)
from tests.factories import LedgerEntryFactory

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NAMES = {
    "hmp": "Habitat Marseille Provence",
    "hdf": "Habitat Hauts-de-France",
    "auvergne": "Auvergne Habitat",
    "aubervilliers": "OPH d'Aubervilliers",
}


def wait_for_service_worker(page):
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("Boolean(navigator.serviceWorker.controller)"):
        page.reload()  # the worker claims the page; a reload makes sure it controls it
    page.wait_for_function("Boolean(navigator.serviceWorker.controller)")


@pytest.mark.parametrize("slug", list(TENANTS))
def test_the_portal_is_installable_and_shows_the_offline_page(
    demo_site, browser, csp_watch, tmp_path, slug
):
    host = TENANTS[slug][0]
    # Not an incognito context (Chromium does not install from one): a profile on disk.
    context = csp_watch.watch(
        browser.browser_type.launch_persistent_context(
            tmp_path / "profile",
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=CHROMIUM_FLAGS,
            viewport={"width": 390, "height": 844},
            locale="fr-FR",
        )
    )
    page = context.new_page()
    page.goto(demo_site(host))
    wait_for_service_worker(page)

    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}
    manifest = page.evaluate("fetch('/manifest.webmanifest').then((r) => r.json())")
    assert manifest["name"] == NAMES[slug]
    assert manifest["start_url"] == "/" and manifest["scope"] == "/" and manifest["id"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    assert {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    # The manifest the browser parsed is the same (the page's own link).
    parsed = cdp.send("Page.getAppManifest")
    assert parsed["url"] == demo_site(host, "/manifest.webmanifest")
    assert parsed["errors"] == []

    context.set_offline(True)
    page.goto(demo_site(host, "/mon-compte/"))
    assert page.locator("h1").inner_text() == "Vous êtes hors connexion"
    assert "Vous êtes hors connexion" in page.locator("main").inner_text()
    # Nothing personal in the caches: the shell only.
    cached = page.evaluate(
        """caches.keys().then((names) => Promise.all(names.map((name) =>
            caches.open(name).then((cache) => cache.keys())))).then((lists) =>
            lists.flat().map((request) => new URL(request.url).pathname))"""
    )
    assert "/hors-connexion/" in cached
    assert not [path for path in cached if path.startswith(("/mon-compte", "/compte"))]
    context.close()


@pytest.mark.parametrize("slug", list(TENANTS))
def test_a_tenant_turns_notifications_on_and_is_told_of_the_accepted_payment(
    demo_site, make_tenant, phone, axe, vapid, push_service, slug
):
    phone.context.grant_permissions(["notifications"])
    account = sign_in(phone, demo_site, slug, make_tenant)

    # The bottom bar at 320 px: the places, the current one marked.
    bar = phone.get_by_role("navigation", name="Navigation principale")
    assert bar.get_by_role("link").all_inner_texts() == [
        "Accueil",
        "Mon compte",
        "Mes documents",
        "Mes demandes",
        "Mes infos",
    ]
    assert bar.get_by_role("link", name="Mon compte").get_attribute("aria-current") == "page"
    box = bar.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(640, abs=1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(axe, phone)
    if slug == "hmp":
        phone.screenshot(path=SCREENSHOTS / "app-bar-phone.png")
    # At the end of the page, its last lines stay above the bar, not under it.
    phone.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    last = phone.locator("footer a").last.bounding_box()
    assert last["y"] + last["height"] <= bar.bounding_box()["y"]
    if slug == "hmp":
        phone.screenshot(path=SCREENSHOTS / "app-bar-phone-320.png")

    bar.get_by_role("link", name="Mes infos").click()
    assert phone.locator("h1").inner_text() == "Mes infos"
    assert bar.get_by_role("link", name="Mes infos").get_attribute("aria-current") == "page"
    assert phone.get_by_role(
        "button", name="Activer les notifications sur cet appareil", exact=True
    ).is_visible()
    assert_accessible(axe, phone)

    # Headless Chromium has no push service of its own (no GCM): the subscription is
    # made by the local push service, as a browser's would be, and posted where the
    # page's script posts PushSubscription.toJSON().
    section = phone.locator("[data-push]")
    assert section.get_attribute("data-push-key") == vapid
    browser_subscription = push_service.subscribe(vapid)
    answer = phone.evaluate(
        """([url, body]) => fetch(url, {method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json", "X-CSRFToken":
              document.querySelector("[data-push] input[name=csrfmiddlewaretoken]").value},
            body: JSON.stringify(body)}).then((r) => r.json())""",
        [section.get_attribute("data-push-subscribe"), browser_subscription.to_json()],
    )
    assert answer == {"next": "/mon-compte/mes-infos/#notifications"}
    phone.reload()  # what the page's script does (the same page, the message shown)
    assert "Les notifications sont activées sur cet appareil." in phone.locator("main").inner_text()
    assert_accessible(axe, phone)
    if slug == "hmp":
        phone.locator("#notifications").scroll_into_view_if_needed()
        phone.screenshot(path=SCREENSHOTS / "notifications-phone.png")

    if account_balance_cents(account) <= 10000:  # Hauts-de-France's demo tenant is in credit
        LedgerEntryFactory(
            account=account,
            reference="LOYER-TEST",
            date=datetime.date.today(),
            label="Loyer",
            kind=LedgerEntry.Kind.CHARGE,
            amount_cents=41230,
        )
    to_the_card_page(phone, demo_site, account, axe, amount="20,00")
    pay_with(phone, ACCEPTED_CARD)
    assert phone.locator("h1").inner_text() == "Paiement accepté"

    [message] = browser_subscription.messages
    assert message["title"] == "Paiement accepté"
    assert NAMES[slug].removeprefix("OPH ") in message["body"]
    assert "20,00" not in json.dumps(message, ensure_ascii=False)


# What Chromium dispatches once it judges the site installable (headless Chromium never
# does): an event whose prompt() opens the browser's own dialog, recorded here.
SYNTHETIC_INSTALL_PROMPT = """() => {
  window.__installPrompted = 0;
  const event = new Event("beforeinstallprompt", { cancelable: true });
  event.prompt = () => { window.__installPrompted += 1; return Promise.resolve(); };
  event.userChoice = Promise.resolve({ outcome: "accepted", platform: "web" });
  window.dispatchEvent(event);
  return event.defaultPrevented;
}"""
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize("slug", list(TENANTS))
def test_the_home_page_offers_to_install_the_application(demo_site, phone, axe, slug):
    phone.goto(demo_site(TENANTS[slug][0]))
    install = phone.get_by_role("button", name="Installer l'application")
    # Until the browser says it can install, nothing is offered.
    assert not phone.get_by_role("heading", name="L'application").is_visible()
    assert not install.is_visible()

    assert phone.evaluate(SYNTHETIC_INSTALL_PROMPT)  # the page keeps the prompt for its button
    assert phone.get_by_role("heading", name="L'application").is_visible()
    assert install.is_visible()
    assert not phone.get_by_text("Sur iPhone").is_visible()
    assert_accessible(axe, phone)

    install.click()
    assert phone.evaluate("window.__installPrompted") == 1
    # Answered: the browser's prompt is spent, the offer goes.
    phone.get_by_role("heading", name="L'application").wait_for(state="hidden")
    assert not install.is_visible()


def test_an_iphone_is_told_how_to_add_the_portal_to_its_home_screen(demo_site, browser, axe):
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, locale="fr-FR", user_agent=IPHONE
    )
    phone = context.new_page()
    phone.goto(demo_site("hmp.localhost"))

    assert phone.get_by_role("heading", name="L'application").is_visible()
    instructions = phone.get_by_text("Sur iPhone")
    assert instructions.is_visible()
    assert "Partager" in instructions.inner_text()
    assert "Sur l'écran d'accueil" in instructions.inner_text()
    assert not phone.get_by_role("button", name="Installer l'application").is_visible()
    assert_accessible(axe, phone)
    context.close()


@pytest.fixture
def zoomed(browser):
    """A 1280x720 window at 200 % zoom: 640x360 CSS pixels, each drawn with 2x2 device pixels."""
    context = browser.new_context(
        viewport={"width": 640, "height": 360}, device_scale_factor=2, locale="fr-FR"
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("slug", list(TENANTS))
def test_the_bar_and_mon_compte_work_at_200_percent_zoom(demo_site, make_tenant, zoomed, axe, slug):
    sign_in(zoomed, demo_site, slug, make_tenant)
    assert zoomed.locator("h1").count() == 1
    assert zoomed.evaluate("document.documentElement.scrollWidth") <= 640
    assert_accessible(axe, zoomed)

    # Too short a screen for a fixed bar: it stays in the header, scrolls with the page
    # and covers none of it.
    bar = zoomed.get_by_role("navigation", name="Navigation principale")
    box = bar.bounding_box()
    assert box["y"] + box["height"] <= zoomed.locator("main").bounding_box()["y"]
    zoomed.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert bar.bounding_box()["y"] + box["height"] <= 0  # gone up with the header
    zoomed.evaluate("window.scrollTo(0, 0)")
    documents = bar.get_by_role("link", name="Mes documents")
    documents.scroll_into_view_if_needed()
    assert documents.is_visible()
    if slug == "hmp":
        zoomed.screenshot(path=SCREENSHOTS / "app-bar-zoom.png")
    documents.click()

    assert zoomed.locator("h1").inner_text() == "Mes documents"
    assert zoomed.locator("h1").count() == 1
    assert bar.get_by_role("link", name="Mes documents").get_attribute("aria-current") == "page"
    assert zoomed.evaluate("document.documentElement.scrollWidth") <= 640
    assert_accessible(axe, zoomed)
    bar.get_by_role("link", name="Mon compte").click()
    assert zoomed.locator("h1").inner_text() == "Mon compte"
