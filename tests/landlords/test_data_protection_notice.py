"""The landlord's notice on personal data (RGPD, art. 13) under every tenant form that
collects some, on each demo landlord's portal."""

import html
import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from accounts import reset_by_sms, signup
from landlords.models import Landlord
from servicerequests import services
from servicerequests.models import RequestCategory
from tenancies.models import Signatory, TenantAccount

pytestmark = pytest.mark.django_db

DEMO = json.loads((Path(__file__).resolve().parents[2] / "demo/data/landlords.json").read_text())
NUMBERS = {
    "hmp": "000123",
    "hdf": "590000000012345",
    "auvergne": "0212345678901",
    "aubervilliers": "123456",
}


def anonymous(landlord):
    return Client(HTTP_HOST=f"{landlord.slug}.localhost")


def with_state(landlord, key, **state):
    """A visitor with a journey in progress (sign-up or password reset), as its first
    steps leave it in the session."""
    client = anonymous(landlord)
    session = client.session
    session[key] = {
        "started": timezone.now().timestamp(),
        "account": NUMBERS[landlord.slug],
        "signatory": None,
        "proven": False,
        "typed": {},
        **state,
    }
    session.save()
    return client


def first_signatory(landlord):
    return Signatory.objects.filter(
        lease__account__landlord=landlord, lease__account__number=NUMBERS[landlord.slug]
    ).order_by("position")[0]


def proven_signup(landlord, **state):
    return with_state(
        landlord, signup.SESSION_KEY, signatory=first_signatory(landlord).pk, proven=True, **state
    )


def signed_in(landlord, make_tenant):
    client = anonymous(landlord)
    client.force_login(make_tenant(landlord.slug))
    return client


def account_of(landlord):
    return TenantAccount.objects.get(landlord=landlord, number=NUMBERS[landlord.slug])


def a_request(landlord, make_tenant):
    user = make_tenant(landlord.slug)
    client = anonymous(landlord)
    client.force_login(user)
    created = services.create_request(
        account=account_of(landlord),
        author=user,
        category=RequestCategory.objects.filter(landlord=landlord, is_active=True).first(),
        description="La porte du hall ferme mal.",
    )
    return client, f"/mon-compte/demandes/{created.public_id}/"


def new_request(landlord, make_tenant):
    client = signed_in(landlord, make_tenant)
    category = RequestCategory.objects.filter(landlord=landlord, is_active=True).first()
    return client, f"/mon-compte/compte/{account_of(landlord).pk}/demandes/nouvelle/{category.pk}/"


# Each page: who may see it on which landlord, and how the visitor got there.
PAGES = {
    "sign-up, identity": lambda landlord, _: (anonymous(landlord), "/inscription/"),
    "sign-up, mobile check": lambda landlord, _: (
        with_state(landlord, signup.SESSION_KEY),
        "/inscription/telephone/",
    ),
    "sign-up, credentials": lambda landlord, _: (
        proven_signup(landlord),
        "/inscription/identifiants/",
    ),
    "sign-up, terms": lambda landlord, _: (
        proven_signup(landlord, details={"email": "jean@exemple.com"}),
        "/inscription/cgu/",
    ),
    "forgotten password by email": lambda landlord, _: (
        anonymous(landlord),
        "/compte/password/reset/",
    ),
    "forgotten password, account number": lambda landlord, _: (
        anonymous(landlord),
        "/mot-de-passe-oublie/",
    ),
    "forgotten password, mobile check": lambda landlord, _: (
        with_state(landlord, reset_by_sms.SESSION_KEY),
        "/mot-de-passe-oublie/telephone/",
    ),
    "Mes infos": lambda landlord, make: (signed_in(landlord, make), "/mon-compte/mes-infos/"),
    "Mes infos, email": lambda landlord, make: (
        signed_in(landlord, make),
        "/mon-compte/mes-infos/email/",
    ),
    "Mes infos, phones": lambda landlord, make: (
        signed_in(landlord, make),
        "/mon-compte/mes-infos/telephones/",
    ),
    "new request": new_request,
    "request and its messages": a_request,
    "Mes contacts": lambda landlord, make: (
        signed_in(landlord, make),
        f"/mon-compte/compte/{account_of(landlord).pk}/contacts/",
    ),
    "insurance certificate": lambda landlord, make: (
        signed_in(landlord, make),
        f"/mon-compte/compte/{account_of(landlord).pk}/assurance/",
    ),
}


def has_page(config: dict, page: str) -> bool:
    by_sms = config["login_identifier"] == "account_number"
    return {
        "sign-up, mobile check": config["identity_proof"] == "phone_sms",
        "sign-up, terms": config["signup_terms_step"],
        "forgotten password by email": not by_sms,
        "forgotten password, account number": by_sms,
        "forgotten password, mobile check": by_sms,
    }.get(page, True)


CASES = [
    pytest.param(config["slug"], page, id=f"{config['slug']}-{page}")
    for config in DEMO
    for page in PAGES
    if has_page(config, page)
]


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("slug", "page"), CASES)
def test_the_landlords_notice_is_under_the_form(demo, make_tenant, slug, page):
    landlord = Landlord.objects.get(slug=slug)
    client, url = PAGES[page](landlord, make_tenant)

    response = client.get(url)

    assert response.status_code == 200, response.get("Location")
    page = response.content.decode()
    [notice] = re.findall(r'<aside class="data-protection".*?</aside>', page, re.DOTALL)
    assert words(landlord.data_protection_text) in words(
        html.unescape(re.sub("<[^>]+>", " ", notice))
    )
    # Under the form: every form of the page comes before the notice, none after it.
    where = page.index(notice)
    assert '<form method="post"' in page[:where]
    assert "<form" not in page[where:]
    assert "Vos données personnelles" not in page[: page.index("</title>")]
