import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from servicerequests.models import RequestCategory
from tenancies.models import TenantAccount

GPS_IFD = 0x8825


def phone_photo(name="photo.jpg", size=(1600, 1200), gps=True) -> SimpleUploadedFile:
    """A JPEG as a phone takes it: camera make and model, and the GPS position."""
    image = Image.new("RGB", size, (180, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 15"  # Model
    if gps:
        exif[GPS_IFD] = {
            1: "N",
            2: (48.0, 51.0, 24.0),
            3: "E",
            4: (2.0, 21.0, 7.0),
        }
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif.tobytes(), quality=90)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


def png_bomb(side=30_000) -> bytes:
    """A PNG of side by side one-bit pixels (900 million at the default): about 100 kB on
    disk, gigabytes once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def small_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    output = io.BytesIO()
    document = canvas.Canvas(output)
    document.setAuthor("Jean MARTIN")
    document.drawString(72, 720, "Attestation")
    document.save()
    return output.getvalue()


@pytest.fixture
def jean(tenant):
    """Jean MARTIN's login at HMP (account 000123), signed in on hmp.localhost."""
    user = tenant("hmp")
    client = Client(HTTP_HOST="hmp.localhost")
    client.force_login(user)
    client.user = user
    client.account = TenantAccount.objects.get(landlord__slug="hmp", number="000123")
    return client


def category(slug="hmp", name="Chauffage et eau chaude") -> RequestCategory:
    return RequestCategory.objects.get(landlord__slug=slug, name=name)


def new_url(client, name="Chauffage et eau chaude"):
    return f"/mon-compte/compte/{client.account.pk}/demandes/nouvelle/{category(name=name).pk}/"
