"""Reading the CSV files that French ERPs export.

`;` separator, decimal comma (610,68), dates as 10/06/2019, UTF-8 or Windows-1252.
Whole-file problems raise ImportFileError; line problems are collected in an
ImportReport so that every bad line is reported at once and nothing is written.
"""

import codecs
import contextlib
import csv
import datetime
import functools
import gc
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core import phones

MAX_LINE_CHARS = 10_000
CHUNK_BYTES = 1 << 20
PROGRESS_EVERY_LINES = 10_000
SHOW_PROGRESS_ABOVE_BYTES = 5 * CHUNK_BYTES
ENCODINGS = {"utf-8": "utf-8-sig", "windows-1252": "cp1252"}
OTHER_SEPARATORS = {",": "la virgule (,)", "\t": "la tabulation", "|": "la barre verticale (|)"}


class ImportFileError(Exception):
    """The whole file is refused; the message says why, in French."""


class LinesRefused(Exception):
    """A line is bad: what was written is rolled back, the report lists every bad line."""


@dataclass
class ImportReport:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # What the import did to the month it completes, in French (billing/periods.py).
    closing: str = ""

    def error(self, line: int, message: str) -> None:
        self.errors.append((line, message))

    @property
    def summary(self) -> str:
        return f"{self.created} créés, {self.updated} mis à jour, {self.unchanged} inchangés"


