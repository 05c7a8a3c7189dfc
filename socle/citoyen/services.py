"""Writes of the citizen's file. The citizen acts on his or her own file only: every function
takes the citizen (`usager`) and touches nothing else; views pass `request.user`.

Errors are one ValidationError holding a dict {field: [French messages]}, every field checked
in one round. No audit event: the citizen's own changes to his own file are not an
administrative act (and the audit trail would itself copy personal data).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socle.citoyen.chiffrement import fichier_delete, fichier_store, fichiers_delete, files_dir
from socle.citoyen.models import Adresse, FichierChiffre, Piece, Proche, Profil
from socle.citoyen.selectors import franceconnect_identity
from socle.core.dates import months_shift
from socle.core.fichiers import CheckedDocument, DocumentRefused, document_check
from socle.routage.adresse import Place

logger = logging.getLogger(__name__)

# Regions whose numbers are French: metropolitan France and the overseas territories.
FRENCH_REGIONS = ("FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF", "WF", "PF", "NC")
PROCHES_MAX = 20
ADRESSES_MAX = 10
PIECES_MAX = 50
# The formats a citizen may keep in his file.
PIECE_FORMATS = ["pdf", "jpeg", "png"]
OLDEST_BIRTH = date(1900, 1, 1)
POSTCODE = re.compile(r"^\d{5}$")


class _Errors:
    """Collect messages per field, then raise them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _text(errors: _Errors, field: str, value: Any, *, max_length: int, required: str | None) -> str:
    """A one-line text, trimmed; `required` is the message when it may not be empty."""
    text = re.sub(r"\s+", " ", str(value or "")).strip()
    if not text and required:
        errors.add(field, required)
    elif len(text) > max_length:
        errors.add(
            field,
            _("Ce texte est trop long (%(max)d caractères au plus).") % {"max": max_length},
        )
    return text


def phone_normalise(value: str) -> str:
    """Return a French phone number in E.164 (« +33612345678 »); raise ValueError otherwise.
    A number written the national way (« 0262… ») may be an overseas one: each French region
    is tried, metropolitan France first."""
    for region in FRENCH_REGIONS:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if (
            phonenumbers.is_valid_number(number)
            and phonenumbers.region_code_for_number(number) in FRENCH_REGIONS
        ):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise ValueError(value)


def _birth_check(errors: _Errors, field: str, value: date | None) -> None:
    if value is None:
        return
    if value > timezone.localdate():
        errors.add(field, _("La date de naissance ne peut pas être dans le futur."))
    elif value < OLDEST_BIRTH:
        errors.add(field, _("Vérifiez l’année de naissance."))


# --- Profile -----------------------------------------------------------------------------------


@transaction.atomic
def profil_update(*, usager, telephone: str, date_naissance: date | None) -> Profil:
    """Set the citizen's phone (French, stored E.164; empty to remove it) and birthdate (only
    when FranceConnect did not verify one: a verified birthdate is never overridden)."""
    errors = _Errors()
    telephone = (telephone or "").strip()
    if telephone:
        try:
            telephone = phone_normalise(telephone)
        except ValueError:
            errors.add(
                "telephone",
                _(
                    "Ce numéro de téléphone n’est pas un numéro français valide "
                    "(par exemple : 06 12 34 56 78)."
                ),
            )
    identity = franceconnect_identity(usager)
    verified = identity.birthdate if identity is not None else None
    if verified is not None and date_naissance is not None and date_naissance != verified:
        errors.add(
            "date_naissance",
            _(
                "Votre date de naissance est vérifiée par FranceConnect : elle ne peut pas être "
                "modifiée ici."
            ),
        )
    _birth_check(errors, "date_naissance", date_naissance)
    errors.raise_any()
    profil, _created = Profil.objects.select_for_update().get_or_create(usager=usager)
    profil.telephone = telephone
    # With a verified birthdate, the profile keeps none of its own.
    profil.date_naissance = None if verified is not None else date_naissance
    profil.modifie_le = timezone.now()
    profil.save(update_fields=["telephone", "date_naissance", "modifie_le"])
    return profil


# --- Household ---------------------------------------------------------------------------------


