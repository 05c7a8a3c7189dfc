"""Check a citizen's photo and re-encode it from its pixels alone, so no metadata survives."""

import contextlib
import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

import pillow_heif
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps

# Phones send HEIC; Pillow reads it only through pillow-heif's plugin.
pillow_heif.register_heif_opener()

# Pillow plugin names, so the content decides the format and no other decoder is ever tried.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
THUMBNAIL_SIDE = 400
JPEG_QUALITY = 85
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class PhotoRefused(Exception):
    """Raised when a file is not a photo Socle accepts; `message` tells the citizen why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo re-encoded as JPEG, at display size and as a thumbnail."""

    display: bytes
    thumbnail: bytes
    width: int
    height: int


def photo_process(data: bytes | BinaryIO, *, name: str = "") -> ProcessedPhoto:
    """Check a photo and re-encode it without anything but its pixels."""
    # `name` is only what the citizen's device called the file: the content decides the format.
    max_bytes = int(getattr(settings, "SIGNALEMENTS_PHOTO_MAX_BYTES", 10 * 1024 * 1024))
    max_pixels = int(getattr(settings, "SIGNALEMENTS_PHOTO_MAX_PIXELS", 40_000_000))
    side = int(getattr(settings, "SIGNALEMENTS_PHOTO_DISPLAY_SIDE", 1600))

    content = _read_at_most(data, max_bytes)
    try:
        image = _decode(content, max_pixels, side)
    except Image.DecompressionBombError as error:
        raise _too_large(None, max_pixels) from error
    except (OSError, SyntaxError, ValueError, EOFError, RuntimeError) as error:
        # UnidentifiedImageError (an OSError) for other formats, the rest for damaged files.
        raise _not_a_photo() from error

    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    # A new image from the raw pixels: no info, EXIF, XMP, comment or profile can come along.
    display = Image.frombytes("RGB", image.size, image.tobytes())
    thumbnail = display.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        display=_jpeg(display),
        thumbnail=_jpeg(thumbnail),
        width=display.width,
        height=display.height,
    )


def _read_at_most(data: bytes | BinaryIO, max_bytes: int) -> bytes:
    """Read the photo, refusing it as soon as it exceeds the limit."""
    if isinstance(data, bytes | bytearray | memoryview):
        content = bytes(data)
    else:
        # A form's validation may already have read the upload.
        if getattr(data, "seekable", lambda: False)():
            data.seek(0)
        # One byte more than allowed is enough to know it is too big.
        content = data.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise PhotoRefused(_("La photo dépasse %(size)s.") % {"size": _size_label(max_bytes)})
    return content


def _decode(content: bytes, max_pixels: int, side: int) -> Image.Image:
    """Open and decode the photo, upright, in sRGB on white, within the pixel limit."""
    image: Image.Image
    with warnings.catch_warnings():
        # Pillow's own limit is global and only warns below twice its value: make it refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(content), formats=ACCEPTED_FORMATS)
        except Image.DecompressionBombWarning as warning:
            raise Image.DecompressionBombError(str(warning)) from warning
    # Our own limit, checked on the header before a single pixel is decoded.
    if image.width * image.height > max_pixels:
        raise _too_large(image.size, max_pixels)
    profile = image.info.get("icc_profile")
    # A large JPEG can be decoded at a half, quarter or eighth of its size: less memory.
    image.draft(None, (side, side))
    image.load()
    image = ImageOps.exif_transpose(image)
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    return _to_srgb(image, profile)


def _to_srgb(image: Image.Image, profile: bytes | None) -> Image.Image:
    """Convert the pixels to sRGB, so dropping the source's colour profile keeps its colours."""
    if profile:
        # A broken or mismatched profile: plain conversion rather than refusing the photo.
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError):
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
            if converted is not None:
                return converted
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    """Encode an image as an optimised JPEG."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def _not_a_photo() -> PhotoRefused:
    return PhotoRefused(
        _("Ce fichier n’est pas une photo acceptée : envoyez une image JPEG, PNG, WebP ou HEIC.")
    )


def _too_large(size: tuple[int, int] | None, max_pixels: int) -> PhotoRefused:
    limit = _("envoyez une photo de %(limit)s pixels au plus.") % {"limit": _grouped(max_pixels)}
    if size is None:
        return PhotoRefused(_("Cette image est trop grande : %(limit)s") % {"limit": limit})
    return PhotoRefused(
        _("Cette image est trop grande (%(width)s × %(height)s pixels) : %(limit)s")
        % {"width": _grouped(size[0]), "height": _grouped(size[1]), "limit": limit}
    )


def _grouped(number: int) -> str:
    """Write a number with French digit grouping (a narrow no-break space)."""
    return f"{number:,}".replace(",", "\u202f")


def _size_label(size: int) -> str:
    """Write a size in bytes as a French reader expects it (« 10 Mo », « 1,5 ko »)."""
    for unit, scale in (("Mo", 1024 * 1024), ("ko", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0").replace(".", ",") + f" {unit}"
    return f"{size} octets"