@contextlib.contextmanager
def collector_paused():
    """Hold Python's cycle collector while an import keeps a file's rows in memory.

    Rows are tuples without cycles; with a million of them alive, the collector's passes
    over them cost more than reading the file. It runs again (and catches up) after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def detect_encoding(stream: BinaryIO, encoding: str = "auto") -> str:
    """The codec to read the file with: UTF-8 when it decodes as such, else Windows-1252."""
    head = stream.read(4)
    stream.seek(0)
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or head.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        raise ImportFileError(
            "Encodage inattendu : le fichier est en UTF-16 ou UTF-32. "
            "Enregistrez-le en UTF-8 ou en Windows-1252 (ANSI)."
        )
    candidates = [ENCODINGS[encoding]] if encoding != "auto" else list(ENCODINGS.values())
    for codec in candidates:
        failure = _first_undecodable_byte(stream, codec)
        stream.seek(0)
        if failure is None:
            return codec
    if encoding != "auto":
        raise ImportFileError(
            f"Le fichier n'est pas en {encoding} : octet illisible à la position {failure}."
        )
    raise ImportFileError(
        "Encodage non reconnu : le fichier n'est ni en UTF-8 ni en Windows-1252 "
        f"(octet illisible à la position {failure})."
    )


def _first_undecodable_byte(stream: BinaryIO, codec: str) -> int | None:
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0
    while chunk := stream.read(CHUNK_BYTES):
        if b"\x00" in chunk:
            raise ImportFileError(
                "Encodage inattendu : le fichier contient des octets nuls (UTF-16 ?). "
                "Enregistrez-le en UTF-8 ou en Windows-1252 (ANSI)."
            )
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            return offset + exc.start
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return offset
    return None


@functools.lru_cache(maxsize=1024)
def normalize_header(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", "_", plain)


@dataclass
class Table:
    """A file whose header is checked: its columns, then each well-formed line's values
    (stripped, in the columns' order) with its line number."""

    columns: list[str]
    rows: Iterator[tuple[int, list[str]]]


def open_table(
    stream: BinaryIO,
    *,
    is_known_column: Callable[[str], bool],
    required_columns: list[str],
    report: ImportReport,
    encoding: str = "auto",
    progress: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> Table:
    """Check the file's encoding and header; bad lines go to the report as they are read.

    `on_progress(bytes read, file size)` is called every PROGRESS_EVERY_LINES lines and at
    the end (the espace agence's progress bar)."""
    codec = detect_encoding(stream, encoding)
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=codec, newline="")
    line_number = 0
    header: str | None = ""
    too_long = False
    try:
        while header is not None and not header.strip() and not too_long:
            header, too_long = _read_line(text)
            line_number += 1
        if too_long:
            raise ImportFileError(
                "La ligne d'en-tête est trop longue : ce n'est pas un fichier attendu."
            )
        if header is None:
            raise ImportFileError("Le fichier est vide.")
        columns = _check_header(header, is_known_column, required_columns)
    except BaseException:
        text.detach()
        raise
    rows = _rows(text, stream, size, line_number, len(columns), report, progress, on_progress)
    return Table(columns, rows)


def _rows(
    text: io.TextIOWrapper,
    stream: BinaryIO,
    size: int,
    line_number: int,
    width: int,
    report: ImportReport,
    progress: bool,
    on_progress: Callable[[int, int], None] | None,
) -> Iterator[tuple[int, list[str]]]:
    from tqdm import tqdm  # the command line's progress bar: not loaded by web workers

    bar = tqdm(
        total=size,
        unit="o",
        unit_scale=True,
        disable=None if progress and size > SHOW_PROGRESS_ABOVE_BYTES else True,
    )
    strip = str.strip
    try:
        while True:
            line, too_long = _read_line(text)
            if line is None:
                break
            line_number += 1
            if line_number % PROGRESS_EVERY_LINES == 0:
                bar.update(stream.tell() - bar.n)
                if on_progress is not None:
                    on_progress(stream.tell(), size)
            if too_long:
                report.error(
                    line_number, f"ligne trop longue (plus de {MAX_LINE_CHARS} caractères)"
                )
                continue
            if not line.strip():
                continue
            fields = split_line(line)
            if fields is None:
                report.error(
                    line_number,
                    "ligne mal formée : un guillemet (\") est mal placé ou n'est pas refermé",
                )
                continue
            fields = list(map(strip, fields))
            if len(fields) > width and not any(fields[width:]):
                del fields[width:]
            if len(fields) != width:
                report.error(
                    line_number,
                    f"{len(fields)} champs au lieu de {width} : vérifiez le séparateur (;) "
                    "et qu'aucune valeur ne contient de point-virgule.",
                )
                continue
            yield line_number, fields
        if on_progress is not None:
            on_progress(size, size)
    finally:
        bar.close()
        text.detach()


def split_line(line: str) -> list[str] | None:
    """The line's values as the csv module reads them (None: a quote misplaced).

    One record per line: a quote left open cannot swallow the next lines. Most ERP lines
    hold no quote at all, and for those the csv module's answer is a plain split."""
    if '"' not in line:
        return line.split(";")
    try:
        return next(csv.reader([line], delimiter=";", strict=True))
    except csv.Error:
        return None


def _read_line(text: io.TextIOWrapper) -> tuple[str | None, bool]:
    """The next line without its line ending (None at the end), and whether it was too long."""
    line = text.readline(MAX_LINE_CHARS + 2)
    if not line:
        return None, False
    content = line.rstrip("\r\n")
    if len(content) > MAX_LINE_CHARS:
        ends = ("\n", "\r")
        if not line.endswith(ends):
            while (rest := text.readline(CHUNK_BYTES)) and not rest.endswith(ends):
                pass
        return "", True
    return content, False


def _check_header(
    header: str, is_known_column: Callable[[str], bool], required_columns: list[str]
) -> list[str]:
    if ";" not in header:
        for separator, name in OTHER_SEPARATORS.items():
            if separator in header:
                raise ImportFileError(
                    f"Le séparateur doit être le point-virgule (;) : ce fichier utilise {name}."
                )
    columns = [normalize_header(name) for name in next(csv.reader([header], delimiter=";"))]
    while columns and not columns[-1]:
        columns.pop()  # Excel often ends every line with ";"
    problems = []
    seen = set()
    for position, name in enumerate(columns, 1):
        if not name:
            problems.append(f"colonne sans nom en position {position}")
            continue
        if name in seen:
            problems.append(f"colonne en double : « {name} »")
        elif not is_known_column(name):
            problems.append(f"colonne inconnue : « {name} »")
        seen.add(name)
    problems += [
        f"colonne obligatoire manquante : « {n} »" for n in required_columns if n not in seen
    ]
    if problems:
        raise ImportFileError("En-tête invalide : " + " ; ".join(problems) + ".")
    return columns


class RowReader:
    """Typed access to one line's values, collecting a French message per bad value."""

    def __init__(self, values: dict[str, str]):
        self.values = values
        self.problems: list[str] = []

    def _parse(self, column: str, required: bool, parse: Callable):
        value = self.values.get(column, "")
        if not value:
            if required:
                self.problems.append(f"{column} : valeur obligatoire manquante")
            return None
        try:
            return parse(value)
        except ValueError as exc:
            self.problems.append(f"{column} : « {value} » {exc}")
            return None

    def text(self, column: str, max_length: int, required: bool = True) -> str:
        value = self.values.get(column, "")
        if not value:
            if required:
                self.problems.append(f"{column} : valeur obligatoire manquante")
        elif len(value) > max_length:
            self.problems.append(f"{column} : plus de {max_length} caractères")
        return value

    def date(self, column: str, required: bool = True) -> datetime.date | None:
        return self._parse(column, required, parse_date)

    def month(self, column: str, required: bool = True) -> datetime.date | None:
        return self._parse(column, required, parse_month)

    def amount_cents(self, column: str, required: bool = True) -> int | None:
        return self._parse(column, required, parse_amount_cents)

    def email(self, column: str) -> str:
        return self._parse(column, False, parse_email) or ""

    def phone(self, column: str, mobile: bool) -> str:
        return self._parse(column, False, _parse_mobile if mobile else _parse_landline) or ""

    def decimal(self, column: str, required: bool = True) -> Decimal | None:
        """A positive number with a decimal comma (65,40), as the ERP writes surfaces."""

        def parse(value: str) -> Decimal:
            cents = parse_amount_cents(value)
            if cents <= 0:
                raise ValueError("doit être un nombre positif (exemple : 65,40)")
            return Decimal(cents) / 100

        return self._parse(column, required, parse)

    def integer(self, column: str, low: int, high: int, required: bool = True) -> int | None:
        def parse(value: str) -> int:
            if not re.fullmatch(r"-?[0-9]{1,4}", value) or not low <= int(value) <= high:
                raise ValueError(f"n'est pas un nombre entier de {low} à {high}")
            return int(value)

        return self._parse(column, required, parse)

    def choice(self, column: str, choices: Mapping[str, str], required: bool = True) -> str | None:
        def parse(value: str) -> str:
            key = normalize_header(value)
            if key not in choices:
                raise ValueError("n'est pas une valeur permise (" + ", ".join(choices) + ")")
            return choices[key]

        return self._parse(column, required, parse)


_MONTH = re.compile(r"([0-9]{2})/([0-9]{4})")
# Up to 999 999 999,99 EUR; spaces only between groups of three digits.
_AMOUNT = re.compile(
    r"([+-]?)([0-9]{1,9}|[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3}){1,2})(?:,([0-9]{1,2}))?"
)
_SPACES = str.maketrans("", "", " \u00a0\u202f")
MIN_YEAR, MAX_YEAR = 1900, 2100
# The usual address (ASCII, a dot-atom, a host name): Django's validate_email accepts every
# one of them, so they skip it (tests/tenancies/test_erpfiles.py); anything else, bad
# addresses included, goes through it and gets its message.
_ATOM = r"[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN_EMAIL = re.compile(
    rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.(?!-)[A-Za-z0-9-]{{1,63}}(?<!-))*"
    r"\.(?!-)[A-Za-z-]{2,63}(?<!-)",
    re.ASCII,
)
MAX_EMAIL_LENGTH = 254


