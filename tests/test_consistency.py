"""Rules that keep the code's shape, checked over every model and template.

In the spirit of les-emplois' tests/test_consistency.py: each test states one rule and
lists what breaks it, so that a new model or template follows it from the start.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.template import engines
from django.template.utils import get_app_template_dirs

from billing.models import LedgerEntry
from documents.models import IssuedDocument, RentNotice
from landlords.models import Landlord
from payments.models import Payment, PaymentEvent, PaymentExport
from tenancies.models import TenantAccount

ROOT = Path(__file__).resolve().parent.parent
# The project's templates and each app's own (the espace agence's, its host overrides).
TEMPLATE_DIRS = [
    ROOT / "templates",
    *sorted(ROOT.glob("*/templates")),
    *sorted(ROOT.glob("*/host_templates")),
]
# Every Django app of the project (a new app is checked without editing this list).
APPS = sorted(
    config.label
    for config in apps.get_app_configs()
    if Path(config.path).parent == ROOT  # not the installed packages of .venv/
)
CODE = [*APPS, "config", "core", "demo"]

# Money and documents: the landlord must keep them (docs/architecture.md, "Data").
MONEY_AND_DOCUMENTS = {
    LedgerEntry,
    Payment,
    PaymentEvent,
    PaymentExport,
    RentNotice,
    IssuedDocument,
}
# What money and documents belong to: deleting it must not take them along.
OWNERS = {TenantAccount, Landlord, Payment, PaymentExport}

# Models with no admin page of their own or inline, on purpose.
NOT_IN_ADMIN = {
    # A browser's push endpoint and keys: the tenant manages them in Mes infos.
    "notifications.PushSubscription",
    "notifications.DueReminder",
    # Issued from the ledger, never edited: a change would have to be a new document.
    "documents.RentNotice",
    "documents.IssuedDocument",
    # Who opened which notice: told when a new version replaces it (documents/versions.py).
    "documents.NoticeDownload",
    # One-time codes: only hashes, nothing a person could act on.
    "accounts.PhoneCode",
    "accounts.MobileChange",
    # Which tenant has seen which news item: bookkeeping for the "nouveau" mark only.
    "news.NewsRead",
}

# Django's own error page templates, looked up by name by its handlers.
ERROR_TEMPLATES = {"400.html", "403.html", "403_csrf.html", "404.html", "500.html"}


def our_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.app_label in APPS]


def label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


# --- Models ------------------------------------------------------------------------------


def test_every_foreign_key_to_money_or_documents_protects_them():
    unprotected = []
    for model in our_models():
        for field in model._meta.get_fields():
            if not (isinstance(field, models.ForeignKey) and field.concrete):
                continue
            to_money = field.related_model in MONEY_AND_DOCUMENTS
            of_money = model in MONEY_AND_DOCUMENTS and field.related_model in OWNERS
            if (to_money or of_money) and field.remote_field.on_delete is not models.PROTECT:
                unprotected.append(f"{label(model)}.{field.name}")
    assert unprotected == []


def _starts_in_lower_case(text: str) -> bool:
    first_word = text.split()[0]
    # An acronym keeps its capitals: "PDF", "CGU sur une étape…".
    return first_word[0].islower() or first_word.isupper()


def test_verbose_names_are_in_lower_case():
    """Django capitalises them where a title needs it (the admin, form labels)."""
    capitalised = []
    for model in our_models():
        meta = model._meta
        names = {"verbose_name": meta.verbose_name, "verbose_name_plural": meta.verbose_name_plural}
        for field in meta.get_fields():
            if field.concrete and not field.auto_created:
                names[field.name] = field.verbose_name
        for where, name in names.items():
            if not _starts_in_lower_case(str(name)):
                capitalised.append(f"{label(model)} {where}: {name!r}")
    assert capitalised == []


def test_every_model_has_an_admin_or_is_knowingly_left_out():
    in_admin = set(admin.site._registry)
    for model_admin in admin.site._registry.values():
        in_admin |= {inline.model for inline in model_admin.inlines}
    missing = {label(m) for m in our_models() if m not in in_admin} - NOT_IN_ADMIN
    assert missing == set()
    # The list stays true: a model given an admin leaves it.
    assert {label(m) for m in our_models() if m in in_admin} & NOT_IN_ADMIN == set()


# --- Templates ---------------------------------------------------------------------------


def template_files() -> list[tuple[Path, str]]:
    """(file, name the loaders know it by) for every template of the project."""
    return [
        (path, str(path.relative_to(folder)))
        for folder in TEMPLATE_DIRS
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]


def _overrides_an_apps_template(name: str, app_dirs: list[Path]) -> bool:
    # allauth sends an email's HTML alternative when a template of that name exists.
    candidates = [name, name.removesuffix(".html") + ".txt"] if name.endswith(".html") else [name]
    return any((folder / each).exists() for folder in app_dirs for each in candidates)


def test_no_template_is_unused():
    """Each template is named in the code or another template, overrides one of an
    installed app's (allauth's), or is one of Django's error pages."""
    app_dirs = [Path(folder) for folder in get_app_template_dirs("templates")]
    sources = [p.read_text() for app in CODE for p in (ROOT / app).rglob("*.py")]
    sources += [path.read_text() for path, _ in template_files()]
    text = "\n".join(sources)
    unused = []
    for path, name in template_files():
        if path.parent.name == "host_templates" or "host_templates" in path.parts:
            continue  # answered by name by backoffice.template_loader, never named in code
        if name in ERROR_TEMPLATES or _overrides_an_apps_template(name, app_dirs):
            continue
        # notifications.emails renders emails/<name>_subject.txt, _message.txt and .html.
        stem = re.sub(r"_(subject\.txt|message\.txt|message\.html)$", "", name)
        # The Typst templates (templates/pdf/) are named within their folder (core.pdf).
        if name in text or (stem != name and stem.removeprefix("emails/") in text):
            continue
        if name.startswith("pdf/") and f'"{name.removeprefix("pdf/")}"' in text:
            continue
        unused.append(name)
    assert unused == []