def _proche_clean(*, lien: str, prenom: str, nom: str, date_naissance: date | None) -> dict:
    errors = _Errors()
    if lien not in Proche.Lien.values:
        errors.add("lien", _("Choisissez le lien avec cette personne."))
    clean = {
        "lien": lien,
        "prenom": _text(
            errors, "prenom", prenom, max_length=100, required=_("Indiquez son prénom.")
        ),
        "nom": _text(errors, "nom", nom, max_length=100, required=_("Indiquez son nom.")),
        "date_naissance": date_naissance,
    }
    if lien == Proche.Lien.ENFANT and date_naissance is None:
        errors.add(
            "date_naissance",
            _("Indiquez la date de naissance de l’enfant : les démarches la demandent."),
        )
    _birth_check(errors, "date_naissance", date_naissance)
    errors.raise_any()
    return clean


@transaction.atomic
def proche_create(
    *, usager, lien: str, prenom: str, nom: str, date_naissance: date | None = None
) -> Proche:
    """Add a person to the citizen's household."""
    clean = _proche_clean(lien=lien, prenom=prenom, nom=nom, date_naissance=date_naissance)
    if Proche.objects.filter(usager=usager).count() >= PROCHES_MAX:
        raise ValidationError(
            _("Votre foyer compte déjà %(max)d personnes : c’est le maximum.")
            % {"max": PROCHES_MAX}
        )
    return Proche.objects.create(usager=usager, **clean)


@transaction.atomic
def proche_update(
    *, usager, proche: Proche, lien: str, prenom: str, nom: str, date_naissance: date | None
) -> Proche:
    """Change a person of the citizen's own household."""
    proche = _own(Proche, usager, proche)
    clean = _proche_clean(lien=lien, prenom=prenom, nom=nom, date_naissance=date_naissance)
    for key, value in clean.items():
        setattr(proche, key, value)
    proche.modifie_le = timezone.now()
    proche.save(update_fields=[*clean, "modifie_le"])
    return proche


@transaction.atomic
def proche_delete(*, usager, proche: Proche) -> None:
    """Remove a person from the citizen's own household."""
    _own(Proche, usager, proche).delete()


def _own(model, usager, row):
    """The row again, locked, when it is the citizen's; PermissionError otherwise (a view
    never gets here: it fetched the row through a `get_…_for_user` selector)."""
    found = model.objects.select_for_update().filter(pk=row.pk, usager=usager).first()
    if found is None:
        raise PermissionError("not the citizen's own row")
    return found


# --- Addresses ---------------------------------------------------------------------------------


def _adresse_clean(
    *, libelle: str, voie: str, complement: str, code_postal: str, commune_nom: str
) -> dict:
    errors = _Errors()
    clean = {
        "libelle": _text(
            errors,
            "libelle",
            libelle,
            max_length=60,
            required=_("Donnez un nom à cette adresse (par exemple : Domicile)."),
        ),
        "voie": _text(
            errors,
            "voie",
            voie,
            max_length=200,
            required=_("Indiquez le numéro et la voie (par exemple : 12 rue des Lilas)."),
        ),
        "complement": _text(errors, "complement", complement, max_length=200, required=None),
        "code_postal": re.sub(r"\s", "", str(code_postal or "")),
        "commune_nom": _text(
            errors, "commune_nom", commune_nom, max_length=200, required=_("Indiquez la commune.")
        ),
    }
    if not POSTCODE.match(clean["code_postal"]):
        errors.add("code_postal", _("Le code postal compte 5 chiffres (par exemple : 33600)."))
    errors.raise_any()
    return clean


def _geocode(lieu: Place | None) -> dict:
    """What the national address base told about the place chosen (nothing when none was)."""
    if lieu is None:
        return {"commune_code": "", "lat": None, "lon": None}
    return {"commune_code": lieu.citycode[:5], "lat": lieu.lat, "lon": lieu.lon}


def _principale_set(usager, adresse: Adresse) -> None:
    """Make this address the home one (the others stop being it first: one per citizen)."""
    Adresse.objects.filter(usager=usager, principale=True).exclude(pk=adresse.pk).update(
        principale=False
    )
    Adresse.objects.filter(pk=adresse.pk).update(principale=True)
    adresse.principale = True


