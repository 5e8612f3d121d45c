"""Reading an uploaded event photo: JPEG or PNG only, the type read from the bytes (never the client's name or
Content-Type), the size capped (settings.EVENT_PHOTO_MAX_BYTES). A file that only starts like an image is refused
too: a PNG needs its IHDR header with a non-zero size, a JPEG its start-of-frame and end markers."""
from __future__ import annotations

import struct
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_START = b"\xff\xd8\xff"
# JPEG start-of-frame markers (baseline, extended, progressive, lossless …), which carry the image's size.
JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
MAX_PHOTOS_PER_EVENT = 20


@dataclass(frozen=True)
class Photo:
    content: bytes
    content_type: str
    extension: str
    caption: str = ""


def _png_ok(data: bytes) -> bool:
    if len(data) < 33 or data[12:16] != b"IHDR":
        return False
    width, height = struct.unpack(">II", data[16:24])
    return width > 0 and height > 0


def _jpeg_ok(data: bytes) -> bool:
    """Walk the marker segments up to a start-of-frame with a non-zero size; the file must end with EOI."""
    if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return False
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return False
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if length < 2:
            return False
        if marker in JPEG_FRAMES:
            if i + 9 > len(data):
                return False
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width > 0 and height > 0
        if marker == 0xDA:  # start of scan before any frame header
            return False
        i += 2 + length
    return False


def read_photo(data: bytes, *, caption: str = "", field: str = "photos") -> Photo:
    """The photo in `data`, or ValidationError on `field`: not a JPEG/PNG image, empty, or over the cap."""
    limit = settings.EVENT_PHOTO_MAX_BYTES
    if not data:
        raise ValidationError({field: _("照片是空文件。")}, code="empty")
    if len(data) > limit:
        raise ValidationError({field: _("照片不能超过 %(mb)s MB。") % {"mb": round(limit / 1024 / 1024, 1)}},
                              code="too_large")
    if data.startswith(PNG_SIGNATURE) and _png_ok(data):
        return Photo(data, "image/png", "png", caption)
    if data.startswith(JPEG_START) and _jpeg_ok(data):
        return Photo(data, "image/jpeg", "jpg", caption)
    raise ValidationError({field: _("只接受 JPEG 或 PNG 格式的照片。")}, code="not_an_image")
