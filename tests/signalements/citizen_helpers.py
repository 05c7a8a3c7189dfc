"""Shared steps of the citizen's pages' tests: a photo with GPS EXIF, the form's fields."""

import io

from PIL import Image

from tests.signalements.conftest import PESSAC


def photo_with_gps(name: str = "trou.jpg") -> io.BytesIO:
    """A JPEG whose EXIF holds a GPS position (and a camera serial)."""
    image = Image.new("RGB", (64, 48), (120, 90, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0xA431] = "SERIAL-123456"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (44.0, 48.0, 23.4)
    gps[3] = "W"
    gps[4] = (0.0, 37.0, 51.6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    buffer.seek(0)
    buffer.name = name
    return buffer


def report_data(**overrides) -> dict:
    """The final submit of a pothole on the map in Pessac."""
    data = {
        "etape": "envoyer",
        "lat": str(PESSAC[0]),
        "lon": str(PESSAC[1]),
        "categorie": "nid-de-poule",
        "description": "Un trou profond devant la mairie.",
    }
    data.update(overrides)
    return data
