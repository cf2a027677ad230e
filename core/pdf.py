"""PDFs from Typst templates: tagged, PDF/A-3a and PDF/UA-1, their fonts embedded.

A template (in `settings.PDF_TEMPLATES_DIR`) defines `render(data)`; `render()` below
compiles a two-line main file that imports it and calls it with the data, decoded from
JSON in a Typst string literal. Strings from the data are set as text, never read as
Typst markup. The images are SVG text in `sys.inputs` (`sys.inputs.logo`).

The compiler is created once per thread, with the first document, and reused: it keeps the
fonts, the parsed templates and what Typst memoizes between documents. Typst is imported
then too, so that a web worker that serves only pages never loads it; the first PDF of a
process pays for both, a few tens of milliseconds. The data go in the main file, not in
`sys.inputs`, because new inputs are a new Typst library, which invalidates all that is
memoized: with the data in `sys.inputs`, every notice was laid out from scratch
(docs/documents.md, "Rendering").
"""

import json
import threading
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    import typst

# Both at once: archivable (PDF/A-3a, which implies tags) and accessible (PDF/UA-1).
PDF_STANDARDS: Any = ["a-3a", "ua-1"]  # typst types it as a list of Literal

_local = threading.local()


class PDFError(Exception):
    """A template failed to compile (a bug in the template or in its data)."""


def compiler() -> "typst.Compiler":
    """This thread's compiler (web servers may run requests in threads)."""
    if not hasattr(_local, "compiler"):
        import typst

        _local.compiler = typst.Compiler(
            root=str(settings.PDF_TEMPLATES_DIR),
            font_paths=[str(path) for path in settings.PDF_FONT_DIRS],
            ignore_system_fonts=True,
        )
    return _local.compiler


def typst_string(text: str) -> str:
    """`text` as a Typst string literal (for ASCII text: JSON written by json.dumps)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main_source(template: str, data: dict) -> bytes:
    """The main file that renders `template` (a file name in the templates folder) for
    `data`: JSON with every character beyond ASCII escaped (no line breaks, no control
    characters), in a string literal, read by Typst's `json`."""
    literal = typst_string(json.dumps(data, ensure_ascii=True))
    return f"#import {typst_string(template)}: render\n#render(json(bytes({literal})))\n".encode()


def render(template: str, data: dict, **images: str) -> bytes:
    """The PDF of `template` (a file name in the templates folder) for `data`."""
    import typst

    inputs: Any = images
    if getattr(_local, "inputs", None) == images:
        inputs = ...  # the same images as the previous document: keep Typst's library
    _local.inputs = None  # unknown if the compilation fails
    try:
        content = compiler().compile(
            input=main_source(template, data),
            sys_inputs=inputs,
            pdf_standards=PDF_STANDARDS,
            timestamp=int(timezone.now().timestamp()),  # an int: freezegun's datetimes are refused
        )
    except typst.TypstError as error:
        raise PDFError(f"{template}: {error}") from error
    _local.inputs = images
    assert isinstance(content, bytes)  # noqa: S101 (a PDF without `output` is its bytes)
    return content


def svg_image(content: bytes, content_type: str) -> str:
    """An image as SVG text, as the templates take them: an SVG as it is, a PNG, JPEG or
    WebP inside an SVG of its own size."""
    if content_type == "image/svg+xml":
        return content.decode()
    import base64
    import io

    from PIL import Image

    with Image.open(io.BytesIO(content)) as image:
        width, height = image.size
    data = base64.b64encode(content).decode()
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<image width="{width}" height="{height}" xlink:href="data:{content_type};base64,{data}"/>'
        "</svg>"
    )
