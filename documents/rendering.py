"""The documents' PDFs (notice, receipt, certificate) from their facts, with Typst.

Each kind has its template in templates/pdf/ (`notice.typ`, `receipt.typ`,
`certificate.typ`, sharing `common.typ`); core/pdf.py compiles them as PDF/A-3a and
PDF/UA-1 with one compiler per thread. The templates read the facts as stored, plus,
for each amount (`…_cents`) its euros (`…_euros`, `…_euros_abs`) and for each date
(`documents.facts.DATE_KEYS`) the day in French (`20/11/2026`), its month
(`…_month`: "novembre 2026") and "de" + month (`…_of_month`: "de novembre 2026"), so
that every figure reads as on the web pages.
"""

import datetime
import mimetypes
import threading

from billing.money import format_euros
from core import pdf
from core.french import de
from documents.facts import DATE_KEYS, month_name, of_month

TEMPLATES = {"notice": "notice.typ", "receipt": "receipt.typ", "certificate": "certificate.typ"}


def readable(facts):
    """The facts with amounts in euros and dates in French beside them (JSON-ready)."""
    if isinstance(facts, list):
        return [readable(value) for value in facts]
    if not isinstance(facts, dict):
        return facts
    out = {}
    for key, value in facts.items():
        out[key] = readable(value)
        if (key == "cents" or key.endswith("_cents")) and type(value) is int:
            base = key.removesuffix("cents")
            out[f"{base}euros"] = format_euros(value)
            out[f"{base}euros_abs"] = format_euros(abs(value))
        elif key in DATE_KEYS and isinstance(value, str):
            day = datetime.date.fromisoformat(value)
            out[key] = f"{day:%d/%m/%Y}"
            out[f"{key}_month"] = month_name(day)
            out[f"{key}_of_month"] = of_month(day)
    return out


class Renderer:
    """What is read once per thread besides the compiler: each landlord's logo."""

    def __init__(self):
        self._logos: dict[tuple[int, str], str] = {}

    def logo_svg(self, landlord) -> str:
        """The landlord's logo from storage, as SVG text ("" without a logo)."""
        key = (landlord.pk, landlord.logo.name)
        if key not in self._logos:
            self._logos[key] = ""
            if landlord.logo:
                content_type, _ = mimetypes.guess_type(landlord.logo.name)
                with landlord.logo.open("rb") as logo:
                    self._logos[key] = pdf.svg_image(logo.read(), content_type or "")
        return self._logos[key]

    def data(self, landlord, title: str, doc: dict) -> dict:
        return {
            **readable(doc),
            "title": title,
            "brand_color": landlord.brand_color,
            "landlord_of": de(landlord.name),
            "zero_euros": format_euros(0),
        }

    def render_pdf(self, *, landlord, title: str, kind: str, doc: dict, qr_svg: str = "") -> bytes:
        """One document: `doc` its facts (as stored), `qr_svg` its verification code."""
        return pdf.render(
            TEMPLATES[kind],
            self.data(landlord, title, doc),
            logo=self.logo_svg(landlord),
            qr=qr_svg,
        )

    def render_pdfs(self, *, landlord, kind: str, items: list[dict]) -> list[bytes]:
        """One PDF per item ({"title", "doc"}), as the month's generation renders them."""
        return [
            self.render_pdf(landlord=landlord, title=item["title"], kind=kind, doc=item["doc"])
            for item in items
        ]


_local = threading.local()


def renderer() -> Renderer:
    """This thread's renderer (web servers may run requests in threads)."""
    if not hasattr(_local, "renderer"):
        _local.renderer = Renderer()
    return _local.renderer
