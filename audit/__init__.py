"""The journal: one model of staff actions and security events, written through `record`."""

from typing import Any


def record(action: str, **kwargs: Any) -> Any:
    """Write one journal row (see audit.services.record)."""
    # Imported when called: the app's models are not loaded when this package is.
    from audit.services import record as record_event

    return record_event(action, **kwargs)
