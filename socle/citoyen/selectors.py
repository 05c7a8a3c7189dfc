"""Reads of the citizen's file, always for one citizen given explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from socle.citoyen.chiffrement import FichierIllisible, fichier_read
from socle.citoyen.models import Adresse, Piece, Proche, Profil
from socle.comptes.models import Identity

# The sources a form field may be pre-filled from (its "prerempli" key), and what they give.
PREFILL_SOURCES = {
    "usager.prenom": "Prénom",
    "usager.nom": "Nom",
    "usager.email": "Adresse électronique",
    "usager.telephone": "Téléphone",
    "usager.date_naissance": "Date de naissance",
    "adresse.principale": "Adresse du domicile",
    "adresse.commune": "Commune du domicile",
    "foyer.enfants": "Enfants du foyer (bloc répété)",
    "foyer.conjoint": "Conjoint (bloc répété)",
    # Inside a repeated block pre-filled from the household:
    "proche.prenom": "Prénom du proche",
    "proche.nom": "Nom du proche",
    "proche.date_naissance": "Date de naissance du proche",
}


def franceconnect_identity(user) -> Identity | None:
    """Return the citizen's latest FranceConnect identity, if any."""
    return (
        Identity.objects.filter(user=user, provider=Identity.Provider.FRANCECONNECT)
        .order_by("-verified_at")
        .first()
    )


def profil_of(user) -> Profil | None:
    """Return the citizen's profile row, if any."""
    return Profil.objects.filter(usager=user).first()


def proches_of(user) -> QuerySet[Proche]:
    """Return the citizen's household."""
    return Proche.objects.filter(usager=user)


def adresses_of(user) -> QuerySet[Adresse]:
    """Return the citizen's addresses, home first."""
    return Adresse.objects.filter(usager=user)


def pieces_of(user, *, type: str | None = None) -> QuerySet[Piece]:
    """Return the citizen's reference documents (of one type when given), newest first."""
    found = Piece.objects.filter(usager=user).select_related("fichier")
    if type:
        found = found.filter(type=type)
    return found.order_by("type", "-cree_le", "-pk")


def get_piece_for_user(*, user, pk: int) -> Piece:
    """Return one of the citizen's own documents; 404 for anyone else's."""
    piece = Piece.objects.filter(usager=user, pk=pk).select_related("fichier").first()
    if piece is None:
        raise Http404
    return piece


