"""Receipts and attestations: HTML templates → PDF/A (WeasyPrint), signed PAdES (pyHanko), with a
verification code and QR code whose public page confirms them without personal data.

- ``document_request(dossier=, kind=)``: the Document row, once per dossier and kind (while
  valid), and its generation queued in the caller's transaction (filing never waits for PDF
  rendering). ``documents_revoke(dossier=, kinds=)``: when the decision is withdrawn.
- ``document_generate(document)``: what the task does (socle/demarches/tasks.py): render, sign,
  store encrypted, tell the citizen. A second run on a generated document does nothing.
- ``document_response(document)``: the decrypted PDF, for the views that checked access first.
- ``document_for_code(code)`` / ``verification_allowed(request=)``: the public verification.

The platform signs with ``settings.DEMARCHES_SIGNING_KEY_FILE`` / ``DEMARCHES_SIGNING_CERT_FILE``
(PEM) when set; else with a self-signed pair made once under ``DATA_DIR/signature/``.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import hashlib
import hmac
import io
import logging
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from socle.citoyen.chiffrement import fichier_read, fichier_store
from socle.comptes.security import client_ip
from socle.core.ratelimit import rate_key, rate_limit_hit
from socle.core.tasks import task_enqueue
from socle.demarches import workflow as wf
from socle.demarches.codes import document_code_new, document_code_normalise
from socle.demarches.formulaire import answers_display
from socle.demarches.models import Document, Dossier, Envoi, Evenement
from socle.demarches.services import absolute_url, event_add, mail_send

logger = logging.getLogger(__name__)

# The signing pair made by the platform when none is configured: key then certificate, PEM.
SIGNATURE_FOLDER = "signature"
SIGNATURE_BUNDLE = "documents.pem"
SIGNATURE_YEARS = 10
# An uploaded copy to compare: larger than any document the platform issues.
VERIFICATION_MAX_BYTES = 20 * 1024 * 1024
# Code lookups and comparisons per IP and hour on the public verification page.
VERIFICATION_LIMIT_PER_HOUR = 60
PDF_VARIANT = "pdf/a-3b"
# Bytes set aside in the PDF for the signature (CMS with the certificates).
SIGNATURE_BYTES_RESERVED = 16384


def verification_url(document: Document) -> str:
    """Return the public page that confirms a document (printed and in its QR code)."""
    return absolute_url("demarches-site:verifier_code", code=document.code)


# --- Requesting a document ---------------------------------------------------------------------


def document_request(*, dossier: Dossier, kind: str) -> Document:
    """Create the dossier's valid document of this kind (once: a revoked one does not count,
    a new decision gets a new document with a new code) and queue its generation, in the
    caller's transaction (a rollback takes both back)."""
    from socle.demarches.tasks import document_generate_run

    document, created = Document.objects.get_or_create(
        dossier=dossier,
        kind=kind,
        revoque_le=None,
        defaults={
            "code": document_code_new(),
            # What the public verification page shows: no personal data, no reference.
            "intitule": f"{Document.Kind(kind).label} — {dossier.version.titre}"[:300],
            "emetteur": dossier.membre.collectivite.nom[:200],
        },
    )
    if created:
        task_enqueue(document_generate_run, document.pk)
    return document


def documents_revoke(*, dossier: Dossier, kinds: set[str]) -> list[Document]:
    """Revoke the dossier's valid documents of these kinds (its decision was withdrawn): the
    verification page then says « Document révoqué »; a history line each, shown to the
    citizen. In the caller's transaction, the dossier locked; return the documents revoked."""
    documents = list(
        Document.objects.select_for_update().filter(
            dossier=dossier, kind__in=kinds, revoque_le__isnull=True
        )
    )
    now = timezone.now()
    for document in documents:
        document.revoque_le = now
        document.save(update_fields=["revoque_le"])
        event_add(
            dossier,
            Evenement.Kind.DOCUMENT_REVOQUE,
            visible_usager=True,
            texte=document.get_kind_display(),
            details={"document": document.pk, "kind": document.kind},
        )
    return documents


