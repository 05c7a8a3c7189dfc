"""Anything but a JPEG, PNG, WebP or HEIC photo of a sensible size is refused in French."""

import io
import random
import struct
import time
import zlib

import pytest
from PIL import Image, ImageFile

from socle.signalements.photos import PhotoRefused, photo_process

NOT_A_PHOTO = "Ce fichier n’est pas une photo acceptée : envoyez une image JPEG, PNG, WebP ou HEIC."


def _encoded(image: Image.Image, format: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_bomb(side: int) -> bytes:
    """A valid black-and-white PNG of side × side pixels, about 100 kB on disk."""
    row = b"\0" * (1 + (side + 7) // 8)  # filter byte, then one bit a pixel
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def _refusal(data, **kwargs) -> str:
    with pytest.raises(PhotoRefused) as refused:
        photo_process(data, **kwargs)
    return refused.value.message


JPEG = _encoded(Image.new("RGB", (300, 200), "red"), "JPEG")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_encoded(Image.new("RGB", (30, 20), "red"), "GIF"), id="gif"),
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20">'
            b'<rect width="30" height="20" fill="red"/></svg>',
            id="svg",
        ),
        pytest.param(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", id="pdf"),
        pytest.param("Nid-de-poule devant l’école, rue des Lilas.".encode(), id="text"),
        pytest.param(random.Random(7).randbytes(4096), id="random bytes"),
        pytest.param(b"", id="empty"),
        pytest.param(JPEG[: len(JPEG) // 2], id="truncated jpeg"),
        pytest.param(_encoded(Image.new("RGB", (30, 20), "red"), "BMP"), id="bmp"),
    ],
)
def test_it_refuses_what_is_not_an_accepted_photo(data):
    assert _refusal(data) == NOT_A_PHOTO


def test_it_refuses_a_gif_named_like_a_jpeg():
    gif = _encoded(Image.new("RGB", (30, 20), "red"), "GIF")

    assert _refusal(io.BytesIO(gif), name="photo.jpg") == NOT_A_PHOTO


def test_it_refuses_a_file_over_the_byte_limit(settings):
    settings.SIGNALEMENTS_PHOTO_MAX_BYTES = 2048
    large = _encoded(Image.effect_noise((100, 100), 64).convert("RGB"), "PNG")
    assert len(large) > 2048

    assert _refusal(large) == "La photo dépasse 2 ko."


class _EndlessUpload(io.RawIOBase):
    """An upload that never ends, counting what was read of it."""

    def __init__(self):
        self.read_so_far = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = b"\xff" * len(buffer)
        self.read_so_far += len(buffer)
        return len(buffer)


def test_it_stops_reading_past_ten_megabytes():
    upload = _EndlessUpload()

    assert _refusal(upload) == "La photo dépasse 10 Mo."
    assert upload.read_so_far == 10 * 1024 * 1024 + 1


def test_it_refuses_too_many_pixels_before_decoding_them(settings, monkeypatch):
    settings.SIGNALEMENTS_PHOTO_MAX_PIXELS = 10_000
    png = _encoded(Image.new("RGB", (200, 100), "red"), "PNG")

    def decoding(image):
        raise AssertionError("decoded a photo over the limit")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decoding)

    assert _refusal(png) == (
        "Cette image est trop grande (200 × 100 pixels) : "
        "envoyez une photo de 10\u202f000 pixels au plus."
    )


def test_it_refuses_a_decompression_bomb_quickly():
    started = time.monotonic()
    bomb = _png_bomb(30_000)
    assert len(bomb) < 200_000

    assert _refusal(bomb) == (
        "Cette image est trop grande : envoyez une photo de 40\u202f000\u202f000 pixels au plus."
    )
    assert time.monotonic() - started < 2
