"""No page template holds what the Content-Security-Policy refuses (a guard for pages no
browser journey visits yet): no <style> block, no style="…", no inline <script>, no on…=.

Emails (read in a mail client) and the PDFs' templates (WeasyPrint, on the server) are not
pages and may use inline styles.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The project's templates and each app's own (the espace agence's, for instance).
TEMPLATE_DIRS = [
    ROOT / "templates",
    *sorted(ROOT.glob("*/templates")),
    *sorted(ROOT.glob("*/host_templates")),
]
NOT_PAGES = ("emails/", "account/email/", "mfa/email/", "accounts/letters/", "documents/pdf")
REFUSED = {
    "<style> block": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "inline script": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE
    ),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def page_templates():
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")):
            name = path.relative_to(folder).as_posix()
            if not name.startswith(NOT_PAGES):
                yield path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("name", list(page_templates()))
def test_a_page_template_has_nothing_the_policy_refuses(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    found = [what for what, pattern in REFUSED.items() if pattern.search(text)]
    assert found == [], f"{name}: {', '.join(found)}"


def test_the_guard_catches_each_kind():
    samples = [
        "<style>p{}</style>",
        '<p style="color:red">',
        "<script>alert(1)</script>",
        '<a onclick="x()">',
        '<a href="javascript:x()">',
    ]
    for sample, pattern in zip(samples, REFUSED.values(), strict=True):
        assert pattern.search(sample)
    assert not REFUSED["inline script"].search('<script src="/static/a.js" defer></script>')
