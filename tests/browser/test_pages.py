import re
from pathlib import Path

import pytest

from tests.browser.conftest import assert_accessible, submit_login

LANDLORD_HOSTS = [
    ("hmp.localhost", "Habitat Marseille Provence", "rgb(0, 85, 140)"),
    ("hdf.localhost", "Habitat Hauts-de-France", "rgb(163, 0, 79)"),
    ("auvergne.localhost", "Auvergne Habitat", "rgb(45, 106, 31)"),
    ("aubervilliers.localhost", "OPH d'Aubervilliers", "rgb(31, 78, 153)"),
]


def fits_the_screen(page) -> bool:
    """No horizontal scrolling: at 320 CSS px this is WCAG 1.4.10 (reflow, 400 % zoom)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_landing_page_lists_the_landlords_and_is_accessible(demo_site, phone, axe):
    phone.goto(demo_site("localhost"))

    assert phone.locator("h1").inner_text() == "Espace Locataire"
    assert phone.get_by_role("link", name="Auvergne Habitat").count() == 1
    assert fits_the_screen(phone)
    assert_accessible(axe, phone)

    phone.get_by_role("link", name="Habitat Hauts-de-France").click()
    assert phone.url == demo_site("hdf.localhost")
    assert phone.locator(".brand-name").inner_text() == "Habitat Hauts-de-France"


@pytest.mark.parametrize(("host", "name", "brand_rgb"), LANDLORD_HOSTS)
def test_each_landlord_home_is_branded_and_accessible_on_a_phone(
    demo_site, phone, axe, host, name, brand_rgb
):
    phone.goto(demo_site(host))

    assert phone.title() == f"Mon espace locataire – {name}"
    assert phone.locator("h1").count() == 1
    header = phone.locator(".site-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == brand_rgb
    assert phone.locator(".brand img").evaluate("img => img.naturalWidth") > 0
    assert phone.get_by_role("heading", name="Vos agences").is_visible()
    assert fits_the_screen(phone)
    assert_accessible(axe, phone)


@pytest.mark.parametrize("path", ["/cgu/", "/accessibilite/", "/page-inexistante/"])
def test_secondary_pages_are_accessible(demo_site, phone, axe, path):
    phone.goto(demo_site("auvergne.localhost", path))

    assert phone.locator("h1").count() == 1
    assert_accessible(axe, phone)


def test_unknown_host_page_is_accessible_and_names_no_landlord(demo_site, phone, axe):
    response = phone.goto(demo_site("inconnu.localhost"))

    assert response.status == 404
    assert "Habitat" not in phone.content()
    assert_accessible(axe, phone)


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(demo_site, phone):
    phone.goto(demo_site("hmp.localhost"))

    phone.keyboard.press("Tab")
    skip_link = phone.locator(":focus")
    assert skip_link.inner_text() == "Aller au contenu"
    assert skip_link.is_visible()
    outline = skip_link.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"

    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "contenu"


def test_the_accessibility_check_catches_a_broken_page(phone, axe):
    phone.set_content('<html><body><img src="x.png"><input type="text"></body></html>')

    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(axe, phone)


def test_the_csp_watch_catches_a_blocked_inline_script(demo_site, phone, csp_watch):
    phone.goto(demo_site("hmp.localhost"))

    phone.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true";
          document.body.append(script);
        }"""
    )
    for _ in range(50):  # the report arrives through an exposed function
        if csp_watch.violations:
            break
        phone.wait_for_timeout(20)

    assert phone.evaluate("() => window.inlineRan === undefined")
    assert any("script-src" in violation for violation in csp_watch.violations)
    csp_watch.violations.clear()  # caught as it should be: the test itself passes


