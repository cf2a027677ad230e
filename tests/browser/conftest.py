import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from demo.loading import load_demo_landlords

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# the tests themselves are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# Records every Content-Security-Policy violation a page sees (the event fires on the
# document for anything the policy blocks) through a function the test exposes.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""


class CspWatch:
    """Every context opened during a test reports CSP violations and CSP console errors."""

    def __init__(self):
        self.violations: list[str] = []

    def watch(self, context):
        context.expose_function("__cspViolation", self._record)
        context.add_init_script(CSP_LISTENER)
        context.on("console", self._console)
        return context

    def _record(self, description: str) -> None:
        self.violations.append(description)

    def _console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(message.text)


@pytest.fixture(scope="session")
def _chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=CHROMIUM_FLAGS,
        )
        yield browser
        browser.close()


@pytest.fixture
def csp_watch(_chromium, monkeypatch):
    """Fails the test, at its end, when any page it opened saw a CSP violation."""
    watch = CspWatch()
    new_context = _chromium.new_context
    monkeypatch.setattr(
        _chromium, "new_context", lambda **options: watch.watch(new_context(**options))
    )
    # browser.new_page() opens a context of its own: watched the same way.
    monkeypatch.setattr(
        _chromium, "new_page", lambda **options: _chromium.new_context(**options).new_page()
    )
    yield watch
    assert watch.violations == [], "Content-Security-Policy violations:\n" + "\n".join(
        watch.violations
    )


@pytest.fixture
def browser(_chromium, csp_watch):
    """Chromium, every context of which is watched for CSP violations (csp_watch)."""
    return _chromium


@pytest.fixture
def phone(browser):
    """A page the size of a small phone (320 CSS pixels wide)."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    yield context.new_page()
    context.close()


@pytest.fixture
def demo_site(live_server, transactional_db):
    load_demo_landlords()
    port = live_server.url.rsplit(":", 1)[1]
    return lambda host, path="/": f"http://{host}:{port}{path}"


@pytest.fixture(scope="session")
def axe():
    return Axe()


def assert_accessible(axe, page):
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


def words_of(page):
    """The words of the landlord whose host the page is on (its guides' buttons and labels;
    the espace agence keeps the defaults)."""
    from urllib.parse import urlsplit

    from landlords import wording
    from landlords.models import LandlordHost

    host = LandlordHost.objects.select_related("landlord").get(hostname=urlsplit(page.url).hostname)
    if host.kind == LandlordHost.Kind.TENANTS:
        return host.landlord.word
    return lambda key: wording.word({}, key)


def submit_login(page, identifier, password):
    """Fills and sends the sign-in form in the words of the landlord whose host the page is
    on ("Code locataire" and "Connexion" at HDF, "ME CONNECTER" at HMP)."""
    word = words_of(page)
    for words, value in (("login_identifier", identifier), ("login_password", password)):
        label = re.compile("^" + re.escape(word(words)) + r"( \(obligatoire\))?$")
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name=word("login_submit"), exact=True).click()
