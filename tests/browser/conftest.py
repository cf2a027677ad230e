import os

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


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=CHROMIUM_FLAGS,
        )
        yield browser
        browser.close()


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
