import datetime
import email
from email import policy

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.emails import queue_email, send_templated_email
from tests.factories import LandlordFactory
from tests.notifications.support import logged_by_the_portal, run_due_tasks, smtp_server_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_templates")]


def send_welcome(landlord, to="jean.dupond@exemple.fr"):
    send_templated_email(
        landlord=landlord,
        to=to,
        template="tests/welcome",
        context={"first_name": "Jean", "activation_url": "https://hmp.localhost/activer/abc123"},
    )


def parsed(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.content, policy=policy.default)


def subject_of(message) -> str:
    # Django folds an encoded subject onto a second line; mail clients drop the
    # whitespace left by unfolding, as this does.
    return message["Subject"].strip()


def test_email_goes_through_a_real_smtp_server_in_the_landlords_name(smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "Espace Locataire <noreply@locataires.exemple.fr>"
    landlord = LandlordFactory(name="Habitat Marseille Provence", brand_color="#0b5394")

    send_welcome(landlord)

    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["jean.dupond@exemple.fr"]
    message = parsed(envelope)
    assert message["To"] == "jean.dupond@exemple.fr"
    assert subject_of(message) == "Habitat Marseille Provence : activez votre accès"
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (
        "Habitat Marseille Provence",
        "noreply@locataires.exemple.fr",
    )
    text = message.get_body(("plain",)).get_content()
    assert "Bonjour Jean," in text
    assert "ouvrez ce lien : https://hmp.localhost/activer/abc123" in text
    html = message.get_body(("html",)).get_content()
    assert '<html lang="fr">' in html
    assert "background-color:#0b5394; color:#ffffff" in html
    assert ">Habitat Marseille Provence</h1>" in html
    assert '<a href="https://hmp.localhost/activer/abc123">ouvrez ce lien</a>' in html


def test_landlord_names_are_quoted_or_encoded_in_the_sender_and_unescaped_in_text(smtp_server):
    landlord = LandlordFactory(name='Office "Habitat", Besançon')

    send_welcome(landlord)

    message = parsed(smtp_server.envelopes[0])
    [sender] = message["From"].addresses
    assert sender.display_name == 'Office "Habitat", Besançon'
    assert sender.addr_spec == "noreply@localhost"
    assert subject_of(message) == 'Office "Habitat", Besançon : activez votre accès'
    assert 'Office "Habitat", Besançon' in message.get_body(("plain",)).get_content()
    assert "Office &quot;Habitat&quot;, Besançon" in message.get_body(("html",)).get_content()


def test_email_queued_while_the_mail_server_is_down_is_sent_once_it_is_back(
    database_tasks, smtp_port
):
    landlord = LandlordFactory(name="Habitat Hauts-de-France")
    with transaction.atomic():
        send_welcome(landlord)

    before = timezone.now()
    run_due_tasks()  # nothing listens on smtp_port

    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.args_kwargs["kwargs"]["to"] == ["jean.dupond@exemple.fr"]
    wait = retry.run_after - before
    assert datetime.timedelta(seconds=55) < wait < datetime.timedelta(seconds=65)

    with smtp_server_on(smtp_port) as smtp_server:
        run_due_tasks()
        assert smtp_server.envelopes == []  # not before its time
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        run_due_tasks()

    [envelope] = smtp_server.envelopes
    assert subject_of(parsed(envelope)) == "Habitat Hauts-de-France : activez votre accès"
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_email_refused_by_the_server_is_not_retried_and_the_log_hides_the_address(
    database_tasks, smtp_port, caplog
):
    send_welcome(LandlordFactory(), to="ancien.locataire@exemple.fr")
    refusal = "550 5.1.1 <ancien.locataire@exemple.fr>: Recipient address rejected"

    with smtp_server_on(smtp_port, {"ancien.locataire@exemple.fr": refusal}):
        run_due_tasks()

    [attempt] = DBTaskResult.objects.all()
    assert attempt.status == "FAILED"
    our_log = logged_by_the_portal(caplog)
    assert "SMTPRecipientsRefused [550]" in our_log
    assert "***@exemple.fr" in our_log
    assert "ancien.locataire" not in our_log
    assert "ancien.locataire" not in attempt.traceback


def test_email_the_server_asks_to_send_later_is_retried(database_tasks, smtp_port):
    send_welcome(LandlordFactory())
    greylisted = {"jean.dupond@exemple.fr": "451 4.7.1 Greylisted, try again later"}

    with smtp_server_on(smtp_port, greylisted):
        run_due_tasks()

    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2


def test_email_queued_in_a_rolled_back_transaction_is_never_sent(database_tasks):
    landlord = LandlordFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        send_welcome(landlord)
        raise RuntimeError("the sign-up failed after the email was queued")

    assert not DBTaskResult.objects.exists()


def test_queue_email_keeps_every_part_of_the_message():
    message = EmailMultiAlternatives(
        subject="Votre demande",
        body="Texte",
        from_email="agence@exemple.fr",
        to=["jean.dupond@exemple.fr"],
        cc=["marie.dupond@exemple.fr"],
        bcc=["archives@exemple.fr"],
        reply_to=["agence.nord@exemple.fr"],
        headers={"X-Demande": "42"},
    )
    message.attach_alternative("<p>Texte</p>", "text/html")

    queue_email(message)

    [sent] = mail.outbox
    assert sent.subject == "Votre demande"
    assert sent.body == "Texte"
    assert sent.from_email == "agence@exemple.fr"
    assert sent.to == ["jean.dupond@exemple.fr"]
    assert sent.cc == ["marie.dupond@exemple.fr"]
    assert sent.bcc == ["archives@exemple.fr"]
    assert sent.reply_to == ["agence.nord@exemple.fr"]
    assert sent.extra_headers == {"X-Demande": "42"}
    assert sent.alternatives == [("<p>Texte</p>", "text/html")]


def test_queue_email_refuses_attachments_rather_than_dropping_them():
    message = EmailMultiAlternatives(subject="Quittance", body="Ci-joint", to=["a@exemple.fr"])
    message.attach("quittance.pdf", b"%PDF-1.7", "application/pdf")

    with pytest.raises(ValueError, match="attachments"):
        queue_email(message)
    assert mail.outbox == []
