def decimal_comma(cents: int) -> str:
    """-1250 → "-12,50": the amounts of CSV files and forms, as French spreadsheets read them."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{sign}{units},{rest:02d}"


def format_euros(cents: int) -> str:
    """610,68 €, as French tenants read amounts (non-breaking spaces)."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    grouped = f"{units:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{rest:02d}\u00a0€"
