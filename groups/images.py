"""Uploaded images: checked with Pillow, size-limited, resized, and re-encoded without metadata.

Re-encoding from pixels drops EXIF (including GPS position), ICC and any trailing payload.
"""

import io
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Refuse images whose pixel count would blow up memory when decoded (decompression bombs).
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}


def process_image(upload, *, max_side: int = 1600) -> ContentFile:
    """Return a clean copy of an uploaded image, or raise ValidationError with a message for people.

    The result is at most `max_side` pixels on its longest side, has no metadata, and keeps
    the original format (JPEG, PNG or WebP; a GIF becomes a PNG of its first frame).
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is {upload.size / 1024 / 1024:.1f} MB; images can be at most {MAX_UPLOAD_BYTES // 1024 // 1024} MB.",
            code="too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except Image.DecompressionBombError as error:
        raise ValidationError(
            "This image has far too many pixels to process safely.", code="too_many_pixels"
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "This file is not an image we can read. Please upload a JPEG, PNG or WebP picture.", code="not_image"
        ) from error
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError("Please upload a JPEG, PNG or WebP picture.", code="bad_format")
    if width * height > MAX_PIXELS:
        raise ValidationError(
            f"This image is {width}×{height} pixels, which is too large. Please resize it below 40 megapixels.",
            code="too_many_pixels",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the intended orientation before EXIF is dropped
            if image_format == "JPEG":
                image = image.convert("RGB")
            elif image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA")
            image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            save_format = "PNG" if image_format == "GIF" else image_format
            options = {"quality": 85, "optimize": True} if save_format in ("JPEG", "WEBP") else {"optimize": True}
            image.save(out, format=save_format, **options)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError("This image could not be processed. Please try another file.", code="broken") from error
    stem = os.path.splitext(os.path.basename(upload.name or "image"))[0][:60] or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.{ALLOWED_FORMATS[image_format]}")