def get_proche_for_user(*, user, pk: int) -> Proche:
    """Return a person of the citizen's own household; 404 for anyone else's."""
    found = proches_of(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def get_adresse_for_user(*, user, pk: int) -> Adresse:
    """Return one of the citizen's own addresses; 404 for anyone else's."""
    found = adresses_of(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def address_answer(adresse: Adresse) -> dict[str, Any]:
    """Return an address as a form's address field stores it."""
    return {
        "label": f"{adresse.voie}, {adresse.code_postal} {adresse.commune_nom}",
        "voie": adresse.voie,
        "complement": adresse.complement,
        "code_postal": adresse.code_postal,
        "commune": adresse.commune_nom,
        "commune_code": adresse.commune_code,
        "lat": adresse.lat,
        "lon": adresse.lon,
    }


def _proche(proche: Proche) -> dict[str, Any]:
    return {
        "proche.prenom": proche.prenom,
        "proche.nom": proche.nom,
        "proche.date_naissance": proche.date_naissance.isoformat() if proche.date_naissance else "",
    }


def prefill_sources(user) -> tuple[dict[str, Any], set[str]]:
    """Return what the citizen's file holds for each pre-fill source (missing ones left out),
    and the sources FranceConnect verified."""
    values: dict[str, Any] = {}
    verified: set[str] = set()
    identity = franceconnect_identity(user)
    profil = profil_of(user)
    first = (identity.given_name if identity else "") or user.first_name
    last = (identity.family_name if identity else "") or user.last_name
    if first:
        values["usager.prenom"] = first
    if last:
        values["usager.nom"] = last
    if identity is not None:
        verified |= {"usager.prenom", "usager.nom"} & set(values)
    if user.email and not user.has_placeholder_email:
        values["usager.email"] = user.email
    if profil is not None and profil.telephone:
        values["usager.telephone"] = profil.telephone
    birth = identity.birthdate if identity is not None and identity.birthdate else None
    if birth is not None:
        verified.add("usager.date_naissance")
    elif profil is not None:
        birth = profil.date_naissance
    if birth is not None:
        values["usager.date_naissance"] = birth.isoformat()
    home = adresses_of(user).first()
    if home is not None:
        values["adresse.principale"] = address_answer(home)
        if home.commune_code:
            values["adresse.commune"] = {"code": home.commune_code, "nom": home.commune_nom}
    proches = list(proches_of(user))
    children = [_proche(p) for p in proches if p.lien == Proche.Lien.ENFANT]
    spouses = [_proche(p) for p in proches if p.lien == Proche.Lien.CONJOINT]
    if children:
        values["foyer.enfants"] = children
    if spouses:
        values["foyer.conjoint"] = spouses
    return values, verified


@dataclass(frozen=True)
class Resume:
    """What « Mon espace » shows of the citizen's file."""

    identity: Identity | None
    profil: Profil | None
    proches: int
    adresses: list[Adresse]
    pieces: int
    pieces_expirees: int


def citoyen_summary(user) -> Resume:
    """Return the summary of the citizen's file for « Mon espace »."""
    pieces = Piece.objects.filter(usager=user).aggregate(
        n=Count("pk"), expirees=Count("pk", filter=Q(valide_jusqu_au__lt=timezone.localdate()))
    )
    return Resume(
        identity=franceconnect_identity(user),
        profil=profil_of(user),
        proches=proches_of(user).count(),
        adresses=list(adresses_of(user)),
        pieces=pieces["n"],
        pieces_expirees=pieces["expirees"],
    )


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None


def citoyen_export(user) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Return the citizen's file ready for JSON (profile, household, addresses, documents'
    metadata) and the documents' clear content by their path in the archive. A document that
    can no longer be decrypted is listed with `"illisible": true` and no file."""
    profil = profil_of(user)
    data: dict[str, Any] = {
        "profil": None
        if profil is None
        else {
            "telephone": profil.telephone,
            "date_naissance": _day(profil.date_naissance),
            "modifie_le": profil.modifie_le.isoformat(),
        },
        "foyer": [
            {
                "lien": proche.lien,
                "lien_libelle": str(proche.get_lien_display()),
                "prenom": proche.prenom,
                "nom": proche.nom,
                "date_naissance": _day(proche.date_naissance),
            }
            for proche in proches_of(user)
        ],
        "adresses": [
            {
                "libelle": adresse.libelle,
                "voie": adresse.voie,
                "complement": adresse.complement,
                "code_postal": adresse.code_postal,
                "commune": adresse.commune_nom,
                "commune_code": adresse.commune_code,
                "lat": adresse.lat,
                "lon": adresse.lon,
                "principale": adresse.principale,
            }
            for adresse in adresses_of(user)
        ],
        "pieces": [],
    }
    files: dict[str, bytes] = {}
    for piece in pieces_of(user):
        fichier = piece.fichier
        entry: dict[str, Any] = {
            "type": piece.type,
            "type_libelle": str(piece.get_type_display()),
            "libelle": piece.libelle,
            "nom": fichier.nom,
            "type_mime": fichier.type_mime,
            "taille": fichier.taille,
            "sha256": fichier.sha256,
            "valide_jusqu_au": _day(piece.valide_jusqu_au),
            "expiree": piece.expiree,
            "ajoutee_le": piece.cree_le.isoformat(),
        }
        try:
            content = fichier_read(fichier)
        except FichierIllisible:
            entry["illisible"] = True
        else:
            path = f"pieces/{piece.pk}-{fichier.nom}"
            files[path] = content
            entry["fichier"] = path
        data["pieces"].append(entry)
    return data, files