def documents_missing_queue(*, limit: int = 500, older_than: timedelta | None = None) -> int:
    """Queue again the generation of the documents without a file (a task that failed for good
    or was lost), only those created over ``older_than`` ago when given; return how many. A
    document queued twice is generated once."""
    missing = Document.objects.filter(
        fichier__isnull=True, revoque_le__isnull=True, dossier__anonymise_le__isnull=True
    )
    if older_than is not None:
        missing = missing.filter(cree_le__lt=timezone.now() - older_than)
    ids = list(missing.order_by("pk").values_list("pk", flat=True)[:limit])
    from socle.demarches.tasks import document_generate_run

    for document_id in ids:
        with transaction.atomic():
            task_enqueue(document_generate_run, document_id)
    return len(ids)


# --- The signing pair --------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningFiles:
    """Where the signing key and certificate are (PEM)."""

    key: Path
    cert: Path


def signing_files() -> SigningFiles:
    """Return the configured key and certificate, else the platform's own pair (made once, at
    first use, under DATA_DIR/signature/)."""
    key_file = getattr(settings, "DEMARCHES_SIGNING_KEY_FILE", None)
    cert_file = getattr(settings, "DEMARCHES_SIGNING_CERT_FILE", None)
    if key_file and cert_file:
        return SigningFiles(key=Path(key_file), cert=Path(cert_file))
    bundle = Path(settings.DATA_DIR) / SIGNATURE_FOLDER / SIGNATURE_BUNDLE
    if not bundle.exists():
        _signing_pair_create(bundle)
    return SigningFiles(key=bundle, cert=bundle)


def _signing_pair_pem() -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    # RSA rather than ECDSA: pyHanko marks a PDF signed with P-256 as PDF 2.0 (ISO 32002),
    # which a PDF/A-3 file (PDF 1.7) must not be.
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{settings.SITE_NAME} — documents"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, str(settings.SITE_NAME)[:64]),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=round(365.25 * SIGNATURE_YEARS)))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ) + cert.public_bytes(serialization.Encoding.PEM)


