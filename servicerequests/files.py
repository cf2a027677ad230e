"""Tenants' files (request photos, scans, insurance certificates): checked by their
content, never by their name, and stored re-encoded.

- Images (JPEG, PNG, WebP, HEIC/HEIF from iPhones through pillow-heif) are opened by
  Pillow, whose header read gives the size before any pixel is decoded: more than
  MAX_PIXELS is refused before decoding (a decompression bomb never fills memory).
  They are then turned upright, scaled down to MAX_SIDE and saved as a new JPEG
  without any metadata (EXIF, GPS position, XMP, ICC comments).
- PDFs must start with "%PDF-", be read by pypdf and have at most MAX_PDF_PAGES pages;
  their pages are copied into a new document (no metadata, no scripts, no attachments).
- Anything else is refused with a French message; nothing is stored until every file
  of the form passed.
"""

import functools
import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

if TYPE_CHECKING:
    from PIL import Image

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
# The whole form: the files and their multipart envelope, with room for the text fields.
MAX_BODY_BYTES = MAX_FILES * MAX_FILE_BYTES + 1024 * 1024
# A 48-megapixel phone photo passes; a decompression bomb does not.
MAX_PIXELS = 50_000_000
MAX_SIDE = 2560
MAX_PDF_PAGES = 50
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}

SIZE_MESSAGE = "Le fichier « {name} » dépasse 10 Mo : envoyez une photo plus légère."
UNKNOWN_MESSAGE = (
    "Le fichier « {name} » n'est ni une photo (JPEG, PNG, HEIC) ni un PDF : il n'a pas été accepté."
)
PIXELS_MESSAGE = "L'image « {name} » est trop grande (plus de 50 millions de pixels)."
PDF_MESSAGE = "Le PDF « {name} » est illisible ou endommagé."
PAGES_MESSAGE = "Le PDF « {name} » a plus de 50 pages."
COUNT_MESSAGE = "Vous pouvez joindre 5 fichiers au plus."


@dataclass
class CheckedFile:
    name: str
    content: ContentFile
    content_type: str

    @property
    def size(self) -> int:
        return self.content.size


def check_files(uploads) -> list[CheckedFile]:
    """Every upload checked and re-encoded, or ValidationError (nothing kept)."""
    uploads = list(uploads)
    if len(uploads) > MAX_FILES:
        raise ValidationError(COUNT_MESSAGE)
    return [check_file(upload) for upload in uploads]


def check_file(upload) -> CheckedFile:
    name = _display_name(upload.name)
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(SIZE_MESSAGE.format(name=name))
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return _reencoded_pdf(upload, name)
    return _reencoded_image(upload, name)


def _display_name(name: str) -> str:
    name = (name or "fichier").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:80] or "fichier"


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0][:60] or "fichier"


@functools.cache
def _open_heif_too() -> None:
    """Pillow opens HEIC/HEIF from here on. Loaded with the first upload, not when a web
    worker starts: pillow-heif and pypdf cost a quarter of a second to import."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def _reencoded_image(upload, name: str) -> CheckedFile:
    # Pillow (about 8 MB) with the first image, not in every web worker.
    from PIL import Image, UnidentifiedImageError

    _open_heif_too()
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it: refuse there too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in IMAGE_FORMATS:
                raise ValidationError(UNKNOWN_MESSAGE.format(name=name))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(PIXELS_MESSAGE.format(name=name))
            # A JPEG decodes straight at a reduced scale: a 48-megapixel photo never
            # takes its full size in memory.
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image = _upright_rgb(image)  # type: ignore[assignment]
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(PIXELS_MESSAGE.format(name=name)) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(UNKNOWN_MESSAGE.format(name=name)) from error
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    output = io.BytesIO()
    # No exif=, icc_profile= or comment: the new file carries pixels only.
    image.save(output, "JPEG", quality=85, optimize=True)
    return CheckedFile(f"{_stem(name)}.jpg", ContentFile(output.getvalue()), "image/jpeg")


def _upright_rgb(image: "Image.Image") -> "Image.Image":
    """The decoded pixels, turned as the camera meant, on white where transparent."""
    from PIL import Image, ImageOps

    image.load()
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    if image.mode.startswith("I;16"):
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB") if image.mode != "RGB" else image


def _reencoded_pdf(upload, name: str) -> CheckedFile:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError(PDF_MESSAGE.format(name=name))
        if len(reader.pages) == 0:
            raise ValidationError(PDF_MESSAGE.format(name=name))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ValidationError(PAGES_MESSAGE.format(name=name))
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        output = io.BytesIO()
        writer.write(output)
    except ValidationError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise ValidationError(PDF_MESSAGE.format(name=name)) from error
    return CheckedFile(f"{_stem(name)}.pdf", ContentFile(output.getvalue()), "application/pdf")
