"""Two web processes, two workers, one PostgreSQL and one Redis behind haproxy (issue 16's
scale-out), then each part stopped and started again (issue 18): see conftest.py."""

import email
import os
import re
import signal

import pytest
import requests

from tests.system.conftest import EMAIL, LOAD_BALANCER_503, PASSWORD, Visitor, text

pytestmark = pytest.mark.system

UNAVAILABLE = "Le service est momentanément indisponible, réessayez dans quelques minutes"


def sign_in(visitor, password=PASSWORD, login=EMAIL):
    return visitor.form("/compte/login/", {"login": login, "password": password})


def test_a_tenants_journey_alternates_between_the_two_web_processes(stack):
    tenant = Visitor(stack)

    signed_in = sign_in(tenant)  # the ALTCHA challenge of one process, checked by the other
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/mon-compte/"
    pages = [tenant.get("/mon-compte/") for _ in range(4)]
    assert all(page.status_code == 200 for page in pages)
    assert {"web1", "web2"} <= set(tenant.served_by)

    # Payment: the amount, the provider's page, the card, its notification, the return.
    account_id = re.search(r"/mon-compte/compte/(\d+)/reglement/", pages[0].text)[1]
    amount_path = f"/mon-compte/compte/{account_id}/reglement/montant/"
    # The landlord's minimum: the next test pays again, what is left.
    redirect = tenant.form(amount_path, {"amount": "20,00"})
    assert redirect.status_code == 200, redirect.status_code
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', redirect.text))
    card_page = tenant.post("/paiement/bac-a-sable/", fields)
    token = re.search(r'name="token" value="([^"]+)"', card_page.text)[1]
    done = tenant.post(
        "/paiement/bac-a-sable/carte/",
        {"token": token, "card_number": "4970100000000003", "expiry": "12/30", "cvv": "123"},
    )
    assert done.status_code == 302
    back = tenant.get(done.headers["Location"].split(str(stack.lb_port), 1)[-1])
    assert back.status_code == 200
    reference = fields["vads_order_id"]
    assert (
        stack.sql(f"SELECT state FROM payments_payment WHERE reference = '{reference}'") == "paid"
    )

    # Throttling counts are shared: the sixth wrong password is held, whichever process.
    attacker = Visitor(stack)
    replies = [sign_in(attacker, f"essai-{n}", "inconnu@exemple.com") for n in range(7)]
    assert all(reply.status_code == 200 for reply in replies)
    assert "Trop de tentatives" in text(replies[-1])
    assert {"web1", "web2"} <= set(attacker.served_by)


QUEUE_EMAIL_AND_SMS = """
from django.core.mail import EmailMultiAlternatives
from notifications.emails import queue_email
from notifications.sms import send_sms

queue_email(EmailMultiAlternatives(
    "Votre avis d'échéance", "Bonjour", "noreply@exemple.fr", ["jean@exemple.com"]
))
send_sms(to="+33612345661", text="Votre code est 123456.")
"""
QUEUE_EMAIL = """
from django.core.mail import EmailMultiAlternatives
from notifications.emails import queue_email

queue_email(EmailMultiAlternatives(
    "{subject}", "Bonjour", "noreply@exemple.fr", ["jean@exemple.com"]
))
"""
IN_PROGRESS = "Votre quittance de novembre"
TASKS = "django_tasks_database_dbtaskresult"


def subject(envelope) -> str:
    return email.message_from_bytes(envelope.content)["Subject"]


def unfinished_tasks(stack) -> int:
    return int(stack.sql(f"SELECT count(*) FROM {TASKS} WHERE status IN ('READY', 'RUNNING')"))


def worker_running(stack, task: str) -> tuple[str, str]:
    """The worker id and the stack's process name of the worker running `task`."""
    worker_id = stack.sql(
        f"SELECT worker_ids->>-1 FROM {TASKS} WHERE status = 'RUNNING' AND task_path LIKE '%{task}'"
    )
    pid = int(stack.sql(f"SELECT pid FROM workers_heartbeat WHERE worker_id = '{worker_id}'"))
    return worker_id, next(name for name, process in stack.processes.items() if process.pid == pid)


def test_a_worker_killed_in_the_middle_of_a_task_loses_no_email_nor_sms(stack):
    sent_sms = len(stack.brevo.requests)
    stack.smtp.hold_next()  # the next email waits in its worker's SMTP conversation
    stack.shell(QUEUE_EMAIL_AND_SMS)
    stack.wait_for(stack.smtp.holding.is_set)
    _worker_id, name = worker_running(stack, "deliver_email")

    os.kill(stack.processes[name].pid, signal.SIGKILL)
    stack.processes[name].wait(10)
    stack.smtp.released.set()

    # The other worker sees the heartbeat stop, takes the task back and sends the email.
    stack.wait_for(lambda: len(stack.smtp.messages) == 1, timeout=30)
    stack.wait_for(lambda: unfinished_tasks(stack) == 0, timeout=30)
    assert len(stack.brevo.requests) == sent_sms + 1
    assert stack.smtp.messages[0].rcpt_tos == ["jean@exemple.com"]
    # The supervisor starts it again.
    stack.start_worker(name)