@functools.lru_cache(maxsize=8192)
def parse_date(value: str) -> datetime.date:
    # JJ/MM/AAAA read by position: ASCII digits at the right places, nothing else.
    if len(value) == 10 and value[2] == value[5] == "/" and value.isascii():
        day, month, year = value[:2], value[3:5], value[6:]
        digits = day.isdigit() and month.isdigit() and year.isdigit()
        if digits and MIN_YEAR <= int(year) <= MAX_YEAR:
            try:
                return datetime.date(int(year), int(month), int(day))
            except ValueError:
                pass
    raise ValueError("n'est pas une date valide (format JJ/MM/AAAA)")


@functools.lru_cache(maxsize=1024)
def parse_month(value: str) -> datetime.date:
    match = _MONTH.fullmatch(value)
    if match and 1 <= int(match[1]) <= 12 and MIN_YEAR <= int(match[2]) <= MAX_YEAR:
        return datetime.date(int(match[2]), int(match[1]), 1)
    raise ValueError("n'est pas un mois valide (format MM/AAAA)")


# Amounts repeat from line to line (the same rent every month, the same charges).
@functools.lru_cache(maxsize=4096)
def parse_amount_cents(value: str) -> int:
    # The usual shape (-610,68, 150) without the pattern: ASCII digits, one comma.
    units, comma, decimals = value.removeprefix("-").partition(",")
    if (
        units.isascii()
        and units.isdigit()
        and len(units) <= 9
        and (not comma or (decimals.isascii() and decimals.isdigit() and len(decimals) <= 2))
    ):
        cents = int(units) * 100 + int(decimals.ljust(2, "0"))
        return -cents if value[0] == "-" else cents
    match = _AMOUNT.fullmatch(value)
    if not match:
        raise ValueError("n'est pas un montant valide (exemple : 610,68 ou -219,99)")
    sign, units, decimals = match.groups()
    cents = int(units.translate(_SPACES)) * 100 + int((decimals or "0").ljust(2, "0"))
    return -cents if sign == "-" else cents


def parse_email(value: str) -> str:
    if len(value) > MAX_EMAIL_LENGTH:
        raise ValueError(f"dépasse {MAX_EMAIL_LENGTH} caractères")
    if _PLAIN_EMAIL.fullmatch(value):
        return value.lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError("n'est pas une adresse email valide") from None
    return value.lower()


PHONE_PROBLEMS = {
    phones.Problem.INVALID: "n'est pas un numéro de téléphone valide",
    phones.Problem.FOREIGN: "n'est pas un numéro français",
    phones.Problem.NOT_MOBILE: "n'est pas un numéro de mobile",
}


def parse_phone(value: str, mobile: bool) -> str:
    try:
        return phones.parse(value, mobile=mobile)
    except phones.PhoneError as error:
        raise ValueError(PHONE_PROBLEMS[error.problem]) from None


_parse_mobile = functools.partial(parse_phone, mobile=True)
_parse_landline = functools.partial(parse_phone, mobile=False)
