"""JPEG, PNG, WebP and HEIC photos come out as JPEG, at display size and as a thumbnail."""

import io

import pillow_heif
import pytest
from PIL import Image

from socle.signalements.photos import photo_process


def _encoded(image: Image.Image, format: str) -> bytes:
    buffer = io.BytesIO()
    if format == "HEIF":
        pillow_heif.from_pillow(image).save(buffer, quality=80)
    else:
        image.save(buffer, format)
    return buffer.getvalue()


def _jpeg(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    return image


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_it_accepts_each_photo_format(format):
    source = _encoded(Image.new("RGB", (300, 200), "green"), format)

    photo = photo_process(source)

    assert _jpeg(photo.display).size == (photo.width, photo.height) == (300, 200)
    assert _jpeg(photo.thumbnail).size == (300, 200)


def test_it_flattens_a_transparent_png_on_white():
    source = Image.new("RGBA", (100, 50), (0, 0, 0, 0))
    source.paste((255, 0, 0, 255), (0, 0, 50, 50))

    photo = photo_process(_encoded(source, "PNG"))

    display = _jpeg(photo.display)
    assert display.getpixel((75, 25)) == pytest.approx((255, 255, 255), abs=3)
    assert display.getpixel((25, 25)) == pytest.approx((254, 0, 0), abs=3)


def test_it_resizes_a_large_photo_to_the_display_side_and_the_thumbnail():
    source = _encoded(Image.new("RGB", (3200, 2400), "orange"), "JPEG")

    photo = photo_process(io.BytesIO(source), name="IMG_0001.JPG")

    assert _jpeg(photo.display).size == (photo.width, photo.height) == (1600, 1200)
    assert _jpeg(photo.thumbnail).size == (400, 300)


def test_it_resizes_a_large_heic_photo_standing_up():
    source = _encoded(Image.new("RGB", (1500, 2000), "purple"), "HEIF")

    photo = photo_process(source, name="IMG_0002.HEIC")

    assert (photo.width, photo.height) == (1200, 1600)
    assert _jpeg(photo.thumbnail).size == (300, 400)


def test_it_reads_the_display_side_from_the_settings(settings):
    settings.SIGNALEMENTS_PHOTO_DISPLAY_SIDE = 800
    source = _encoded(Image.new("RGB", (1000, 500), "teal"), "WEBP")

    photo = photo_process(source)

    assert (photo.width, photo.height) == (800, 400)
    assert _jpeg(photo.thumbnail).size == (400, 200)


def test_it_trusts_the_content_not_the_name():
    source = _encoded(Image.new("RGB", (30, 20), "navy"), "PNG")

    photo = photo_process(source, name="document.pdf")

    assert (photo.width, photo.height) == (30, 20)