def test_the_database_stopped_then_started_again(stack):
    from payments.sandbox import notification_fields

    tenant = Visitor(stack)
    assert sign_in(tenant).status_code == 302
    home = tenant.get("/mon-compte/")
    name = re.search(r'<span class="brand-name">([^<]+)</span>', home.text)[1]
    account_id = re.search(r"/mon-compte/compte/(\d+)/reglement/", home.text)[1]
    amount_path = f"/mon-compte/compte/{account_id}/reglement/montant/"
    redirect = tenant.form(amount_path, {"amount": "20,00"})
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', redirect.text))
    reference = fields["vads_order_id"]
    key = stack.sql(
        "SELECT key FROM payments_paymentprovider p JOIN landlords_landlord l "
        "ON l.id = p.landlord_id WHERE l.slug = 'auvergne'"
    )
    ipn = notification_fields({"fields": fields}, "AUTHORISED", key)
    web_pids = [stack.processes[f"web{n}"].pid for n in (1, 2)]
    lb = f"http://127.0.0.1:{stack.lb_port}"
    # A task in progress: an email in the middle of its SMTP conversation.
    stack.smtp.hold_next()
    stack.shell(QUEUE_EMAIL.format(subject=IN_PROGRESS))
    stack.wait_for(stack.smtp.holding.is_set)
    worker_id, worker = worker_running(stack, "deliver_email")
    worker_log = stack.folder / f"{worker}.log"

    stack.pg.stop()

    # The mail server refuses it for now (451) and its retry cannot be queued: the task
    # meets the outage, its worker waits for the database.
    stack.smtp.released.set()
    stack.wait_for(
        lambda: f"Worker {worker_id}: database unreachable" in worker_log.read_text(), timeout=30
    )

    # haproxy's checks take both processes out (no X-Web: no process answered), and it
    # answers its own page, in French like the portal's (deploy/haproxy/503-fr.http).
    stack.wait_for(lambda: "X-Web" not in tenant.get("/mon-compte/").headers, timeout=30)
    from_load_balancer = tenant.get("/mon-compte/")
    assert from_load_balancer.status_code == 503
    assert UNAVAILABLE in text(from_load_balancer)
    assert from_load_balancer.content == LOAD_BALANCER_503.read_bytes().split(b"\r\n\r\n", 1)[1]
    for port in stack.web_ports:
        page = tenant.session.get(
            f"http://127.0.0.1:{port}/mon-compte/", allow_redirects=False, timeout=30
        )
        assert page.status_code == 503
        assert UNAVAILABLE in text(page) and name in text(page)
        assert requests.get(f"http://127.0.0.1:{port}/sante/", timeout=10).status_code == 503
    # The provider's notification gets an error status from the portal itself (not only
    # from the load balancer): Lyra sends it again later.
    refused = tenant.session.post(
        f"http://127.0.0.1:{stack.web_ports[0]}/paiement/notification/", data=ipn, timeout=30
    )
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "120"
    # The workers' probe tells the operator why: the database (exit status 2).
    probe = stack.run("worker_health", timeout=60)
    assert probe.returncode == 2, (probe.returncode, probe.stderr[-2000:])
    assert "database unreachable" in probe.stderr

    stack.pg.start()

    # No restart: the same processes serve again, the session kept.
    for port in stack.web_ports:
        stack.wait_healthy(port, timeout=30)
    stack.wait_for(stack.balanced, timeout=30)  # haproxy's checks take them back
    assert [stack.processes[f"web{n}"].pid for n in (1, 2)] == web_pids
    assert all(process.poll() is None for process in stack.processes.values())
    pages = [tenant.get("/mon-compte/") for _ in range(2)]
    assert [page.status_code for page in pages] == [200, 200]
    # The workers' heartbeats resume: the probe is satisfied again.
    stack.wait_for(lambda: stack.run("worker_health", timeout=60).returncode == 0, timeout=30)
    # Lyra's retries: credited once, however many arrive.
    for _ in range(2):
        again = tenant.session.post(f"{lb}/paiement/notification/", data=ipn, timeout=30)
        assert again.status_code == 200
    assert (
        stack.sql(f"SELECT state FROM payments_payment WHERE reference = '{reference}'") == "paid"
    )
    assert (
        stack.sql(f"SELECT count(*) FROM billing_ledgerentry WHERE reference = '{reference}'")
        == "1"
    )
    # The task cut by the outage ran again: its email arrived, once, and nothing waits.
    stack.wait_for(lambda: unfinished_tasks(stack) == 0, timeout=30)
    assert [subject(message) for message in stack.smtp.messages].count(IN_PROGRESS) == 1
    # One task row, claimed twice (before and after the outage), finished.
    assert (
        stack.sql(
            f"SELECT status, jsonb_array_length(worker_ids) FROM {TASKS} "
            f"WHERE args_kwargs::text LIKE '%{IN_PROGRESS}%'"
        )
        == "SUCCESSFUL|2"
    )
    # The workers waited through the outage: what is queued now leaves.
    messages = len(stack.smtp.messages)
    stack.shell(QUEUE_EMAIL_AND_SMS)
    stack.wait_for(lambda: len(stack.smtp.messages) > messages, timeout=30)
