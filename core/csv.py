"""CSV files that leave the portal, safe to open in a spreadsheet (CSV injection).

One rule for every export: a cell that starts like a formula (`=`, `+`, `-`, `@`, a tab
or a carriage return) gets a leading apostrophe, so the spreadsheet shows it as text and
never runs it (OWASP "CSV Injection"), except a plain French amount such as `-12,00`,
which stays a number the spreadsheet can add up.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A signed decimal with a comma and nothing else: a number, never a formula.
FRENCH_NUMBER = re.compile(r"-?\d+(,\d+)?")


def safe_cell(value: Any) -> str:
    """The cell as written to a CSV file: text that cannot be read as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not FRENCH_NUMBER.fullmatch(text):
        return f"'{text}"
    return text


def write_rows(output, rows: Iterable[Iterable[Any]]) -> None:
    """The rows in the French format of the ERP files (`;`, CRLF), every cell made safe."""
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerows([safe_cell(value) for value in row] for row in rows)
