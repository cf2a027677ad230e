"""The journal: one model of staff actions and security events, written through `record`."""


def record(action, **kwargs):
    """Write one journal row (see audit.services.record)."""
    from audit.services import record as record_event

    return record_event(action, **kwargs)
