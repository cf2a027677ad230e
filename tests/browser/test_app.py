"""The installable application on each landlord's host: installability (DevTools),
the offline page, notifications after a payment, the bottom bar at 320 px."""

import datetime
import json
import os
from pathlib import Path

import pytest

from billing.models import LedgerEntry
from billing.statement import account_balance_cents
from notifications import push
from notifications.vapid import new_private_key
from tests.browser.conftest import CHROMIUM_FLAGS, assert_accessible
from tests.browser.test_payment_journeys import (
    ACCEPTED_CARD,
    TENANTS,
    pay_with,
    sign_in,
    to_the_card_page,
)
from tests.factories import LedgerEntryFactory
from tests.notifications.push_service import PushService

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NAMES = {
    "hmp": "Habitat Marseille Provence",
    "hdf": "Habitat Hauts-de-France",
    "auvergne": "Auvergne Habitat",
    "aubervilliers": "OPH d'Aubervilliers",
}


@pytest.fixture
def vapid(settings):
    settings.VAPID_PRIVATE_KEY = new_private_key()
    settings.PUSH_ALLOW_HTTP_ENDPOINTS = True
    return push.public_key()


@pytest.fixture
def push_service():
    service = PushService()
    with service.running():
        yield service


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
    TENANTS[slug][0]

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
