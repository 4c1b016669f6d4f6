"""Uploaded images: checked with Pillow, size-limited, resized, and re-encoded without metadata.

Only pixels are kept: the picture is decoded, resized and encoded again with none of the original's
metadata (EXIF with its GPS position, ICC profiles, XMP, JPEG comments, PNG text chunks), and any
payload after the image data is never read.

The work per upload is bounded: the file size, then the pixel count from the header before anything
is decoded. A JPEG is decoded at a reduced scale straight from its compressed data (libjpeg's DCT
scaling, `Image.draft`), so even a 50-megapixel photo costs a fraction of a second; other formats are
decoded in full and so allow fewer pixels (12 megapixels, about 0.4 s of CPU and 50 MB on a small server).
"""

import io
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Refuse images whose pixel count would cost too much to decode (decompression bombs): JPEGs are
# decoded at reduced scale, the others in full.
MAX_PIXELS = {"JPEG": 50_000_000}
MAX_PIXELS_OTHER = 12_000_000
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}


def process_image(upload, *, max_side: int = 1600) -> ContentFile:
    """Return a clean copy of an uploaded image, or raise ValidationError with a message for people.

    The result is at most `max_side` pixels on its longest side, has no metadata, and keeps
    the original format (JPEG, PNG or WebP; a GIF becomes a PNG of its first frame).
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            # Translators: the file's size in megabytes (MB), then the largest size allowed.
            _("This file is %(size).1f MB; images can be at most %(limit)s MB.")
            % {"size": upload.size / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 1024 // 1024},
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
            _("This image has far too many pixels to process safely."), code="too_many_pixels"
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("This file is not an image we can read. Please upload a JPEG, PNG or WebP picture."), code="not_image"
        ) from error
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("Please upload a JPEG, PNG or WebP picture."), code="bad_format")
    limit = MAX_PIXELS.get(image_format, MAX_PIXELS_OTHER)
    if width * height > limit:
        raise ValidationError(
            # Translators: the image's width and height in pixels, then the largest size allowed in megapixels.
            _(
                "This image is %(width)s×%(height)s pixels, which is too large. "
                "Please resize it below %(megapixels)s megapixels."
            )
            % {"width": width, "height": height, "megapixels": limit // 1_000_000},
            code="too_many_pixels",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image_format == "JPEG":
                scale = max(width, height) / max_side
                if scale > 1:  # decode at the smallest DCT scale still at least the final size
                    image.draft("RGB", (int(width / scale), int(height / scale)))
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the intended orientation before EXIF is dropped
            if image_format == "JPEG":
                image = image.convert("RGB")
            elif image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA")
            image.thumbnail((max_side, max_side))
            image.info = {}  # nothing of the original's metadata is written again (comments, ICC, XMP, ...)
            out = io.BytesIO()
            save_format = "PNG" if image_format == "GIF" else image_format
            options = {"quality": 85, "optimize": True} if save_format in ("JPEG", "WEBP") else {"optimize": True}
            image.save(out, format=save_format, **options)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This image could not be processed. Please try another file."), code="broken"
        ) from error
    stem = os.path.splitext(os.path.basename(upload.name or "image"))[0][:60] or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.{ALLOWED_FORMATS[image_format]}")
