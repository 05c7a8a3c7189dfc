"""Nothing from the source file's metadata survives: only its pixels, upright."""

import io

from PIL import Image, ImageCms
from PIL.ExifTags import GPS, IFD, Base

from socle.signalements.photos import photo_process

SERIAL = "SN-4815162342"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Make="Phonecorp"/></rdf:RDF></x:xmpmeta>'
)
COMMENT = b"Taken in front of 12 rue des Lilas"


def _phone_photo(orientation: int = 1) -> bytes:
    """A 40x20 JPEG, red on the left and blue on the right, as a phone would tag it."""
    image = Image.new("RGB", (40, 20), "blue")
    image.paste("red", (0, 0, 20, 20))
    exif = Image.Exif()
    exif[Base.Make] = "Phonecorp"
    exif[Base.Model] = "Phone 15 Pro"
    exif[Base.Orientation] = orientation
    exif.get_ifd(IFD.Exif)[Base.BodySerialNumber] = SERIAL
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "N"
    gps[GPS.GPSLatitude] = (44.0, 48.0, 25.0)
    gps[GPS.GPSLongitudeRef] = "W"
    gps[GPS.GPSLongitude] = (0.0, 37.0, 52.0)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, xmp=XMP, comment=COMMENT, icc_profile=srgb)
    return buffer.getvalue()


def test_it_starts_from_a_photo_carrying_every_kind_of_metadata():
    source = Image.open(io.BytesIO(_phone_photo()))

    assert source.getexif().get_ifd(IFD.GPSInfo)[GPS.GPSLatitude] == (44.0, 48.0, 25.0)
    assert source.getexif().get_ifd(IFD.Exif)[Base.BodySerialNumber] == SERIAL
    assert source.getexif()[Base.Make] == "Phonecorp"
    assert source.info["xmp"] == XMP
    assert source.info["comment"] == COMMENT
    assert source.info["icc_profile"]


def test_it_strips_gps_camera_serial_xmp_comment_and_profile():
    photo = photo_process(_phone_photo())

    for output in (photo.display, photo.thumbnail):
        image = Image.open(io.BytesIO(output))
        assert not image.getexif()
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)
        assert SERIAL.encode() not in output
        assert b"Exif" not in output
        assert b"Phonecorp" not in output
        assert COMMENT not in output
        assert b"adobe" not in output


def test_it_applies_the_orientation_before_dropping_it():
    # Orientation 6: the camera was turned a quarter clockwise; the left side is the top.
    photo = photo_process(_phone_photo(orientation=6))

    image = Image.open(io.BytesIO(photo.display)).convert("RGB")
    assert (photo.width, photo.height) == image.size == (20, 40)
    red, green, blue = image.getpixel((10, 10))
    assert red > 200 and blue < 60
    red, green, blue = image.getpixel((10, 30))
    assert blue > 200 and red < 60
