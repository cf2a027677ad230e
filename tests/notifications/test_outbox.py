import json

import pytest
from django.core.mail import EmailMultiAlternatives, get_connection

from notifications.sms_backends import OutboxSmsBackend

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.notifications.urls")]


def send_activation_email():
    message = EmailMultiAlternatives(
        subject="Habitat Marseille Provence : activez votre accès",
        body="Bonjour Jean,\n\nPour activer votre accès : https://hmp.localhost/activer/abc123",
        to=["jean.dupond@exemple.fr"],
    )
    message.attach_alternative("<p>Bonjour Jean, <a href='#'>activez</a></p>", "text/html")
    get_connection("notifications.backends.OutboxEmailBackend").send_messages([message])


def test_outbox_email_backend_writes_each_message_as_a_json_file(outbox_dir):
    send_activation_email()

    [path] = outbox_dir.glob("*.json")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["kind"] == "email"
    assert record["to"] == ["jean.dupond@exemple.fr"]
    assert record["subject"] == "Habitat Marseille Provence : activez votre accès"
    assert record["text"].endswith("https://hmp.localhost/activer/abc123")
    assert record["html"] == "<p>Bonjour Jean, <a href='#'>activez</a></p>"
    assert record["sent_at"].endswith("+00:00")


def test_outbox_page_lists_messages_newest_first_with_clickable_links(client, landlord, settings):
    settings.DEMO = True
    send_activation_email()
    OutboxSmsBackend().send("+33612345661", "Votre code de vérification est 482913.", "HMP")

    response = client.get("/outbox/", HTTP_HOST="hmp.localhost")

    assert response.status_code == 200
    page = response.text
    assert page.count("<h1") == 1
    assert "Boîte d'envoi (démonstration)" in page
    assert page.count("<article") == 2
    sms_heading = page.index(">SMS au 06 •• •• •• 61</h2>")
    email_heading = page.index(">Habitat Marseille Provence : activez votre accès</h2>")
    assert sms_heading < email_heading
    assert "Votre code de vérification est 482913." in page
    assert '<a href="https://hmp.localhost/activer/abc123"' in page
    assert "jean.dupond@exemple.fr" in page


def test_outbox_page_escapes_what_messages_contain(client, landlord, settings):
    settings.DEMO = True
    OutboxSmsBackend().send("+33612345661", "<script>alert(1)</script>", "HMP")

    response = client.get("/outbox/", HTTP_HOST="hmp.localhost")

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_outbox_page_does_not_exist_outside_the_demo(client, landlord, settings):
    settings.DEMO = False
    OutboxSmsBackend().send("+33612345661", "Votre code de vérification est 482913.", "HMP")

    response = client.get("/outbox/", HTTP_HOST="hmp.localhost")

    assert response.status_code == 404
    assert "482913" not in response.text
