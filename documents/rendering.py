"""PDF rendering with WeasyPrint: archivable (PDF/A-3a), tagged, in French, with a title.

What costs most besides laying out the page is set up once and reused: the font
configuration, the parsed print stylesheet, the landlord's logo. Many notices are laid
out as one document (`render_pdfs`) and written one PDF per notice, which halves the
cost per page (docs/documents.md, "Speed").
"""

import base64
import io
import mimetypes
import threading
from importlib.resources import files
from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.css import ColorProfile
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.text.fonts import FontConfiguration

PRINT_CSS = Path(__file__).resolve().with_name("print.css")
PRINT_UA_CSS = Path(__file__).resolve().with_name("print_ua.css")
# PDF/A needs an output intent. WeasyPrint's own "srgb" one reopens its ICC file at
# each PDF and leaves it to the garbage collector; ours is read once per renderer.
OUTPUT_INTENT = "espace-srgb"
PDF_OPTIONS = {"pdf_variant": "pdf/a-3a", "pdf_tags": True, "output_intent": OUTPUT_INTENT}


def srgb_profile() -> ColorProfile:
    icc = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
    return ColorProfile(
        io.BytesIO(icc), "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"])
    )


class DocumentHTML(HTML):
    """Our templates, with a user-agent stylesheet reduced to the elements they use.

    Overrides WeasyPrint's internal hook (checked by the tests on the PDFs: layout,
    tags, text): the full HTML stylesheet's cascade costs about a fifth of a notice.
    """

    ua_stylesheet: CSS

    def _ua_stylesheets(self, forms=False):
        return [self.ua_stylesheet]


class BatchSplitError(Exception):
    """The pages of a batch could not be told apart (each item must start a page)."""


class Renderer:
    """WeasyPrint's reusable state. Not thread-safe: use `renderer()` for one per thread."""

    def __init__(self):
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(filename=str(PRINT_CSS), font_config=self.font_config)
        self.ua_stylesheet = CSS(filename=str(PRINT_UA_CSS), font_config=self.font_config)
        self.color_profiles = {OUTPUT_INTENT: srgb_profile()}
        self._logos: dict[tuple[int, str], str | None] = {}

    def logo_uri(self, landlord) -> str | None:
        """The landlord's logo from storage, as a data URI (read once per renderer)."""
        key = (landlord.pk, landlord.logo.name)
        if key not in self._logos:
            self._logos[key] = None
            if landlord.logo:
                content_type, _ = mimetypes.guess_type(landlord.logo.name)
                with landlord.logo.open("rb") as logo:
                    data = base64.b64encode(logo.read()).decode()
                self._logos[key] = f"data:{content_type};base64,{data}"
        return self._logos[key]

    def _layout(self, html: str):
        document = DocumentHTML(string=html, base_url=str(PRINT_CSS.parent))
        document.ua_stylesheet = self.ua_stylesheet
        return document.render(
            font_config=self.font_config,
            color_profiles=self.color_profiles,
            stylesheets=[self.stylesheet],
            **PDF_OPTIONS,
        )

    def render_pdf(self, *, landlord, title: str, content_template: str, context: dict) -> bytes:
        html = render_to_string(
            "documents/pdf.html",
            {
                **context,
                "title": title,
                "content_template": content_template,
                "brand_color": landlord.brand_color,
                "logo_uri": self.logo_uri(landlord),
            },
        )
        return self._layout(html).write_pdf(**PDF_OPTIONS)

    def render_pdfs(self, *, landlord, content_template: str, items: list[dict]) -> list[bytes]:
        """One PDF per item ({"title", "doc"}), laid out together as one document."""
        if not items:
            return []
        html = render_to_string(
            "documents/pdf_batch.html",
            {
                "items": items,
                "content_template": content_template,
                "brand_color": landlord.brand_color,
                "logo_uri": self.logo_uri(landlord),
            },
        )
        document = self._layout(html)
        # Each item starts a page (break-after: page); its anchor says which page.
        starts = {}
        for number, page in enumerate(document.pages):
            for anchor in page.anchors:
                if anchor.startswith("item-"):
                    starts[int(anchor.removeprefix("item-"))] = number
        if len(starts) != len(items):
            raise BatchSplitError("Une page du lot n'a pas pu être attribuée à son document.")
        bounds = [starts[index] for index in range(len(items))] + [len(document.pages)]
        pdfs = []
        for index, item in enumerate(items):
            part = document.copy(document.pages[bounds[index] : bounds[index + 1]])
            part.metadata = DocumentMetadata(
                title=item["title"],
                lang="fr",
                authors=[landlord.name],
                generator=document.metadata.generator,
            )
            pdfs.append(part.write_pdf(**PDF_OPTIONS))
        return pdfs


_local = threading.local()

WARM_UP_HTML = (
    '<html lang="fr"><title>.</title><style>:root { --brand: #000; }</style>'
    "<h1>Avis d'échéance</h1><table><tr><th>Loyer</th><td>0,00 €</td></tr></table></html>"
)


def warm_up() -> None:
    """Load fonts and stylesheets before the first request (a web worker's start): the
    first PDF of a process would otherwise pay for them (about 300 ms)."""
    renderer()._layout(WARM_UP_HTML).write_pdf(**PDF_OPTIONS)


def renderer() -> Renderer:
    """This thread's renderer (web servers may run requests in threads)."""
    if not hasattr(_local, "renderer"):
        _local.renderer = Renderer()
    return _local.renderer
