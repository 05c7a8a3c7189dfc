"""Uploaded documents (observatory, citizen's file, procedures): what an upload may be, told by its
content, and how a stored document is served.

The name a browser sends and the type it claims are never trusted. The first bytes tell the
format (`filetype`, a pure-Python reader of file signatures: no libmagic to install); a ZIP-based
office document is then opened and read as its format defines it (the `mimetype` entry of an
OpenDocument file, the `[Content_Types].xml` part of an Office Open XML one), and refused when it
would expand too much (a zip bomb), is encrypted, or holds archives, programs or odd paths. Text
(CSV, TXT) has no signature: it must decode as UTF-8 or Windows-1252 and hold no control
characters. A stored document is served with the type found here, as an attachment, in a
sandbox.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from xml.etree import ElementTree

import filetype
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

# An archive (office document) may expand to this much at most, whatever its declared sizes say.
ZIP_MAX_UNCOMPRESSED = 100 * 1024 * 1024
# Past ZIP_RATIO_FLOOR bytes expanded, an archive may expand at most this many times its size.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 20 * 1024 * 1024
ZIP_MAX_ENTRIES = 5000
# The parts read to know the format are small; a larger one is not a real document.
ZIP_MAX_PART = 1024 * 1024
NAME_MAX_LENGTH = 150

# Entries an office document never holds: archives within the archive, and programs.
FORBIDDEN_ENTRY = re.compile(
    r"\.(zip|rar|7z|gz|tgz|bz2|xz|zst|tar|jar|war|cab|iso|img|exe|dll|com|scr|msi|bat|cmd|ps1|"
    r"vbs|vbe|wsf|hta|lnk|sh|apk|dmg)$",
    re.IGNORECASE,
)
# Control characters a text file does not hold (tab, line feed, form feed, carriage return are
# fine).
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class DocumentType:
    """A kind of document Socle accepts."""

    code: str
    mime: str
    extension: str
    label: Any


TYPES: dict[str, DocumentType] = {
    t.code: t
    for t in (
        DocumentType("pdf", "application/pdf", "pdf", gettext_lazy("PDF")),
        DocumentType(
            "odt",
            "application/vnd.oasis.opendocument.text",
            "odt",
            gettext_lazy("Texte OpenDocument (ODT)"),
        ),
        DocumentType(
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            "ods",
            gettext_lazy("Classeur OpenDocument (ODS)"),
        ),
        DocumentType(
            "odp",
            "application/vnd.oasis.opendocument.presentation",
            "odp",
            gettext_lazy("Présentation OpenDocument (ODP)"),
        ),
        DocumentType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            gettext_lazy("Document Word (DOCX)"),
        ),
        DocumentType(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            gettext_lazy("Classeur Excel (XLSX)"),
        ),
        DocumentType(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "pptx",
            gettext_lazy("Présentation PowerPoint (PPTX)"),
        ),
        DocumentType("png", "image/png", "png", gettext_lazy("Image PNG")),
        DocumentType("jpeg", "image/jpeg", "jpg", gettext_lazy("Image JPEG")),
        DocumentType("csv", "text/csv", "csv", gettext_lazy("Tableau CSV")),
        DocumentType("txt", "text/plain", "txt", gettext_lazy("Texte")),
    )
}
TYPES_BY_MIME = {t.mime: t for t in TYPES.values()}
KNOWN_EXTENSIONS = {t.extension for t in TYPES.values()} | {"jpeg", "jpe"}

# An OpenDocument file's `mimetype` entry, and an Office Open XML file's main part type.
ODF_TYPES = {TYPES[code].mime: TYPES[code] for code in ("odt", "ods", "odp")}
OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"

# What some refused formats are, to tell the person in plain words.
KNOWN_REFUSED = {
    "application/x-msdownload": gettext_lazy("un programme Windows"),
    "application/x-executable": gettext_lazy("un programme"),
    "application/x-elf": gettext_lazy("un programme"),
    "application/x-mach-binary": gettext_lazy("un programme"),
    "application/x-msi": gettext_lazy("un ancien document Office ou un installateur"),
    "application/zip": gettext_lazy("une archive ZIP"),
    "application/x-rar-compressed": gettext_lazy("une archive RAR"),
    "application/x-7z-compressed": gettext_lazy("une archive 7-Zip"),
    "application/gzip": gettext_lazy("une archive compressée"),
    "application/x-tar": gettext_lazy("une archive"),
    "application/msword": gettext_lazy("un document Word ancien format (DOC)"),
    "application/vnd.ms-excel": gettext_lazy("un classeur Excel ancien format (XLS)"),
    "application/vnd.ms-powerpoint": gettext_lazy("une présentation ancien format (PPT)"),
    "image/gif": gettext_lazy("une image GIF"),
    "image/webp": gettext_lazy("une image WebP"),
    "image/svg+xml": gettext_lazy("une image SVG"),
    "text/html": gettext_lazy("une page web"),
}


class DocumentRefused(Exception):
    """Raised when an upload is not a document Socle accepts; `message` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedDocument:
    """An accepted upload: its bytes, its type (from its content), its type with charset, and
    the name to show (sanitised, with the extension of its type)."""

    content: bytes
    type: DocumentType
    mime: str
    name: str


