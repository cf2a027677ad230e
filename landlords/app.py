"""The installable application of a landlord's portal: its web app manifest and icons.

Each landlord's host is its own application (docs/app.md): the manifest names the
landlord, takes its colour and its logo (a monogram when the logo is missing or cannot be
drawn, e.g. an SVG), with `scope` and `start_url` at the root of the host, so that every
link of the portal, those of the emails included (`Landlord.tenants_url`), opens inside it.
"""

import hashlib
import io
import re
from typing import TYPE_CHECKING

from django.core.cache import cache

from landlords.colors import contrast_ratio

if TYPE_CHECKING:
    from PIL import Image

ICON_SIZES = (192, 512)
WHITE = "#ffffff"
# Raster logos Pillow reads; an SVG logo gets the monogram.
RASTER_LOGO = re.compile(r"\.(png|jpe?g|webp)$", re.IGNORECASE)
ICON_CACHE_SECONDS = 24 * 3600
# A home screen label is cut past about 12 characters.
SHORT_NAME_LENGTH = 12


def monogram(name: str) -> str:
    """ "Habitat Marseille Provence" → "HMP", "OPH d'Aubervilliers" → "OPH"."""
    words = [word for word in re.split(r"[\s\-]+", name) if word]
    acronym = next((word for word in words if len(word) > 1 and word.isupper()), None)
    if acronym:
        return acronym[:4]
    initials = [word[0] for word in words if word[0].isupper()]
    return "".join(initials[:3]) or name[:1].upper()


def short_name(name: str) -> str:
    return name if len(name) <= SHORT_NAME_LENGTH else monogram(name)


def manifest(landlord) -> dict:
    """The web app manifest (W3C Web Application Manifest) of the landlord's portal."""
    version = icon_version(landlord)
    icons = [
        {
            "src": f"/app/icone-{size}{'-maskable' if maskable else ''}.png?v={version}",
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable" if maskable else "any",
        }
        for maskable in (False, True)
        for size in ICON_SIZES
    ]
    return {
        "id": "/",
        "name": landlord.name,
        "short_name": short_name(landlord.name),
        "description": f"Votre espace locataire {landlord.name}",
        "lang": "fr",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": landlord.brand_color,
        "background_color": WHITE,
        "icons": icons,
    }


def icon_version(landlord) -> str:
    """Changes when what the icon is made of changes (the logo, the colour, the name)."""
    made_of = f"{landlord.logo.name}|{landlord.brand_color}|{landlord.name}"
    return hashlib.sha256(made_of.encode()).hexdigest()[:10]


def icon_png(landlord, size: int, maskable: bool) -> bytes:
    """The icon, cached: drawn at most once a day per landlord, size and purpose."""
    key = f"app-icon:{landlord.pk}:{icon_version(landlord)}:{size}:{int(maskable)}"
    png = cache.get(key)
    if png is None:
        png = _draw_icon(landlord, size, maskable)
        cache.set(key, png, ICON_CACHE_SECONDS)
    return png


def _draw_icon(landlord, size: int, maskable: bool) -> bytes:
    # Pillow (about 8 MB) when an icon is drawn (once a day), not in every web worker.
    from PIL import Image

    logo = _raster_logo(landlord)
    if logo is not None:
        image = Image.new("RGB", (size, size), WHITE)
        # A maskable icon keeps what matters in the centre circle (80 % of the side).
        inner = int(size * (0.6 if maskable else 0.8))
        logo.thumbnail((inner, inner))
        image.paste(logo, ((size - logo.width) // 2, (size - logo.height) // 2), logo)
    else:
        image = _monogram_icon(landlord, size, maskable)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _raster_logo(landlord) -> "Image.Image | None":
    from PIL import Image, UnidentifiedImageError

    if not landlord.logo or not RASTER_LOGO.search(landlord.logo.name):
        return None
    try:
        with landlord.logo.open("rb") as file:
            logo = Image.open(io.BytesIO(file.read()))
            logo.load()
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return logo.convert("RGBA")


def _monogram_icon(landlord, size: int, maskable: bool) -> "Image.Image":
    from PIL import Image, ImageDraw, ImageFont

    background = landlord.brand_color
    text_color = WHITE if contrast_ratio(background, WHITE) >= 3 else "#1b1b1b"
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    letters = monogram(landlord.name)
    # The text fits the maskable safe zone (a centred circle of 80 % of the side).
    width_share = (0.5 if maskable else 0.62) / max(1, len(letters) * 0.62)
    font = ImageFont.load_default(size=max(8, int(size * min(0.42, width_share))))
    draw.text((size / 2, size / 2), letters, fill=text_color, font=font, anchor="mm")
    return image