def _signing_pair_create(bundle: Path) -> None:
    """Write a new self-signed pair at ``bundle`` unless another process did first: it is
    written whole to a private file (O_EXCL, 0600), then linked into place (which fails if the
    name exists), so every process ends up using the same pair."""
    bundle.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = _signing_pair_pem()
    temporary = bundle.with_name(f".{bundle.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, bundle)
        except FileExistsError:
            return  # another process made it first: use theirs
        logger.info("documents: created the self-signed signing pair %s", bundle)
    finally:
        temporary.unlink(missing_ok=True)


def signing_certificate_pem() -> bytes:
    """Return the certificate that signs the documents (PEM), to publish or to trust."""
    pem = signing_files().cert.read_bytes()
    start = pem.find(b"-----BEGIN CERTIFICATE-----")
    return pem[start:] if start >= 0 else pem


# --- Rendering and signing ---------------------------------------------------------------------


def _weasyprint():
    """Import WeasyPrint, undoing what its import does to the whole process: it makes Pillow
    load truncated images, which the upload checks (core.fichiers, report photos) refuse."""
    import weasyprint
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def _url_fetcher():
    """WeasyPrint's resource fetcher: data: URIs only (nothing from the network or disk), and
    a resource that fails stops the rendering rather than leaving a hole."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=["data"], fail_on_errors=True)


def _qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#000000")


def _logo_data_uri(dossier: Dossier) -> str:
    logo = dossier.membre.logo
    if not logo:
        return ""
    name = (logo.name or "").lower()
    mime = "image/png" if name.endswith(".png") else "image/jpeg"
    if not name.endswith((".png", ".jpg", ".jpeg")):
        return ""
    try:
        with logo.open("rb") as handle:
            content = handle.read(2 * 1024 * 1024 + 1)
    except OSError:
        return ""
    if len(content) > 2 * 1024 * 1024:
        return ""
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def _decision(document: Document) -> Evenement | None:
    """The status change that asked for this document (the last one before it was created)."""
    return (
        document.dossier.evenements.filter(
            kind=Evenement.Kind.STATUT, cree_le__lte=document.cree_le
        )
        .order_by("-cree_le", "-pk")
        .first()
    )


def document_context(document: Document) -> dict[str, Any]:
    """Return what the PDF templates show."""
    dossier = document.dossier
    workflow = dossier.version.workflow
    couleur = dossier.membre.couleur
    context: dict[str, Any] = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "document": document,
        "dossier": dossier,
        "collectivite": dossier.membre.collectivite.nom,
        "service": dossier.service.nom if dossier.service_id and dossier.service else "",
        "demarche": dossier.version.titre,
        "couleur": couleur if re.fullmatch(r"#[0-9a-fA-F]{6}", couleur or "") else "#1f4e8c",
        "logo": _logo_data_uri(dossier),
        "emis_le": timezone.now(),
        "verification_page": absolute_url("demarches-site:verifier"),
        "verification_url": verification_url(document),
        "qr": _qr_data_uri(verification_url(document)),
    }
    if document.kind == Document.Kind.RECEPISSE:
        context["reponses"] = answers_display(dossier.version.formulaire, dossier.donnees)
    else:
        decision = _decision(document)
        statut = decision.statut_apres if decision else dossier.statut
        context["decision"] = wf.status_label(workflow, statut)
        context["decide_le"] = decision.cree_le if decision else dossier.decide_le
        context["motif"] = decision.texte if decision else dossier.motif
    return context


def html_to_pdf(html: str, *, identifier: bytes | None = None) -> bytes:
    """Render HTML to PDF/A (fonts embedded, no resource but data: URIs), unsigned."""
    return (
        _weasyprint()
        .HTML(string=html, url_fetcher=_url_fetcher())
        .write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=identifier)
    )


def document_pdf(document: Document) -> bytes:
    """Render a document to PDF/A (fonts embedded) and sign it (PAdES); return the bytes."""
    template = f"demarches/pdf/{document.kind}.html"
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, document_context(document))
    pdf = html_to_pdf(html, identifier=document.code.encode())
    return pdf_sign(
        pdf,
        reason=_("%(kind)s délivré par %(emetteur)s")
        % {"kind": document.get_kind_display(), "emetteur": document.emetteur},
        location=document.emetteur,
    )


_SIGNERS: dict[tuple, Any] = {}


def _signer():
    """Return the platform's pyHanko signer, loaded once per process (and again when its files
    change): loading an RSA key checks it, which costs more than signing with it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class PlatformSigner(signers.SimpleSigner):
        """pyHanko's SimpleSigner, with its key parsed once rather than at every signature."""

        private_key: Any = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            hash_algo = get_pyca_cryptography_hash(digest_algorithm)
            key = self.private_key
            if mechanism.signature_algo == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                return key.sign(data, padding.PKCS1v15(), hash_algo)
            if mechanism.signature_algo == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
                return key.sign(data, ec.ECDSA(hash_algo))
            return super().sign_raw(data, digest_algorithm)

    files = signing_files()
    cache_key = tuple(
        (str(path), path.stat().st_mtime_ns, path.stat().st_size)
        for path in (files.key, files.cert)
    )
    found = _SIGNERS.get(cache_key)
    if found is not None:
        return found
    loaded = signers.SimpleSigner.load(str(files.key), str(files.cert))
    if loaded is None:
        raise RuntimeError("the documents' signing key or certificate cannot be read")
    signer = PlatformSigner(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
    )
    signer.private_key = serialization.load_der_private_key(
        loaded.signing_key.dump(), password=None
    )
    _SIGNERS.clear()
    _SIGNERS[cache_key] = signer
    return signer


