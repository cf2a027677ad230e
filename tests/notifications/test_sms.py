import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.outbox import read_outbox
from notifications.sms import send_sms
from notifications.sms_backends import BrevoSmsBackend, PermanentSmsError, TransientSmsError
from tests.notifications.support import (
    BREVO_API_KEY,
    free_port,
    logged_by_the_portal,
    run_due_tasks,
)

CODE_SMS = "Habitat Hauts-de-France : votre code de vérification est 482913."


def test_brevo_receives_the_sms_exactly_as_its_api_documents_it(fake_brevo):
    message_id = BrevoSmsBackend().send("+33612345661", CODE_SMS, "HDF")

    assert message_id == "1511882900176220"
    [request] = fake_brevo.requests
    assert request["path"] == "/v3/transactionalSMS/send"
    assert request["headers"]["api-key"] == BREVO_API_KEY
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["json"] == {
        "sender": "HDF",
        "recipient": "33612345661",
        "content": CODE_SMS,
        "type": "transactional",
    }


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (400, {"code": "invalid_parameter", "message": "Invalid phone number"}, PermanentSmsError),
        (402, {"code": "not_enough_credits", "message": "Not enough credits"}, PermanentSmsError),
        (429, {"code": "too_many_requests", "message": "Too many requests"}, TransientSmsError),
        (500, {"code": "internal_error", "message": "Internal server error"}, TransientSmsError),
        (503, {"message": "Service unavailable"}, TransientSmsError),
    ],
)
def test_brevo_refusals_are_told_apart_from_outages(fake_brevo, status, body, error):
    fake_brevo.reply = (status, body)

    with pytest.raises(error, match=f"HTTP {status}"):
        BrevoSmsBackend().send("+33612345661", CODE_SMS, "HDF")


def test_a_number_brevo_finds_invalid_is_a_permanent_failure(fake_brevo):
    with pytest.raises(PermanentSmsError, match="invalid_parameter"):
        BrevoSmsBackend().send("+331", CODE_SMS, "HDF")


def test_a_refused_api_key_is_permanent_and_logged_as_such(fake_brevo, settings, caplog):
    settings.BREVO_API_KEY = "xkeysib-revoked"

    with pytest.raises(PermanentSmsError, match="HTTP 401"):
        BrevoSmsBackend().send("+33612345661", CODE_SMS, "HDF")
    assert "check BREVO_API_KEY" in caplog.text


def test_a_missing_api_key_or_a_sender_brevo_would_refuse_fails_without_calling_it(
    fake_brevo, settings
):
    with pytest.raises(PermanentSmsError, match="sender"):
        BrevoSmsBackend().send("+33612345661", CODE_SMS, "Habitat HDF")
    settings.BREVO_API_KEY = ""
    with pytest.raises(PermanentSmsError, match="BREVO_API_KEY"):
        BrevoSmsBackend().send("+33612345661", CODE_SMS, "HDF")
    assert fake_brevo.requests == []


def test_brevo_too_slow_or_unreachable_is_transient(fake_brevo, settings):
    fake_brevo.delay = 1
    with pytest.raises(TransientSmsError, match="in time"):
        BrevoSmsBackend(timeout=0.2).send("+33612345661", CODE_SMS, "HDF")

    settings.BREVO_API_URL = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(TransientSmsError, match="reached"):
        BrevoSmsBackend().send("+33612345661", CODE_SMS, "HDF")


@pytest.mark.django_db
def test_send_sms_lands_in_the_outbox_in_the_demo(settings):
    settings.SMS_SENDER = "HDF"

    send_sms(to="+33612345661", text=CODE_SMS)

    [sms] = read_outbox()
    assert (sms.kind, sms.to, sms.sender, sms.text) == ("sms", "+33612345661", "HDF", CODE_SMS)


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_an_outage_is_retried_later_with_growing_delays_then_given_up(fake_brevo, caplog):
    fake_brevo.reply = (500, {"code": "internal_error", "message": "Internal server error"})
    send_sms(to="+33612345661", text=CODE_SMS, sender="HDF")

    waits = []
    for _attempt in range(5):
        due = DBTaskResult.objects.get(status="READY")
        DBTaskResult.objects.filter(pk=due.pk).update(run_after=timezone.now())
        before = timezone.now()
        run_due_tasks()
        retry = DBTaskResult.objects.filter(status="READY").first()
        if retry:
            waits.append(round((retry.run_after - before).total_seconds() / 60))

    assert waits == [1, 5, 15, 60]
    assert len(fake_brevo.requests) == 5
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1
    our_log = logged_by_the_portal(caplog)
    assert "SMS to ***61 failed on attempt 5 of 5" in our_log
    assert "giving up: no attempt left" in our_log
    assert "482913" not in our_log
    assert "612345661" not in our_log


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_an_invalid_number_is_not_retried(fake_brevo, caplog):
    send_sms(to="+331", text=CODE_SMS, sender="HDF")

    run_due_tasks()

    [attempt] = DBTaskResult.objects.all()
    assert attempt.status == "FAILED"
    assert len(fake_brevo.requests) == 1
    assert "giving up: permanent failure" in logged_by_the_portal(caplog)


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_an_sms_delivered_after_an_outage_keeps_brevos_message_id(fake_brevo):
    fake_brevo.reply = (502, {"message": "Bad gateway"})
    send_sms(to="+33612345661", text=CODE_SMS, sender="HDF")
    run_due_tasks()

    fake_brevo.reply = (201, {"messageId": 42})
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_due_tasks()

    delivered = DBTaskResult.objects.get(status="SUCCESSFUL", return_value__isnull=False)
    assert delivered.return_value == "42"
    assert delivered.args_kwargs["kwargs"]["attempt"] == 2
