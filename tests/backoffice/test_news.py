"""Actualités: staff write and publish, tenants read theirs, consenting tenants get emails."""

import datetime
import email

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import NewsConsent, User
from accounts.profile import news_consent
from audit.models import AuditEvent
from landlords.models import Landlord
from news import services
from news.models import NewsItem
from staff.roles import Role
from tenancies.models import Signatory
from tests.factories import (
    AccessFactory,
    EmailAddressFactory,
    NewsConsentFactory,
    NewsItemFactory,
)
from tests.notifications.support import free_port, smtp_server_on

pytestmark = pytest.mark.django_db
TOMORROW = timezone.now() + datetime.timedelta(days=1)


@pytest.fixture
def admin(make_staff):
    return make_staff("hmp", Role.ADMINISTRATOR)


def tenant_client(user, slug="hmp"):
    client = Client(HTTP_HOST=f"{slug}.localhost")
    client.force_login(user)
    return client


def login_for(slug, number, email_address):

    signatory = Signatory.objects.filter(
        lease__account__landlord__slug=slug, lease__account__number=number
    ).first()
    user = User.objects.create_user(email_address, "Loyer-Payé-2026")
    EmailAddressFactory(user=user)
    AccessFactory(user=user, signatory=signatory)
    return user


def publish(client, **fields):
    data = {"title": "Coupure d'eau", "body": "Mardi de 9 h à 12 h.", "audience": "landlord"}
    data |= fields
    return client.post("/actualites/nouvelle/", {**data, "action": "publish"}, follow=True)


def test_published_news_is_seen_by_the_landlords_tenants_new_until_read(admin, agence, tenant):
    jean = tenant("hmp")
    response = publish(agence("hmp", admin))

    assert "Actualité publiée : les locataires la voient." in response.text
    item = NewsItem.objects.get()
    assert (item.author, item.state) == (admin, NewsItem.State.PUBLISHED)
    assert AuditEvent.objects.filter(action="news.published", actor=admin).exists()
    reader = tenant_client(jean)
    mon_compte = reader.get("/mon-compte/").text
    assert "Coupure d&#x27;eau" in mon_compte and "1 nouvelle" in mon_compte
    first = reader.get("/actualites/").text
    assert "Nouveau</span> Coupure d&#x27;eau" in first and "Mardi de 9 h à 12 h." in first
    second = reader.get("/actualites/").text
    assert "Coupure d&#x27;eau" in second and "Nouveau</span>" not in second
    assert "1 nouvelle" not in reader.get("/mon-compte/").text
    # Another landlord's tenants never see it.
    other = tenant_client(tenant("hdf"), "hdf")
    assert "Coupure" not in other.get("/actualites/").text


def test_an_agencys_or_residences_news_reaches_only_its_tenants(admin, agence, tenant):
    jean = tenant("hmp")  # 000123, agence NORD, 15 rue des Oliviers
    lea = login_for("hmp", "000789", "lea@exemple.com")  # agence SUD
    client = agence("hmp", admin)
    nord = Landlord.objects.get(slug="hmp").agencies.get(code="NORD")
    publish(client, title="Permanence Nord", audience="agency", agency=nord.pk)
    publish(
        client,
        title="Ascenseur réparé",
        audience="residence",
        residence="15 rue des Oliviers, 13013 Marseille",
    )
    publish(client, title="Brouillon", audience="landlord", action="draft")
    NewsItem.objects.filter(title="Brouillon").update(state=NewsItem.State.DRAFT)
    publish(client, title="Plus tard", publish_at=TOMORROW.strftime("%Y-%m-%dT%H:%M"))

    for_jean = tenant_client(jean).get("/actualites/").text
    for_lea = tenant_client(lea).get("/actualites/").text

    assert "Permanence Nord" in for_jean and "Ascenseur réparé" in for_jean
    assert "Permanence Nord" not in for_lea and "Ascenseur réparé" not in for_lea
    # Mon compte shows the latest ones to the same audience.
    assert "Permanence Nord" in tenant_client(jean).get("/mon-compte/").text
    assert "Permanence Nord" not in tenant_client(lea).get("/mon-compte/").text
    assert "Brouillon" not in for_jean and "Plus tard" not in for_jean
    with freeze_time(TOMORROW + datetime.timedelta(minutes=5)):
        assert "Plus tard" in tenant_client(lea).get("/actualites/").text


