"""Mes demandes as a tenant uses it, and every bad input refused with nothing stored."""

import datetime
from html import unescape

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from freezegun import freeze_time
from PIL import Image

from accounts.models import User
from audit.models import AuditEvent
from servicerequests import services
from servicerequests.models import Attachment, ServiceRequest, Status
from tenancies.models import Signatory, TenantAccount
from tests.factories import AccessFactory
from tests.servicerequests.conftest import category, new_url, phone_photo, png_bomb, small_pdf

pytestmark = pytest.mark.django_db


def send(client, files=(), **fields):
    data = {
        "description": "Plus de chauffage depuis hier soir.",
        "location": "Séjour",
        "availability": "En semaine après 17 h",
        **fields,
    }
    if files:
        data["files"] = list(files)
    return client.post(new_url(client), data)


def test_the_categories_page_lists_both_families(jean):
    response = jean.get(f"/mon-compte/compte/{jean.account.pk}/demandes/nouvelle/")

    assert response.status_code == 200
    assert "Demande technique" in response.text
    assert "Chauffage et eau chaude" in response.text
    assert "Demande administrative" in response.text
    assert "Préavis de départ" in response.text


def test_the_urgency_notice_comes_before_the_form(jean):
    response = jean.get(new_url(jean))

    text = response.text
    assert "Odeur de gaz" in text
    assert text.index("Odeur de gaz") < text.index("<form")


def test_a_request_with_a_phone_photo_is_stored_without_its_gps_position(jean):
    response = send(jean, files=[phone_photo()])

    created = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/mon-compte/demandes/{created.public_id}/"
    assert created.status == Status.SENT
    assert created.steps.get().status == Status.SENT
    stored = created.attachments.get()
    assert stored.content_type == "image/jpeg"
    with stored.file.open("rb") as file, Image.open(file) as image:
        exif = image.getexif()
        assert image.size == (1600, 1200)
        assert 0x8825 not in exif  # no GPS block
        assert 0x010F not in exif  # nor the camera
        assert "exif" not in image.info
    page = jean.get(response["Location"])
    assert "Envoyée" in page.text or "envoyée" in page.text
    assert "photo.jpg" in page.text
    assert AuditEvent.objects.filter(action="request.created", account=jean.account).exists()


def test_an_iphone_heic_photo_is_accepted_as_a_jpeg(jean):
    import io

    import pillow_heif

    output = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (640, 480), (10, 90, 200))).save(output, quality=50)
    heic = SimpleUploadedFile("IMG_0001.HEIC", output.getvalue(), content_type="image/heic")

    assert send(jean, files=[heic]).status_code == 302

    stored = Attachment.objects.get()
    assert stored.name == "IMG_0001.jpg"
    with stored.file.open("rb") as file, Image.open(file) as image:
        assert image.format == "JPEG"


def test_a_pdf_is_kept_without_its_metadata(jean):
    pdf = SimpleUploadedFile("devis.pdf", small_pdf(), content_type="application/pdf")

    assert send(jean, files=[pdf]).status_code == 302

    from pypdf import PdfReader

    with Attachment.objects.get().file.open("rb") as file:
        reader = PdfReader(file)
        assert len(reader.pages) == 1
        assert "Jean MARTIN" not in str(reader.metadata or {})


def test_a_200_mb_photo_is_refused_before_its_body_is_read(jean):
    # The declared length is what the WSGI server gives the view at most: a 200 MB body
    # is refused on it, before Django reads (or spools to disk) any byte of it.
    class Unread:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    # CSRF checked as in production: CsrfViewMiddleware would read the body to find the
    # token, were the view not guarded before it.
    client = Client(HTTP_HOST="hmp.localhost", enforce_csrf_checks=True)
    client.force_login(jean.user)
    client.cookies["csrftoken"] = "a" * 32
    response = client.post(
        new_url(jean),
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": Unread()},
    )

    assert response.status_code == 413
    assert "Votre envoi dépasse 51 Mo au total : rien n'a été enregistré." in unescape(
        response.text
    )
    assert not ServiceRequest.objects.exists()


