"""Files people upload as logos: real images, disguised non-images, and hostile ones."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image


def image_upload(name="logo.png", image_format="PNG", size=(40, 30), **save_options):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, format=image_format, **save_options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def jpeg_with_gps(name="photo.jpg"):
    """A JPEG whose EXIF says where it was taken (a GPS position) and on which camera."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Test Camera"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 59.0, 44.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (1.0, 28.0, 58.0),
    }
    return image_upload(name, "JPEG", size=(1200, 900), exif=exif.tobytes())


def decompression_bomb(name="bomb.png", width=30_000, height=30_000):
    """A tiny PNG whose header claims billions of pixels (its IHDR is rewritten, with a valid CRC)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    # The IHDR chunk follows the 8-byte signature: length (4), type (4), then width and height.
    ihdr = bytes(data[12:16]) + struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(ihdr) & 0xFFFFFFFF)
    return SimpleUploadedFile(name, bytes(data), content_type="image/png")


def not_an_image(name="logo.png"):
    return SimpleUploadedFile(name, b"%PDF-1.4 this is a document, not a picture", content_type="image/png")


def oversized(name="huge.jpg", megabytes=6):
    return SimpleUploadedFile(name, b"\xff\xd8\xff" + b"0" * (megabytes * 1024 * 1024), content_type="image/jpeg")


def bmp_image(name="logo.bmp"):
    return image_upload(name, "BMP")


def png_of(width, height, name="big.png"):
    """A small file that decodes to many pixels (one colour compresses to almost nothing)."""
    return image_upload(name, "PNG", size=(width, height))


# An ICC profile is a blob Pillow carries through; its content does not matter for stripping.
FAKE_ICC = b"\x00\x00\x02\x0cprofile-from-the-camera" + b"\x00" * 64
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description photoshop:City="Hook Norton"/></x:xmpmeta>'
PHP = b"<?php system($_GET['c']); ?>"


def jpeg_with_everything(name="photo.jpg"):
    """A JPEG carrying a comment with PHP in it, EXIF, an ICC profile, XMP and a trailing payload."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Test Camera"
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (200, 60, 30)).save(
        buffer, format="JPEG", comment=PHP, exif=exif.tobytes(), icc_profile=FAKE_ICC, xmp=XMP
    )
    return SimpleUploadedFile(name, buffer.getvalue() + b"TRAILER" + PHP, content_type="image/jpeg")


def png_with_everything(name="logo.png"):
    """A PNG with a text chunk holding PHP, an ICC profile and EXIF."""
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", PHP.decode())
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Test Camera"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (20, 60, 130)).save(
        buffer, format="PNG", pnginfo=text, icc_profile=FAKE_ICC, exif=exif.tobytes()
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def webp_with_everything(name="photo.webp"):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Test Camera"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (20, 130, 60)).save(
        buffer, format="WEBP", icc_profile=FAKE_ICC, exif=exif.tobytes(), xmp=XMP
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/webp")


def jpeg_segments(data: bytes) -> list[int]:
    """The marker bytes of a JPEG's segments up to the image data (SOS)."""
    markers, position = [], 2
    assert data[:2] == b"\xff\xd8"
    while position < len(data):
        assert data[position] == 0xFF
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        chunks.append(data[position + 4 : position + 8])
        position += 12 + length
    return chunks


def webp_chunks(data: bytes) -> list[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, position = [], 12
    while position < len(data):
        kind = data[position : position + 4]
        (length,) = struct.unpack("<I", data[position + 4 : position + 8])
        chunks.append(kind)
        position += 8 + length + (length & 1)
    return chunks
