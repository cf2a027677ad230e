"""The demo's outbox: every email and SMS written as a JSON file under OUTBOX_DIR.

Nothing leaves the machine in the demo; /outbox/ lists what would have been sent.
Email files also keep the HTML version, for whoever wants to open it.
"""

import json
import os
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from core import phones


@dataclass(frozen=True)
class OutboxMessage:
    kind: str  # "email" or "sms"
    to: str
    text: str
    sent_at: datetime
    subject: str = ""
    sender: str = ""

    @property
    def heading(self) -> str:
        if self.kind == "sms":
            return f"SMS au {phones.for_display(self.to)}"
        return self.subject


def write_to_outbox(record: dict) -> str:
    """Write one message; returns its id (the file name without ".json")."""
    directory = Path(settings.OUTBOX_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    # Nanoseconds first so that names sort by time; the random part keeps them unique
    # across the web and worker processes.
    message_id = f"{time.time_ns():020d}-{record['kind']}-{secrets.token_hex(4)}"
    content = json.dumps(
        {**record, "sent_at": datetime.now(UTC).isoformat()}, ensure_ascii=False, indent=2
    )
    # Written aside then renamed, so that a reader never sees half a message.
    partial = directory / f".{message_id}.partial"
    partial.write_text(content, encoding="utf-8")
    os.replace(partial, directory / f"{message_id}.json")
    return message_id


def read_outbox(limit: int = 50) -> list[OutboxMessage]:
    """The latest messages, newest first."""
    directory = Path(settings.OUTBOX_DIR)
    if not directory.is_dir():
        return []
    newest = sorted(directory.glob("*.json"), reverse=True)[:limit]
    return [_message_from_record(json.loads(path.read_text(encoding="utf-8"))) for path in newest]


def _message_from_record(record: dict) -> OutboxMessage:
    sent_at = datetime.fromisoformat(record["sent_at"])
    if record["kind"] == "sms":
        return OutboxMessage(
            kind="sms",
            to=record["to"],
            text=record["text"],
            sender=record["sender"],
            sent_at=sent_at,
        )
    return OutboxMessage(
        kind="email",
        to=", ".join(record["to"]),
        subject=record["subject"],
        text=record["text"],
        sent_at=sent_at,
    )
