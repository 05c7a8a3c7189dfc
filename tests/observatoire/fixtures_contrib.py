"""Fixtures and file makers of the contribution and review tests (test_contrib_*)."""

import io
import struct
import zipfile

import pytest
from django.urls import reverse

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


@pytest.fixture
def media(settings, tmp_path):
    """Store uploads in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_bytes(text: str = "Cahier des charges") -> bytes:
    """A small, valid PDF of one page."""
    body = f"BT /F1 12 Tf 50 750 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def exe_bytes() -> bytes:
    """The start of a Windows program (MZ header, PE signature)."""
    header = bytearray(b"MZ" + b"\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
    header += b"\x00" * (0x3C - len(header)) + struct.pack("<I", 0x80)
    header += b"\x00" * (0x80 - len(header)) + b"PE\x00\x00" + b"\x00" * 400
    return bytes(header)


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Office Open XML word-processing document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", b"<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb_docx(size: int = 300 * 1024 * 1024) -> bytes:
    """A « .docx » whose one part expands to `size` bytes of zeros (a few hundred kB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w") as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                part.write(chunk)
    return buffer.getvalue()


def lying_zip_bomb_docx() -> bytes:
    """A « .docx » whose part declares 1 kB but expands to 50 MB: its sizes lie."""
    data = bytearray(zip_bomb_docx(50 * 1024 * 1024))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    # The declared uncompressed size: in the local header, then in the central directory.
    data[info.header_offset + 22 : info.header_offset + 26] = struct.pack("<I", 1024)
    end = data.rfind(b"PK\x05\x06")
    central = struct.unpack("<I", data[end + 16 : end + 20])[0]
    while central != -1:
        name_length = struct.unpack("<H", data[central + 28 : central + 30])[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == b"word/document.xml":
            data[central + 24 : central + 28] = struct.pack("<I", 1024)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml").file_size == 1024
    return bytes(data)


def projet_post(**overrides) -> dict:
    """The project form as a browser posts it (with the funding rows' management form)."""
    data = {
        "titre": "Application de signalement de la voirie",
        "resume": "Les habitants signalent les problèmes de voirie depuis leur téléphone.",
        "description": "## Le besoin\n\nDes **nids-de-poule** partout.",
        "themes": ["services-usagers"],
        "statut": "en_cours",
        "date_debut": "2025-03-01",
        "date_fin": "",
        "budget_investissement": "12 500",
        "budget_fonctionnement": "1 200,50",
        "savoir_faire": "marchés publics, SIG",
        "resultats": "",
        "enseignements": "",
        "reutilisation": "",
        "depot_code": "",
        "site_web": "",
        "financements-TOTAL_FORMS": "2",
        "financements-INITIAL_FORMS": "0",
        "financements-MIN_NUM_FORMS": "0",
        "financements-MAX_NUM_FORMS": "20",
        "financements-0-source": "Région Nouvelle-Aquitaine",
        "financements-0-montant": "5 000",
        "financements-1-source": "",
        "financements-1-montant": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def gestion(membre, name: str, *args) -> str:
    return reverse(f"gestion:observatoire:{name}", args=[membre.slug, *args])