@transaction.atomic
def adresse_create(
    *,
    usager,
    libelle: str,
    voie: str,
    complement: str = "",
    code_postal: str,
    commune_nom: str,
    principale: bool = False,
    lieu: Place | None = None,
) -> Adresse:
    """Add an address; `lieu` is the place the citizen chose among the national address base's
    suggestions (its commune code and point), None when kept as typed. The first address is
    the home one."""
    clean = _adresse_clean(
        libelle=libelle,
        voie=voie,
        complement=complement,
        code_postal=code_postal,
        commune_nom=commune_nom,
    )
    existing = list(Adresse.objects.select_for_update().filter(usager=usager))
    if len(existing) >= ADRESSES_MAX:
        raise ValidationError(
            _("Vous avez déjà %(max)d adresses : c’est le maximum.") % {"max": ADRESSES_MAX}
        )
    adresse = Adresse.objects.create(usager=usager, principale=False, **clean, **_geocode(lieu))
    if principale or not any(a.principale for a in existing):
        _principale_set(usager, adresse)
    return adresse


@transaction.atomic
def adresse_update(
    *,
    usager,
    adresse: Adresse,
    libelle: str,
    voie: str,
    complement: str = "",
    code_postal: str,
    commune_nom: str,
    principale: bool = False,
    lieu: Place | None = None,
) -> Adresse:
    """Change one of the citizen's addresses. The point and commune code come from `lieu`; when
    none is given and the address itself did not change, the ones found before are kept.
    The home address stays the home one until another becomes it."""
    adresse = _own(Adresse, usager, adresse)
    clean = _adresse_clean(
        libelle=libelle,
        voie=voie,
        complement=complement,
        code_postal=code_postal,
        commune_nom=commune_nom,
    )
    moved = any(
        getattr(adresse, key) != clean[key] for key in ("voie", "code_postal", "commune_nom")
    )
    fields = list(clean)
    if lieu is not None or moved:
        clean.update(_geocode(lieu))
        fields += ["commune_code", "lat", "lon"]
    for key, value in clean.items():
        setattr(adresse, key, value)
    adresse.modifie_le = timezone.now()
    adresse.save(update_fields=[*fields, "modifie_le"])
    if principale and not adresse.principale:
        _principale_set(usager, adresse)
    return adresse


@transaction.atomic
def adresse_delete(*, usager, adresse: Adresse) -> None:
    """Remove one of the citizen's addresses; when it was the home one, the oldest other one
    becomes it."""
    adresse = _own(Adresse, usager, adresse)
    was_home = adresse.principale
    adresse.delete()
    if was_home:
        other = Adresse.objects.filter(usager=usager).order_by("pk").first()
        if other is not None:
            _principale_set(usager, other)


# --- Reference documents ---------------------------------------------------------------------


def piece_default_validity(type: str, date_document: date | None) -> date | None:
    """How long a document of this type is taken, when the citizen gives no date:

    - justificatif de domicile: 3 months after the document's date (what procedures ask);
    - attestation CAF (quotient familial): the end of the document's calendar year (the CAF
      recomputes it each January);
    - avis d'imposition, attestation d'assurance: one year after the document's date (a new one
      comes every year);
    - pièce d'identité: none (the citizen gives the card's own end of validity);
    - livret de famille, RIB, other: no end.

    The document's date is the day it was issued; today when the citizen does not give it.
    """
    issued = date_document or timezone.localdate()
    if type == Piece.Type.JUSTIFICATIF_DOMICILE:
        return months_shift(issued, 3)
    if type == Piece.Type.ATTESTATION_CAF:
        return date(issued.year, 12, 31)
    if type in (Piece.Type.AVIS_IMPOSITION, Piece.Type.ASSURANCE):
        return months_shift(issued, 12)
    return None


def piece_check(
    *,
    usager,
    type: str,
    libelle: str,
    upload,
    valide_jusqu_au: date | None = None,
    date_document: date | None = None,
) -> CheckedDocument:
    """Check what `piece_add` is given, every field at once; return the checked file."""
    errors = _Errors()
    if type not in Piece.Type.values:
        errors.add("type", _("Choisissez le type de document."))
    _text(errors, "libelle", libelle, max_length=150, required=None)
    if date_document is not None and date_document > timezone.localdate():
        errors.add("date_document", _("La date du document ne peut pas être dans le futur."))
    if (
        valide_jusqu_au is not None
        and date_document is not None
        and valide_jusqu_au < date_document
    ):
        errors.add(
            "valide_jusqu_au", _("La fin de validité ne peut pas précéder la date du document.")
        )
    checked = None
    if upload is None:
        errors.add("fichier", _("Choisissez le fichier à ajouter."))
    else:
        try:
            checked = document_check(
                upload, limit=settings.CITOYEN_DOCUMENT_MAX_BYTES, accepted=PIECE_FORMATS
            )
        except DocumentRefused as refused:
            errors.add("fichier", refused.message)
    if Piece.objects.filter(usager=usager).count() >= PIECES_MAX:
        errors.add(
            "fichier",
            _("Votre dossier garde déjà %(max)d documents : supprimez-en un d’abord.")
            % {"max": PIECES_MAX},
        )
    errors.raise_any()
    assert checked is not None
    return checked


