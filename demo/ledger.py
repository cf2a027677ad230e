"""Six months of ledger for the demo accounts, ending in the current month.

The Aubervilliers account follows the rent notice of its guide (Loyer, Provision
Charges Générales LG/SH, Provision Chauffage, Prov. Divers Appareils Chauffage)
and ends with its balance of 610,68 EUR.
"""

import datetime

from billing.money import decimal_comma

MONTHS = 6

# account number: the monthly notice lines (label, category, cents)
MONTHLY_LINES = {
    "000123": [("Loyer", "loyer", 41230), ("Provision pour charges", "charges", 5800)],
    "000457": [("Loyer parking", "loyer", 3500)],
    "000789": [("Loyer", "loyer", 38990), ("Provision pour charges", "charges", 6110)],
    "590000000012345": [
        ("Loyer", "loyer", 38000),
        ("Provision pour charges", "charges", 6500),
        ("Aide personnalisée au logement (APL)", "apl", -15000),
    ],
    "0212345678901": [
        ("Loyer", "loyer", 45510),
        ("Provision pour charges", "charges", 7240),
        ("Provision chauffage", "chauffage", 3120),
    ],
    "123456": [
        ("Loyer", "loyer", 17503),
        ("Provision Charges Générales LG", "charges", 776),
        ("Provision Charges Générales SH", "charges", 1472),
        ("Provision Chauffage", "chauffage", 1955),
        ("Prov. Divers Appareils Chauffage", "chauffage", 294),
    ],
}

# account number: cents paid for each of the six months, oldest first
PAYMENTS = {
    "000123": [47030] * 5 + [0],
    "000457": [3500] * 6,
    "000789": [45100] * 5 + [0],
    "590000000012345": [29500] * 5 + [30700],
    "0212345678901": [55870] * 4 + [0, 0],
    "123456": [22000, 22000, 22000, 4932, 0, 0],
}

# account number: (month index, label, cents) one-off adjustments
ADJUSTMENTS = {
    "0212345678901": [(2, "Régularisation des charges de l'année précédente", 8450)],
}


def _months(today: datetime.date) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for back in range(MONTHS - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(datetime.date(year, month + 1, 1))
    return months


def ledger_csv(numbers: list[str], today: datetime.date) -> str:
    """The ERP ledger file (docs/imports.md) for these accounts."""
    lines = ["compte;reference;date;libelle;type;montant;periode;rubrique"]
    months = _months(today)
    for number in numbers:
        for index, month in enumerate(months):
            tag = f"{number}-{month:%Y%m}"
            period = f"{month:%m/%Y}"
            for position, (label, category, cents) in enumerate(MONTHLY_LINES[number], 1):
                lines.append(
                    f"{number};{tag}-{position};{month:%d/%m/%Y};{label};charge;"
                    f"{decimal_comma(cents)};{period};{category}"
                )
            for adjustment_index, label, cents in ADJUSTMENTS.get(number, []):
                if adjustment_index == index:
                    lines.append(
                        f"{number};{tag}-R;{month.replace(day=15):%d/%m/%Y};{label};"
                        f"regularisation;{decimal_comma(cents)};{period};regularisation"
                    )
            paid = PAYMENTS[number][index]
            if paid:
                # Paid on the 5th, except this month's early payments dated the 1st.
                day = month.replace(day=5) if index < MONTHS - 1 else month
                lines.append(
                    f"{number};{tag}-P;{day:%d/%m/%Y};Paiement reçu, merci;paiement;"
                    f"{decimal_comma(-paid)};{period};paiement"
                )
    return "\n".join(lines) + "\n"


def months(today: datetime.date) -> list[datetime.date]:
    """The demo ledger's months, oldest first (the current one last)."""
    return _months(today)