def test_error_pages_are_french_branded_and_accessible(demo_site, phone, axe):
    response = phone.goto(demo_site("hdf.localhost", "/nulle-part/"))
    assert response.status == 404
    assert phone.locator("h1").inner_text() == "Page introuvable"
    assert phone.locator(".brand-name").inner_text() == "Habitat Hauts-de-France"
    assert_accessible(axe, phone)

    # A form sent without its CSRF cookie: the French 403.
    phone.goto(demo_site("hdf.localhost", "/compte/login/"))
    phone.context.clear_cookies()
    phone.evaluate("() => document.querySelector('form input[type=password]').form.submit()")
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == "Formulaire expiré"
    assert_accessible(axe, phone)

    # A field far over the upload limit: the French 413, not Django's English 400.
    phone.goto(demo_site("hdf.localhost", "/compte/login/"))
    phone.evaluate(
        """() => {
          const field = document.querySelector("form input[type=password]");
          field.value = "x".repeat(3 * 1024 * 1024);
          field.form.submit();
        }"""
    )
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == "Envoi trop volumineux"
    assert_accessible(axe, phone)

    # More fields than Django parses (DATA_UPLOAD_MAX_NUMBER_FIELDS): the French 400.
    phone.goto(demo_site("hdf.localhost", "/compte/login/"))
    phone.evaluate(
        """() => {
          const form = document.querySelector("form input[type=password]").form;
          for (let i = 0; i < 1200; i++) {
            const input = document.createElement("input");
            input.type = "hidden";
            input.name = `champ${i}`;
            form.append(input);
          }
          form.submit();
        }"""
    )
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == "Demande incorrecte"
    assert_accessible(axe, phone)

    phone.goto(demo_site("localhost", "/nulle-part/"))
    assert phone.locator("h1").inner_text() == "Page introuvable"
    assert_accessible(axe, phone)


def test_the_server_error_page_is_french_branded_and_accessible(demo_site, phone, axe, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("landlords.views.render", broken)

    response = phone.goto(demo_site("auvergne.localhost", "/cgu/"))

    assert response.status == 500
    assert phone.locator("h1").inner_text() == "Le service est momentanément indisponible"
    assert phone.locator(".brand-name").inner_text() == "Auvergne Habitat"
    assert "secret detail" not in phone.content()
    assert_accessible(axe, phone)


def test_the_outage_page_is_french_branded_and_accessible(demo_site, phone, axe, monkeypatch):
    from django.db import OperationalError

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("landlords.views.render", database_gone)

    response = phone.goto(demo_site("auvergne.localhost", "/cgu/"))

    assert response.status == 503
    assert phone.locator("h1").inner_text() == "Le service est momentanément indisponible"
    assert "réessayez dans quelques minutes" in phone.locator("main").inner_text()
    assert phone.locator(".brand-name").inner_text() == "Auvergne Habitat"
    assert "server closed" not in phone.content()
    assert_accessible(axe, phone)


def test_the_load_balancers_outage_page_is_french_and_accessible(phone, axe):
    """What haproxy answers when no web process passes /sante/ (deploy/haproxy/503-fr.http)."""
    raw = (Path(__file__).resolve().parents[2] / "deploy/haproxy/503-fr.http").read_bytes()
    phone.set_content(raw.split(b"\r\n\r\n", 1)[1].decode())

    assert phone.locator("h1").inner_text() == "Le service est momentanément indisponible"
    assert "réessayez dans quelques minutes" in phone.locator("main").inner_text()
    assert fits_the_screen(phone)
    assert_accessible(axe, phone)


def test_the_storage_outage_page_is_french_branded_and_accessible(
    demo_site, make_tenant, phone, axe, monkeypatch
):
    from django.core.files.storage import FileSystemStorage

    make_tenant("hmp", email="jean@exemple.com")
    phone.goto(demo_site("hmp.localhost", "/compte/login/"))
    submit_login(phone, "jean@exemple.com", "Loyer-Payé-2026")
    phone.get_by_role("link", name="Mes documents").first.click()
    notice = phone.get_by_role("link", name=re.compile(r"^PDF de l'avis d'échéance ")).first
    href = notice.get_attribute("href")

    def storage_gone(*args, **kwargs):
        raise OSError("Input/output error: /srv/media")

    monkeypatch.setattr(FileSystemStorage, "_open", storage_gone)
    monkeypatch.setattr(FileSystemStorage, "_save", storage_gone)
    response = phone.goto(demo_site("hmp.localhost", href))

    assert response.status == 503
    assert phone.locator("h1").inner_text() == "Ce document est momentanément indisponible"
    assert "réessayez dans quelques minutes" in phone.locator("main").inner_text()
    assert phone.locator(".brand-name").inner_text() == "Habitat Marseille Provence"
    assert "/srv/media" not in phone.content()
    assert fits_the_screen(phone)
    assert_accessible(axe, phone)
    phone.get_by_role("link", name="Retour à Mes documents").click()
    assert phone.locator("h1").inner_text() == "Mes documents"
