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
