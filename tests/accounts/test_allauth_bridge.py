"""allauth's undocumented names the portal uses, all in core/allauth_bridge.py.

An allauth release that moves or renames one of them fails here, not on a page.
"""

import ast
import importlib
import inspect
from pathlib import Path

from allauth.account.forms import LoginForm
from allauth.account.models import EmailAddress

from core import allauth_bridge

ROOT = Path(__file__).resolve().parents[2]
# Every package of the project (new apps are covered without editing this list).
APPS = sorted(
    path.parent.name for path in ROOT.glob("*/__init__.py") if not path.parent.name.startswith(".")
)


def test_each_bridged_name_is_still_where_the_bridge_takes_it_from():
    for name in allauth_bridge.__all__:
        assert getattr(allauth_bridge, name) is not None, name
    # Importing them again, by name, from the module each comes from.
    tree = ast.parse(inspect.getsource(allauth_bridge))
    imported = [node for node in tree.body if isinstance(node, ast.ImportFrom)]
    allauth_imports = [node for node in imported if node.module.startswith("allauth")]
    assert allauth_imports
    for node in allauth_imports:
        module = importlib.import_module(node.module)
        for alias in node.names:
            assert hasattr(module, alias.name), f"{node.module}.{alias.name}"


def test_the_email_address_manager_still_keeps_its_cache_on_the_user():
    # cached_email_addresses() reads what fill_cache_for_user() wrote, as get_for_user() does.
    user = type("User", (), {"pk": 1})()
    EmailAddress.objects.fill_cache_for_user(user, [EmailAddress(email="a@exemple.com")])
    assert allauth_bridge.cached_email_addresses(user)[0].email == "a@exemple.com"
    assert EmailAddress.objects.get_for_user(user, "A@exemple.com").email == "a@exemple.com"


def test_the_login_form_still_hands_its_login_to_the_view_through_the_private_attribute():
    # sign_in_as() sets LoginForm._login, as LoginForm.clean() does.
    assert "self._login" in inspect.getsource(LoginForm)


def test_no_module_but_the_bridge_reaches_allauth_internals():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.name == "allauth_bridge.py" or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module:
                    module = node.module
                    if module.startswith("allauth") and (
                        ".internal" in module or module in ("allauth.core", "allauth.mfa.utils")
                    ):
                        offenders.append(f"{path.relative_to(ROOT)}: {module}")
    assert offenders == []