def size_label(size: int) -> str:
    """Write a size in bytes as a French reader expects it (« 10 Mo », « 1,5 ko »)."""
    for unit, scale in (("Mo", 1024 * 1024), ("ko", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0").replace(".", ",") + f" {unit}"
    return _("%(n)d octets") % {"n": size}


def accepted_labels(accepted: Iterable[str] | None = None) -> str:
    """The accepted formats (codes of TYPES, all by default), for help texts and messages."""
    codes = list(TYPES) if accepted is None else [c for c in TYPES if c in set(accepted)]
    return ", ".join(TYPES[code].extension.upper() for code in codes)


# The size a caller accepts when it names none (each module passes its own limit).
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def document_check(
    upload, *, limit: int = DEFAULT_MAX_BYTES, accepted: Iterable[str] | None = None
) -> CheckedDocument:
    """Read an upload (a Django UploadedFile, or any file with a name) and tell what it is;
    raise DocumentRefused, with a French message, when it is not accepted.

    ``accepted`` narrows the formats to some codes of TYPES (a procedure's file field).
    """
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise _too_large(limit)
    if getattr(upload, "seekable", lambda: False)():
        upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _too_large(limit)
    if not content:
        raise DocumentRefused(_("Ce fichier est vide."))
    name = str(getattr(upload, "name", "") or "")
    try:
        kind, mime = _kind_of(content, name)
    except _NotAccepted as refused:
        # Name the formats accepted here, not every format Socle knows.
        if accepted is None:
            raise
        raise _not_accepted(refused.what, accepted) from None
    if accepted is not None and kind.code not in set(accepted):
        raise DocumentRefused(
            _(
                "Ce fichier est au format %(format)s : "
                "seuls les formats %(formats)s sont acceptés ici."
            )
            % {"format": kind.extension.upper(), "formats": accepted_labels(accepted)}
        )
    return CheckedDocument(
        content=content, type=kind, mime=mime, name=document_name(name, kind.extension)
    )


def document_name(original: str, extension: str) -> str:
    """Return a name safe to show and to offer for download: no folders, no control or
    direction characters, no characters file systems refuse, and the extension of its type."""
    name = unicodedata.normalize("NFC", original or "")
    name = re.split(r"[\\/]", name)[-1]
    # Categories C*: controls, format characters (right-to-left overrides), unassigned.
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = re.sub(r'[<>:"|?*]', "_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot or ext.lower() not in KNOWN_EXTENSIONS:
        stem = name
    stem = stem[:NAME_MAX_LENGTH].strip(" .") or _("document")
    return f"{stem}.{extension}"


def _too_large(limit: int) -> DocumentRefused:
    return DocumentRefused(
        _("Ce fichier dépasse la taille permise (%(limite)s).") % {"limite": size_label(limit)}
    )


class _NotAccepted(DocumentRefused):
    """A format Socle does not take at all; `what` says what the file is, when known."""

    def __init__(self, message: str, what: Any = None):
        super().__init__(message)
        self.what = what


def _not_accepted(what: Any = None, accepted: Iterable[str] | None = None) -> _NotAccepted:
    formats = accepted_labels(accepted)
    if what:
        return _NotAccepted(
            _("Ce fichier est %(quoi)s : seuls les formats %(formats)s sont acceptés.")
            % {"quoi": what, "formats": formats},
            what,
        )
    return _NotAccepted(
        _("Ce type de fichier n’est pas accepté : seuls les formats %(formats)s le sont.")
        % {"formats": formats}
    )


def _kind_of(content: bytes, name: str) -> tuple[DocumentType, str]:
    """Return the accepted type of the content and the Content-Type to serve it with."""
    guessed = filetype.guess(content[:8192])
    mime = guessed.mime if guessed is not None else ""
    if content.startswith(b"%PDF-"):
        return TYPES["pdf"], TYPES["pdf"].mime
    if mime == "image/png":
        _image_check(content, "PNG")
        return TYPES["png"], TYPES["png"].mime
    if mime == "image/jpeg":
        _image_check(content, "JPEG")
        return TYPES["jpeg"], TYPES["jpeg"].mime
    if content.startswith(b"PK\x03\x04"):
        kind = _zip_kind(content)
        return kind, kind.mime
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # OLE2 compound file: Office 97–2003 documents, and password-protected Office files.
        raise _not_accepted(
            _(
                "un document Office ancien format ou protégé par un mot de passe (enregistrez-le "
                "en DOCX, XLSX, PPTX ou OpenDocument, sans mot de passe)"
            )
        )
    if guessed is not None:
        raise _not_accepted(KNOWN_REFUSED.get(mime, _("de type %(type)s") % {"type": mime}))
    return _text_kind(content, name)


def _image_check(content: bytes, image_format: str) -> None:
    """Open the image's header with Pillow: a damaged or disguised one is refused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                image.verify()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise DocumentRefused(_("Cette image est trop grande (en pixels).")) from None
    except Exception:  # Pillow raises many kinds of errors for damaged files
        raise DocumentRefused(_("Cette image est endommagée ou n’en est pas une.")) from None


def _damaged() -> DocumentRefused:
    return DocumentRefused(_("Ce document est endommagé : il ne s’ouvre pas comme une archive."))


def _zip_kind(content: bytes) -> DocumentType:
    """Tell an OpenDocument or Office Open XML file from the inside, refusing bombs and
    oddities."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _damaged() from None
    with archive:
        infos = archive.infolist()
        _zip_structure_check(infos, len(content))
        names = [info.filename for info in infos]
        if names and names[0] == "mimetype":
            kind = _odf_kind(archive, infos[0])
        elif "[Content_Types].xml" in names:
            kind = _ooxml_kind(archive)
        else:
            raise _not_accepted(KNOWN_REFUSED["application/zip"])
        _zip_expand_check(archive, infos)
    return kind


def _zip_structure_check(infos: list[zipfile.ZipInfo], archive_size: int) -> None:
    if not infos:
        raise _damaged()
    if len(infos) > ZIP_MAX_ENTRIES:
        raise DocumentRefused(_("Ce document contient trop de fichiers internes."))
    if min(info.header_offset for info in infos) != 0:
        # Something stands before the archive (a program glued in front, for instance).
        raise _damaged()
    seen: set[str] = set()
    for info in infos:
        if info.flag_bits & 0x1:
            raise DocumentRefused(
                _("Ce document est protégé par un mot de passe : enregistrez-le sans mot de passe.")
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged()
        name = info.filename
        if (
            name in seen
            or name.startswith(("/", "\\"))
            or "\\" in name
            or ".." in name.split("/")
            or re.match(r"^[A-Za-z]:", name)
            or FORBIDDEN_ENTRY.search(name)
        ):
            raise DocumentRefused(
                _(
                    "Ce document contient des fichiers qu’un document bureautique ne contient pas "
                    "(archive, programme ou chemin inhabituel)."
                )
            )
        seen.add(name)
    total = sum(info.file_size for info in infos)
    if total > ZIP_MAX_UNCOMPRESSED or (
        total > ZIP_RATIO_FLOOR and total > ZIP_MAX_RATIO * archive_size
    ):
        raise _bomb()


def _bomb() -> DocumentRefused:
    return DocumentRefused(
        _("Ce document se décompresse en un volume démesuré (%(limite)s au plus) : il est refusé.")
        % {"limite": size_label(ZIP_MAX_UNCOMPRESSED)}
    )


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > ZIP_MAX_PART:
        raise _damaged()
    try:
        with archive.open(info) as part:
            return part.read(ZIP_MAX_PART + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
        raise _damaged() from None


def _odf_kind(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> DocumentType:
    if info.compress_type != zipfile.ZIP_STORED:
        raise _damaged()
    declared = _read_part(archive, info).decode("ascii", "replace").strip()
    kind = ODF_TYPES.get(declared)
    if kind is None:
        raise _not_accepted(_("un document OpenDocument d’un type non accepté"))
    try:
        manifest = archive.getinfo("META-INF/manifest.xml")
    except KeyError:
        raise _damaged() from None
    if b"encryption-data" in _read_part(archive, manifest):
        raise DocumentRefused(
            _("Ce document est protégé par un mot de passe : enregistrez-le sans mot de passe.")
        )
    return kind


def _ooxml_kind(archive: zipfile.ZipFile) -> DocumentType:
    data = _read_part(archive, archive.getinfo("[Content_Types].xml"))
    # No document type declaration, hence no entity to expand (billion laughs) nor fetch.
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise _damaged()
    try:
        root = ElementTree.fromstring(data)  # noqa: S314 - no DTD, checked just above
    except ElementTree.ParseError:
        raise _damaged() from None
    found = {
        OOXML_MAIN_PARTS[override.get("ContentType", "")]
        for override in root.iter(f"{CONTENT_TYPES_NS}Override")
        if override.get("ContentType", "") in OOXML_MAIN_PARTS
    }
    if len(found) != 1:
        # Macro-enabled files (docm, xlsm…) and templates have other main parts.
        raise _not_accepted(_("un document Office d’un type non accepté (avec macros, ou modèle)"))
    return TYPES[found.pop()]


def _zip_expand_check(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Expand every entry once, counting: the declared sizes could lie, and a damaged entry
    (wrong checksum) is found now rather than by whoever downloads the document."""
    budget = ZIP_MAX_UNCOMPRESSED
    for info in infos:
        try:
            with archive.open(info) as part:
                while chunk := part.read(1024 * 1024):
                    budget -= len(chunk)
                    if budget < 0:
                        raise _bomb()
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
            raise _damaged() from None


def _text_kind(content: bytes, name: str) -> tuple[DocumentType, str]:
    """A CSV or plain-text file: it decodes, and holds no control characters. The name only
    tells CSV from plain text (both harmless)."""
    if CONTROL_BYTES.search(content):
        raise _not_accepted()
    try:
        content.decode("utf-8")
        charset = "utf-8"
    except UnicodeDecodeError:
        try:
            content.decode("cp1252")
        except UnicodeDecodeError:
            raise _not_accepted() from None
        charset = "windows-1252"
    kind = TYPES["csv"] if name.lower().endswith(".csv") else TYPES["txt"]
    return kind, f"{kind.mime}; charset={charset}"


def document_type_of(type_mime: str) -> DocumentType | None:
    """The accepted type a stored Content-Type stands for (charset aside), or None."""
    return TYPES_BY_MIME.get(type_mime.split(";")[0].strip())


R = TypeVar("R", HttpResponse, FileResponse)


def _safe_headers(response: R) -> R:
    """Add the headers every served document carries."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    # Never kept by a shared cache: a document taken down must disappear at once.
    response["Cache-Control"] = "private, no-cache"
    return response


def bytes_response(content: bytes, *, name: str, type_mime: str) -> HttpResponse:
    """Serve a document held in memory (a decrypted file) as ``document_response`` serves a
    stored one: its checked type (else octet-stream), as an attachment, sniffing and scripts
    off, never in a shared cache."""
    kind = document_type_of(type_mime)
    content_type = type_mime if kind is not None else "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    # The RFC 6266 header, as FileResponse writes it (ASCII fallback and filename*).
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return _safe_headers(response)


def document_response(document, *, public: bool) -> FileResponse:
    """Serve a stored document: its checked type, as an attachment, sniffing and scripts off."""
    kind = document_type_of(document.type_mime)
    content_type = document.type_mime if kind is not None else "application/octet-stream"
    response = FileResponse(
        document.fichier.open("rb"),
        as_attachment=True,
        filename=document.nom,
        content_type=content_type,
    )
    return _safe_headers(response)