def test_a_photo_over_10_mb_is_refused(jean):
    big = SimpleUploadedFile("grande.jpg", b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024 + 1))

    response = send(jean, files=[big])

    assert response.status_code == 400
    assert "Le fichier « grande.jpg » dépasse 10 Mo" in response.text
    assert not ServiceRequest.objects.exists()


def test_an_executable_named_jpg_is_refused(jean):
    program = SimpleUploadedFile(
        "photo.jpg", b"MZ\x90\x00\x03" + b"\x00" * 2000, content_type="image/jpeg"
    )

    response = send(jean, files=[phone_photo("vraie.jpg"), program])

    assert response.status_code == 400
    assert "Le fichier « photo.jpg » n&#x27;est ni une photo (JPEG, PNG, HEIC) ni un PDF" in (
        response.text
    )
    assert not ServiceRequest.objects.exists()
    assert not Attachment.objects.exists()


def test_a_png_decompression_bomb_is_refused_without_being_decoded(jean):
    bomb = SimpleUploadedFile("bombe.png", png_bomb(), content_type="image/png")
    assert bomb.size < 1024 * 1024

    response = send(jean, files=[bomb])

    assert response.status_code == 400
    assert "L&#x27;image « bombe.png » est trop grande" in response.text
    assert not ServiceRequest.objects.exists()


def test_six_attachments_are_refused(jean):
    photos = [phone_photo(f"photo{n}.jpg", size=(64, 48)) for n in range(6)]

    response = send(jean, files=photos)

    assert response.status_code == 400
    assert "Vous pouvez joindre 5 fichiers au plus." in response.text
    assert not ServiceRequest.objects.exists()


def test_an_empty_description_is_refused(jean):
    response = send(jean, description="   ")

    assert response.status_code == 400
    assert "Décrivez votre demande." in response.text
    assert 'aria-invalid="true"' in response.text
    assert not ServiceRequest.objects.exists()


def test_a_request_on_another_tenants_account_answers_404(jean):
    other = TenantAccount.objects.filter(landlord__slug="hmp").exclude(pk=jean.account.pk)[0]
    url = f"/mon-compte/compte/{other.pk}/demandes/nouvelle/{category().pk}/"

    assert jean.get(url).status_code == 404
    assert jean.post(url, {"description": "Fuite"}).status_code == 404
    assert not ServiceRequest.objects.exists()


def test_another_tenants_request_answers_404(jean, tenant):
    other_user = tenant("hdf")
    hdf = TenantAccount.objects.get(landlord__slug="hdf", number="590000000012345")
    theirs = services.create_request(
        account=hdf, author=other_user, category=category("hdf"), description="Fuite"
    )

    assert jean.get(f"/mon-compte/demandes/{theirs.public_id}/").status_code == 404
    response = jean.post(f"/mon-compte/demandes/{theirs.public_id}/message/", {"body": "Coucou"})
    assert response.status_code == 404
    assert not theirs.messages.exists()


def test_a_category_of_another_landlord_answers_404(jean):
    url = f"/mon-compte/compte/{jean.account.pk}/demandes/nouvelle/{category('hdf').pk}/"

    assert jean.post(url, {"description": "Fuite"}).status_code == 404


def test_fifty_requests_in_a_minute_are_throttled(jean):
    codes = [send(jean).status_code for _ in range(50)]

    assert codes.count(302) == 20
    assert codes[20:] == [429] * 30
    assert ServiceRequest.objects.count() == 20
    response = send(jean)
    assert "Trop de tentatives" in response.text


def test_a_message_on_a_closed_request_is_refused(jean):
    created = services.create_request(
        account=jean.account, author=jean.user, category=category(), description="Fuite"
    )
    services.change_status(created, Status.CLOSED)

    response = jean.post(f"/mon-compte/demandes/{created.public_id}/message/", {"body": "Encore"})

    assert response.status_code == 400
    assert "Cette demande est clôturée" in response.text
    assert not created.messages.exists()


def test_every_signatory_of_the_account_sees_its_requests(jean):
    created = services.create_request(
        account=jean.account, author=jean.user, category=category(), description="Fuite"
    )
    co_signatory = Signatory.objects.filter(lease__account=jean.account).exclude(
        access__user=jean.user
    )[0]
    other = User.objects.create_user("co@exemple.com", "Loyer-Payé-2026")
    AccessFactory(user=other, signatory=co_signatory)
    client = Client(HTTP_HOST="hmp.localhost")
    client.force_login(other)

    response = client.get("/mon-compte/demandes/")

    assert created.reference in response.text
    assert client.get(f"/mon-compte/demandes/{created.public_id}/").status_code == 200


