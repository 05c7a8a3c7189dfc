"""Reads of the citizen's file, always for one citizen given explicitly."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from socle.citoyen.models import Adresse, FichierChiffre, Piece, Proche, Profil
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


def fichier_owned_by(*, user, pk: int) -> FichierChiffre:
    """Return a stored file of the citizen; 404 otherwise."""
    found = FichierChiffre.objects.filter(proprietaire=user, pk=pk).first()
    if found is None:
        raise Http404
    return found
