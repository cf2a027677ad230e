"""Forms of online payment: French labels and messages tied to their fields."""

import re
from typing import Any

from django import forms

from billing.money import format_euros
from payments.services import range_message

# "470,30", "470.30", "1 234,5", "470": euros with at most two decimals.
AMOUNT = re.compile(r"(?P<units>\d{1,7})(?:[,.](?P<decimals>\d{1,2}))?")


def parse_euros(text: str) -> int | None:
    """Cents from what a tenant types, or None when it is not an amount in euros."""
    compact = re.sub(r"[\s\u00a0\u202f€]", "", text)
    match = AMOUNT.fullmatch(compact)
    if not match:
        return None
    decimals = (match["decimals"] or "").ljust(2, "0")
    return int(match["units"]) * 100 + int(decimals)


class AmountForm(forms.Form):
    amount = forms.CharField(
        label="Montant à payer (en euros)",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": "Saisissez le montant à payer."},
    )

    def __init__(
        self, *args: Any, minimum: int, maximum: int, maximum_note: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.minimum, self.maximum = minimum, maximum
        help_text = f"Minimum : {format_euros(minimum)} / Maximum : {format_euros(maximum)}"
        if maximum_note:
            help_text = f"{help_text}. {maximum_note}"
        self.fields["amount"].help_text = help_text

    def clean_amount(self) -> int:
        cents = parse_euros(self.cleaned_data["amount"])
        if cents is None:
            raise forms.ValidationError("Saisissez un montant en euros, par exemple 470,30.")
        if not self.minimum <= cents <= self.maximum:
            raise forms.ValidationError(range_message(self.minimum, self.maximum))
        return cents
