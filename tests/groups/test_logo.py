"""Logos: uploaded with the group form, checked, resized and stripped of hidden data."""

import pytest
from django.urls import reverse
from PIL import Image

from groups.models import Group

from ..factories import GroupFactory, MembershipFactory
from .uploads import (
    FAKE_ICC,
    PHP,
    XMP,
    bmp_image,
    decompression_bomb,
    image_upload,
    jpeg_segments,
    jpeg_with_everything,
    jpeg_with_gps,
    not_an_image,
    oversized,
    png_chunks,
    png_of,
    png_with_everything,
    webp_chunks,
    webp_with_everything,
)

pytestmark = pytest.mark.django_db
CREATE = reverse("groups:create")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def test_logo_is_resized_without_gps_and_shown_with_alt_text(signed_in, group_data):
    upload = jpeg_with_gps()
    with Image.open(upload) as original:
        assert original.getexif().get_ifd(0x8825), "the test image must carry a GPS position"
    upload.seek(0)
    response = signed_in.post(CREATE, {**group_data(), "logo": upload}, follow=True)
    group = Group.objects.get()
    with Image.open(group.logo.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 800
        exif = stored.getexif()
        assert not exif.get_ifd(0x8825) and 0x010F not in exif  # no GPS, no camera make
    html = response.content.decode()
    assert f'src="{group.logo.url}" alt="Logo of Hook Norton Low Carbon"' in html


@pytest.mark.parametrize(
    ("make_upload", "message"),
    [
        (not_an_image, "This file is not an image we can read. Please upload a JPEG, PNG or WebP picture."),
        (oversized, "This file is 6.0 MB; images can be at most 5 MB."),
        (decompression_bomb, "This image has far too many pixels to process safely."),
        (bmp_image, "Please upload a JPEG, PNG or WebP picture."),
    ],
)
def test_bad_logo_is_an_error_on_the_field(signed_in, group_data, make_upload, message):
    response = signed_in.post(CREATE, {**group_data(name="Kept name"), "logo": make_upload()})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'id="id_logo_error"' in html
    assert 'value="Kept name"' in html
    assert not Group.objects.exists()


def test_edit_replaces_then_removes_the_logo(client, group_data):
    group = GroupFactory()
    client.force_login(MembershipFactory(group=group, role="owner").user)
    url = reverse("groups:edit", kwargs={"slug": group.slug})
    assert client.post(url, {**group_data(version="1"), "logo": image_upload("first.png")}).status_code == 302
    group.refresh_from_db()
    assert group.logo.name.startswith("groups/logos/first")
    # Saving without a new file keeps the logo.
    assert client.post(url, group_data(version="2")).status_code == 302
    group.refresh_from_db()
    assert group.logo.name.startswith("groups/logos/first")
    assert client.post(url, {**group_data(version="3"), "logo-clear": "on"}).status_code == 302
    group.refresh_from_db()
    assert not group.logo


def test_a_png_that_would_decode_to_40_megapixels_is_refused_before_decoding(signed_in, group_data):
    """The attack's image: a 38 KB PNG of 6,300×6,300 pixels cost 3 s of CPU and 375 MB to decode."""
    response = signed_in.post(CREATE, {**group_data(name="Kept name"), "logo": png_of(6300, 6300)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This image is 6300×6300 pixels, which is too large. Please resize it below 12 megapixels." in html
    assert 'value="Kept name"' in html


def test_a_50_megapixel_phone_photo_is_accepted_decoded_at_reduced_scale():
    from groups.images import process_image

    photo = image_upload("phone.jpg", "JPEG", size=(8000, 6000))
    with Image.open(process_image(photo)) as stored:
        assert stored.size == (1600, 1200)


@pytest.mark.parametrize(
    ("make_upload", "segments", "allowed"),
    [
        # SOI is not listed; APP0 (JFIF header), DQT, SOF0/SOF2, DHT, DRI, SOS: pixels and how to decode them.
        (jpeg_with_everything, jpeg_segments, {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD, 0xDA}),
        (png_with_everything, png_chunks, {b"IHDR", b"PLTE", b"IDAT", b"IEND"}),
        (webp_with_everything, webp_chunks, {b"VP8 ", b"VP8L"}),
    ],
)
def test_only_pixels_survive_an_upload(make_upload, segments, allowed):
    """No comment (the attack's `<?php …?>` survived), EXIF, ICC, XMP, text chunk or trailing payload."""
    from groups.images import process_image

    upload = make_upload()
    original = upload.read()
    assert PHP in original or XMP in original
    assert set(segments(original)) - allowed, "the test file must carry metadata"
    cleaned = process_image(upload).read()
    assert set(segments(cleaned)) <= allowed
    assert PHP not in cleaned and XMP not in cleaned and FAKE_ICC not in cleaned and b"Test Camera" not in cleaned