LOAD = re.compile(r"{%-?\s*load\s+([^%]+?)\s*-?%}")


def _uses(template: str, library) -> bool:
    tags = any(re.search(r"{%-?\s*" + re.escape(tag) + r"\b", template) for tag in library.tags)
    filters = any(
        re.search(r"\|\s*" + re.escape(name) + r"\b", template) for name in library.filters
    )
    return tags or filters


@pytest.mark.parametrize(
    "name",
    [
        str(path.relative_to(ROOT))
        for path, name in template_files()
        if name.endswith((".html", ".txt"))
    ],
)
def test_every_loaded_template_library_is_used(name):
    libraries = engines["django"].engine.template_libraries
    template = (ROOT / name).read_text()
    unused = []
    for load in LOAD.finditer(template):
        rest = template[: load.start()] + template[load.end() :]
        words = load.group(1).split()
        if "from" in words:  # {% load tag_a tag_b from library %}
            unused += [
                word
                for word in words[: words.index("from")]
                if not re.search(r"({%-?\s*|\|\s*)" + re.escape(word) + r"\b", rest)
            ]
            continue
        unused += [word for word in words if not _uses(rest, libraries[word])]
    assert unused == []


def test_tests_create_their_rows_with_the_factories():
    """Rows of a test come from tests/factories.py (traits say the variants), so a new field
    or a new rule changes one factory, not every test."""
    tests = ROOT / "tests"
    needle = ".objects." + "create("  # split, so that this very line is no offender
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(tests.rglob("*.py"))
        if path.name != "factories.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if needle in line
    ]
    assert offenders == [], "Use a factory of tests/factories.py: " + ", ".join(offenders)