def test_the_audience_needs_its_target(admin, agence):
    response = publish(agence("hmp", admin), audience="agency")

    assert "Choisissez l&#x27;agence dont les locataires la liront." in response.text
    assert not NewsItem.objects.exists()


def test_an_agent_writes_only_for_their_agencies(make_staff, agence, admin):
    agent = agence("hmp", make_staff("hmp", Role.AGENT, agencies=["NORD"]))
    hmp = Landlord.objects.get(slug="hmp")
    sud = NewsItemFactory(
        landlord=hmp, audience="agency", agency=hmp.agencies.get(code="SUD"), title="Sud", body="."
    )
    everyone = NewsItemFactory(landlord=hmp, audience="landlord", title="Tous", body=".")

    refused = publish(agent, audience="landlord")
    assert "Sélectionnez un choix valide" in refused.text
    refused = publish(agent, audience="agency", agency=sud.agency.pk)
    assert "Sélectionnez un choix valide" in refused.text
    assert agent.get(f"/actualites/{sud.pk}/").status_code == 404
    assert agent.get(f"/actualites/{everyone.pk}/").status_code == 404
    assert agent.post(f"/actualites/{sud.pk}/retirer/").status_code == 404
    listing = agent.get("/actualites/").text
    assert "Sud" not in listing and "Tous" not in listing
    nord = hmp.agencies.get(code="NORD")
    assert "Actualité publiée" in publish(agent, audience="agency", agency=nord.pk).text


def test_news_of_another_landlord_answers_404_and_accounting_has_no_news_screen(
    make_staff, agence, admin
):
    hdf = Landlord.objects.get(slug="hdf")
    theirs = NewsItemFactory(landlord=hdf, audience="landlord", title="HDF", body=".")
    client = agence("hmp", admin)
    accountant = agence("hmp", make_staff("hmp", Role.ACCOUNTING))

    assert client.get(f"/actualites/{theirs.pk}/").status_code == 404
    assert client.post(f"/actualites/{theirs.pk}/retirer/").status_code == 404
    assert accountant.get("/actualites/").status_code == 403
    assert accountant.get("/actualites/nouvelle/").status_code == 403


