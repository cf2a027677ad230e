def format_euros(cents: int) -> str:
    """610,68 €, as French tenants read amounts (non-breaking spaces)."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    grouped = f"{units:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{rest:02d}\u00a0€"
