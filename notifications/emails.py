"""Queueing emails, and rendering them from templates in a landlord's name.

An email is a task row written in the caller's transaction (django-tasks-db): queued
inside transaction.atomic(), it survives a mail server outage and disappears with a
rollback.
"""

from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine
from django.template.loader import render_to_string

from notifications.tasks import deliver_email

if TYPE_CHECKING:
    from landlords.models import Landlord


def queue_email(message: EmailMultiAlternatives) -> None:
    if message.attachments:
        # Files do not belong in task rows; refusing beats silently dropping them.
        raise ValueError("queue_email() does not carry attachments")
    deliver_email.enqueue(
        subject=str(message.subject),
        body=str(message.body),
        from_email=message.from_email,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers=dict(message.extra_headers),
        alternatives=[[content, mimetype] for content, mimetype in message.alternatives],
    )


def send_templated_email(*, landlord: "Landlord", to: str, template: str, context: dict) -> None:
    """Queue the email made of templates/emails/<template>_{subject,message}.txt and
    _message.html, rendered with `context` and `landlord`, sent in the landlord's name."""
    context = {**context, "landlord": landlord}
    # One line, whatever the template's line breaks: a header cannot hold any.
    subject = " ".join(_render_text(f"emails/{template}_subject.txt", context).split())
    context["subject"] = subject
    message = EmailMultiAlternatives(
        subject=subject,
        body=_render_text(f"emails/{template}_message.txt", context),
        from_email=landlord_from_address(landlord),
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"emails/{template}_message.html", context), "text/html"
    )
    queue_email(message)


def landlord_from_address(landlord: "Landlord") -> str:
    """The landlord's own sending address (`Landlord.from_email`), or DEFAULT_FROM_EMAIL's,
    under the landlord's name, quoted and encoded as needed."""
    _default_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((landlord.name, landlord.from_email or address))


def _render_text(template_name: str, context: dict) -> str:
    # Plain text is not HTML: "OPH d'Aubervilliers" must not become "OPH d&#x27;Aubervilliers".
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))