def test_consenting_tenants_get_an_email_with_a_one_click_unsubscribe(admin, agence, tenant):
    jean = tenant("hmp")
    lea = login_for("hmp", "000789", "lea@exemple.com")
    NewsConsentFactory(user=jean, landlord=jean.accounts().first().landlord, granted=True)
    NewsConsentFactory(user=lea, landlord=jean.accounts().first().landlord, granted=False)

    publish(agence("hmp", admin))

    assert [message.to for message in mail.outbox] == [[jean.email]]
    message = mail.outbox[0]
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://hmp.localhost/actualites/desabonnement/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = unsubscribe.strip("<>")
    assert url in message.body and url in message.alternatives[0][0]
    assert NewsItem.objects.get().emailed_at is not None
    # Sent once: the task again changes nothing.
    assert services.send_emails(NewsItem.objects.get().pk) == 0

    # The mail client posts, with no cookie and no CSRF token.
    path = url.removeprefix("http://hmp.localhost")
    response = Client(HTTP_HOST="hmp.localhost", enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert news_consent(jean, Landlord.objects.get(slug="hmp")).granted is False
    assert AuditEvent.objects.filter(action="news.unsubscribed", actor=jean).exists()


def test_an_unsubscribe_link_works_only_for_its_landlord(tenant):
    jean = tenant("hmp")
    hmp = Landlord.objects.get(slug="hmp")
    token = services.unsubscribe_token(jean, hmp)

    visible = Client(HTTP_HOST="hmp.localhost").get(f"/actualites/desabonnement/{token}/")
    assert "Me désabonner" in visible.text
    elsewhere = Client(HTTP_HOST="hdf.localhost")
    assert elsewhere.post(f"/actualites/desabonnement/{token}/").status_code == 404
    tampered = Client(HTTP_HOST="hmp.localhost")
    assert tampered.post(f"/actualites/desabonnement/{token}x/").status_code == 404
    assert not NewsConsent.objects.filter(user=jean).exists()


def test_a_scheduled_news_is_emailed_when_its_time_comes(admin, agence, tenant):
    jean = tenant("hmp")
    NewsConsentFactory(user=jean, landlord=Landlord.objects.get(slug="hmp"), granted=True)

    publish(agence("hmp", admin), publish_at=TOMORROW.strftime("%Y-%m-%dT%H:%M"))
    assert "programmée pour le" in agence("hmp", admin).get("/actualites/").text
    assert mail.outbox == []
    with freeze_time(TOMORROW + datetime.timedelta(minutes=5)):
        call_command("send_due_news")

    assert [message.to for message in mail.outbox] == [[jean.email]]


def test_the_news_email_goes_through_a_real_smtp_server(admin, agence, tenant, settings):
    jean = tenant("hmp")
    NewsConsentFactory(user=jean, landlord=Landlord.objects.get(slug="hmp"), granted=True)
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5

    with smtp_server_on(port) as server:
        publish(agence("hmp", admin))

    (envelope,) = server.envelopes
    received = email.message_from_bytes(envelope.content)
    assert envelope.rcpt_tos == [jean.email]
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A long header may be folded over two lines (RFC 5322): unfolded, it is the link.
    unfolded = "".join(received["List-Unsubscribe"].split())
    assert unfolded.startswith("<http://hmp.localhost/actualites/desabonnement/")
    subject = email.header.make_header(email.header.decode_header(received["Subject"]))
    assert str(subject) == "Habitat Marseille Provence : Coupure d'eau"


def test_emails_go_only_to_the_audience_who_consented(tenant):
    hmp = Landlord.objects.get(slug="hmp")
    jean = tenant("hmp")  # 000123: agence NORD, 15 rue des Oliviers
    lea = login_for("hmp", "000789", "lea@exemple.com")  # agence SUD, 8 traverse du Soleil
    for user in (jean, lea):
        NewsConsentFactory(user=user, landlord=hmp, granted=True)
    oliviers = NewsItem(
        landlord=hmp, audience="residence", residence="15 rue des Oliviers, 13013 Marseille"
    )
    sud = NewsItem(landlord=hmp, audience="agency", agency=hmp.agencies.get(code="SUD"))
    everyone = NewsItem(landlord=hmp, audience="landlord")

    assert list(services.recipients(oliviers)) == [jean]
    assert list(services.recipients(sud)) == [lea]
    assert list(services.recipients(everyone)) == [jean, lea]
    # The latest consent decides.
    NewsConsentFactory(user=jean, landlord=hmp, granted=False)
    assert list(services.recipients(everyone)) == [lea]


def test_saving_a_published_item_with_its_date_emptied_keeps_it_published(admin, agence):
    client = agence("hmp", admin)
    publish(client)
    item = NewsItem.objects.get()

    response = client.post(
        f"/actualites/{item.pk}/",
        {"title": "Coupure d'eau (corrigé)", "body": "Mercredi.", "audience": "landlord"},
        follow=True,
    )

    assert "Actualité enregistrée." in response.text
    item.refresh_from_db()
    assert item.state == NewsItem.State.PUBLISHED and item.publish_at is not None
    assert AuditEvent.objects.filter(action="news.updated").exists()