def pdf_sign(pdf: bytes, *, reason: str, location: str) -> bytes:
    """Sign a PDF with the platform's key (PAdES baseline, incremental: a PDF/A stays one)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.general import SigningError

    metadata = signers.PdfSignatureMetadata(
        field_name="Signature",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason[:200],
        location=location[:200],
        name=str(settings.SITE_NAME),
    )
    signer = _signer()

    def sign() -> bytes:
        try:
            # Room for the signature set aside up front: pyHanko need not sign twice to measure.
            return signers.sign_pdf(
                IncrementalPdfFileWriter(io.BytesIO(pdf)),
                metadata,
                signer=signer,
                bytes_reserved=SIGNATURE_BYTES_RESERVED,
            ).getvalue()
        except SigningError:
            # A configured certificate with a long chain: let pyHanko measure.
            return signers.sign_pdf(
                IncrementalPdfFileWriter(io.BytesIO(pdf)), metadata, signer=signer
            ).getvalue()

    # pyHanko's sign_pdf runs its own event loop (asyncio.run), which a thread that already
    # runs one (an ASGI server, a worker built on asyncio) may not start: sign in another
    # thread then.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return sign()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(sign).result()


# --- Generating a document (the task) ----------------------------------------------------------


def _file_name(document: Document) -> str:
    return f"{document.kind}-{document.dossier.reference}.pdf"


def document_generate(document: Document) -> bool:
    """Render, sign and store a document, then tell the citizen; return whether it was made
    now (False: already made, revoked, or its dossier anonymised). Runs in a task."""
    with transaction.atomic():
        document = (
            # Only the document's row: PostgreSQL locks no nullable side of an outer join.
            Document.objects.select_for_update(of=("self",))
            .select_related(
                "dossier__version",
                "dossier__membre__collectivite",
                "dossier__service",
                "dossier__usager",
            )
            .get(pk=document.pk)
        )
        dossier = document.dossier
        if document.fichier_id or document.revoque_le or dossier.anonymise_le:
            return False
        content = document_pdf(document)
        stored = fichier_store(
            content=content,
            nom=_file_name(document),
            type_mime="application/pdf",
            proprietaire=dossier.usager,
        )
        document.fichier = stored
        document.sha256 = stored.sha256
        document.genere_le = timezone.now()
        document.save(update_fields=["fichier", "sha256", "genere_le"])
        event_add(
            dossier,
            Evenement.Kind.DOCUMENT,
            visible_usager=True,
            texte=document.get_kind_display(),
            details={"document": document.pk, "kind": document.kind},
        )
        if document.kind == Document.Kind.ATTESTATION and dossier.usager is not None:
            mail_send(
                dossier,
                to=[dossier.usager.email],
                destinataire=Envoi.Destinataire.USAGER,
                subject=_("Votre attestation pour le dossier %(reference)s est prête")
                % {"reference": dossier.reference},
                template="attestation.txt",
                context={"document": document},
            )
    return True


# --- Serving a document ------------------------------------------------------------------------


def document_response(document: Document, *, attachment: bool = False) -> HttpResponse:
    """Return the decrypted PDF of a generated document (call after the access check)."""
    if document.fichier is None:
        raise ValueError("this document is not generated yet")
    response = HttpResponse(fichier_read(document.fichier), content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{_file_name(document)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    # A personal document: never kept by a shared cache.
    response["Cache-Control"] = "private, no-cache, no-store"
    return response


# --- Public verification -----------------------------------------------------------------------


def document_for_code(code: str) -> Document | None:
    """Return the document a (normalised) code names, or None."""
    normalised = document_code_normalise(code)
    if not normalised:
        return None
    return Document.objects.filter(code=normalised).first()


def document_matches(document: Document, content: bytes) -> bool:
    """Say whether a copy is byte for byte the issued document."""
    if not document.sha256:
        return False
    return hmac.compare_digest(hashlib.sha256(content).hexdigest(), document.sha256)


def verification_allowed(*, request: HttpRequest) -> bool:
    """Count a lookup on the public verification page by its IP; False over the hourly limit."""
    ip = client_ip(request)
    if not ip:
        return True
    limit = int(
        getattr(settings, "DEMARCHES_VERIFIER_LIMITE_IP_HEURE", VERIFICATION_LIMIT_PER_HOUR)
    )
    return rate_limit_hit(limits=[(rate_key("verifier-ip", ip), limit)])