@transaction.atomic
def piece_add(
    *,
    usager,
    type: str,
    libelle: str,
    upload,
    valide_jusqu_au: date | None = None,
    date_document: date | None = None,
) -> Piece:
    """Check an uploaded document (its content tells its type: PDF, JPEG or PNG, at most
    CITOYEN_DOCUMENT_MAX_BYTES), store it encrypted, and add it to the citizen's file. Without
    `valide_jusqu_au`, the type's default validity applies (piece_default_validity)."""
    checked = piece_check(
        usager=usager,
        type=type,
        libelle=libelle,
        upload=upload,
        valide_jusqu_au=valide_jusqu_au,
        date_document=date_document,
    )
    if valide_jusqu_au is None:
        valide_jusqu_au = piece_default_validity(type, date_document)
    fichier = fichier_store(
        content=checked.content, nom=checked.name, type_mime=checked.mime, proprietaire=usager
    )
    return Piece.objects.create(
        usager=usager,
        type=type,
        libelle=re.sub(r"\s+", " ", libelle or "").strip(),
        fichier=fichier,
        valide_jusqu_au=valide_jusqu_au,
    )


@transaction.atomic
def piece_delete(*, usager, piece: Piece) -> None:
    """Remove a document from the citizen's file; its ciphertext goes once this commits
    (a copy attached to a dossier is another file and stays)."""
    piece = _own(Piece, usager, piece)
    fichier = piece.fichier
    piece.delete()
    fichier_delete(fichier)


# --- The whole file ----------------------------------------------------------------------------


@transaction.atomic
def citoyen_forget(*, usager) -> dict[str, int]:
    """Delete the citizen's whole file: profile, household, addresses, documents (their
    ciphertext once this commits); return counts. Files attached to dossiers belong to the
    démarches module, which forgets them its own way."""
    pieces = list(Piece.objects.select_for_update().filter(usager=usager).select_related("fichier"))
    # The documents first: their rows protect their files.
    Piece.objects.filter(pk__in=[piece.pk for piece in pieces]).delete()
    fichiers_delete(piece.fichier for piece in pieces)
    counts = {"pieces": len(pieces)}
    counts["proches"] = Proche.objects.filter(usager=usager).delete()[0]
    counts["adresses"] = Adresse.objects.filter(usager=usager).delete()[0]
    counts["profil"] = Profil.objects.filter(usager=usager).delete()[0]
    return counts


# --- Maintenance -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrphansReport:
    """How many orphan files were deleted, and how many files were too recent to judge."""

    deleted: int
    recent: int


def orphelins_delete(*, older_than: timedelta = timedelta(days=1), now=None) -> OrphansReport:
    """Delete the ciphertext files no FichierChiffre row names, once older than `older_than`
    (a rolled-back transaction leaves its file behind; a younger one may belong to a
    transaction still running)."""
    root = files_dir()
    if not root.is_dir():
        return OrphansReport(0, 0)
    cutoff = (now or timezone.now()).timestamp() - older_than.total_seconds()
    deleted = kept = 0
    batch: dict[str, Path] = {}

    def flush() -> int:
        known = set(
            FichierChiffre.objects.filter(chemin__in=list(batch)).values_list("chemin", flat=True)
        )
        removed = 0
        for chemin, path in batch.items():
            if chemin not in known:
                path.unlink(missing_ok=True)
                logger.info("orphan ciphertext removed: %s", chemin)
                removed += 1
        batch.clear()
        return removed

    for path in root.rglob("*"):
        if not path.is_file():
            continue
        if path.stat().st_mtime > cutoff:
            kept += 1
            continue
        batch[path.relative_to(root).as_posix()] = path
        if len(batch) >= 500:
            deleted += flush()
    if batch:
        deleted += flush()
    return OrphansReport(deleted, kept)