def test_staff_answers_and_status_changes_email_the_tenant_and_show_in_the_timeline(jean):
    created = services.create_request(
        account=jean.account, author=jean.user, category=category(), description="Froid"
    )
    mail.outbox.clear()

    services.post_message(created, author=None, body="Nous passons bientôt.", from_staff=True)
    services.post_message(created, author=None, body="Chaudière ancienne", internal=True)
    services.change_status(created, Status.PLANNED, intervention_date=datetime.date(2026, 1, 9))

    assert [m.subject for m in mail.outbox] == [
        f"Réponse de votre agence à votre demande {created.reference}",
        f"Votre demande {created.reference} : intervention prévue",
    ]
    assert "vendredi 9 janvier 2026" in mail.outbox[1].body
    assert mail.outbox[1].from_email.startswith("Habitat Marseille Provence")
    page = jean.get(f"/mon-compte/demandes/{created.public_id}/").text
    assert "Nous passons bientôt." in page
    assert "Chaudière ancienne" not in page
    assert "intervention le vendredi 9 janvier 2026" in page


def test_not_solved_reopens_within_15_days_of_resolved(jean):
    with freeze_time("2026-01-05 10:00"):
        created = services.create_request(
            account=jean.account, author=jean.user, category=category(), description="Froid"
        )
        services.change_status(created, Status.RESOLVED)
    url = f"/mon-compte/demandes/{created.public_id}/non-resolue/"

    with freeze_time("2026-01-19 10:00"):
        jean.post(url)

    created.refresh_from_db()
    assert created.status == Status.TAKEN
    assert created.steps.filter(reopened=True).exists()
    assert AuditEvent.objects.filter(action="request.reopened").exists()


def test_a_request_resolved_more_than_15_days_ago_does_not_reopen(jean):
    with freeze_time("2026-01-05 10:00"):
        created = services.create_request(
            account=jean.account, author=jean.user, category=category(), description="Froid"
        )
        services.change_status(created, Status.RESOLVED)

    with freeze_time("2026-01-21 10:00"):
        response = jean.post(f"/mon-compte/demandes/{created.public_id}/non-resolue/", follow=True)

    created.refresh_from_db()
    assert created.status == Status.RESOLVED
    assert "ne peut plus être rouverte" in response.text


def test_a_resolved_request_is_rated_once(jean):
    created = services.create_request(
        account=jean.account, author=jean.user, category=category(), description="Froid"
    )
    services.change_status(created, Status.RESOLVED)
    url = f"/mon-compte/demandes/{created.public_id}/avis/"

    assert jean.post(url, {"rating": "9"}).status_code == 400
    jean.post(url, {"rating": "4", "comment": "Rapide"})
    second = jean.post(url, {"rating": "1"})

    created.refresh_from_db()
    assert (created.rating, created.rating_comment) == (4, "Rapide")
    assert second.status_code == 400


def test_mon_compte_links_to_mes_demandes(jean):
    assert 'href="/mon-compte/demandes/"' in jean.get("/mon-compte/").text


@pytest.mark.parametrize("mode", ["RGBA", "P", "L", "CMYK", "I;16"])
def test_images_of_every_common_mode_are_stored_as_jpeg(jean, mode):
    import io

    image = Image.new(mode, (300, 200))
    output = io.BytesIO()
    image.save(output, "JPEG" if mode == "CMYK" else "PNG")
    upload = SimpleUploadedFile(f"image-{mode}.png", output.getvalue())

    assert send(jean, files=[upload]).status_code == 302

    with Attachment.objects.get().file.open("rb") as file, Image.open(file) as stored:
        assert (stored.format, stored.mode, stored.size) == ("JPEG", "RGB", (300, 200))


def test_a_large_phone_photo_is_scaled_down(jean):
    assert send(jean, files=[phone_photo(size=(6000, 4000))]).status_code == 302

    with Attachment.objects.get().file.open("rb") as file, Image.open(file) as stored:
        assert max(stored.size) == 2560
