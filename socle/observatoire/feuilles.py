"""Roadmaps: a member's ambition, its axes and the projects under them, its milestones; each
adopted version kept as it was (a snapshot); and the coherence view of the roadmaps of a
département or a région (side by side, overlaps, themes nobody covers, a map).

Writes follow docs/architecture.md: typed services taking `acting_user`, transactional,
permission checked, audited (`feuille.modification`, `feuille.adoption`). Reads take the member
explicitly.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from socle.membres.models import Membre
from socle.membres.permissions import permission_check
from socle.membres.services import acting_person, audit_record
from socle.observatoire import services, text
from socle.observatoire.models import (
    Contact,
    FeuilleAxe,
    FeuilleDeRoute,
    FeuilleJalon,
    FeuilleVersion,
    LogicielUsage,
    Projet,
)
from socle.observatoire.selectors import contacts_visibles
from socle.observatoire.themes import THEMES, theme_label
from socle.territoires.models import Collectivite, alphabetical

PERM_MODIFIER = "observatoire.feuille_modifier"
PERM_ADOPTER = "observatoire.feuille_adopter"

AMBITION_MAX = 5000
TITRE_MAX = 200
DESCRIPTION_MAX = 2000
INSTANCE_MAX = 300

# Two planned projects of different members are "the same thing" when they share a theme and
# their titles' French words (stemmed, stop words dropped: `text.words`) overlap by at least
# this Jaccard index: |A ∩ B| / |A ∪ B|. At 0.5, « Application de signalement voirie » and
# « Application signalement des problèmes de voirie » (3 words of 4 shared: 0.75) match;
# « Portail famille » and « Portail citoyen » (1 of 3: 0.33) do not.
SIMILAR_TITLE_THRESHOLD = 0.5

# What "planned" means for a project under a roadmap: not yet done, not given up.
PLANNED = frozenset({Projet.Statut.IDEE, Projet.Statut.EN_PROJET, Projet.Statut.EN_COURS})

# Members shown first in a territory: the widest collectivités, then communes.
KIND_ORDER = {"region": 0, "departement": 1, "epci": 2, "commune": 3}


# --- Writes ------------------------------------------------------------------------------------


def feuille_ensure(membre: Membre) -> FeuilleDeRoute:
    """Return the member's roadmap, made empty on first use."""
    feuille, _created = FeuilleDeRoute.objects.get_or_create(membre=membre)
    return feuille


def _touch(feuille: FeuilleDeRoute, acting_user, details: dict, *fields: str) -> None:
    """Save the roadmap's changed fields with who changed it and when, and audit the change."""
    feuille.modifie_le = timezone.now()
    feuille.modifie_par = acting_person(acting_user)
    feuille.save(update_fields=[*fields, "modifie_le", "modifie_par"])
    audit_record(
        acting_user=acting_user,
        membre=feuille.membre,
        action="feuille.modification",
        target=feuille,
        details=details,
    )


def _themes_clean(themes, errors: dict, key: str = "themes") -> list[str]:
    codes = [str(code) for code in (themes or [])]
    unknown = [code for code in codes if code not in THEMES]
    if unknown:
        errors[key] = _("Thème inconnu : %(code)s.") % {"code": unknown[0]}
    return list(dict.fromkeys(code for code in codes if code in THEMES))


def _date_clean(value, errors: dict, key: str = "date") -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors[key] = _("Saisissez une date valide (jj/mm/aaaa).")
        return None


@transaction.atomic
def feuille_update(*, acting_user, membre: Membre, ambition: str) -> FeuilleDeRoute:
    """Change the roadmap's ambition (the text that says where the member wants to go)."""
    permission_check(acting_user, PERM_MODIFIER, membre)
    ambition = (ambition or "").strip()
    if len(ambition) > AMBITION_MAX:
        raise ValidationError(
            {
                "ambition": _("L’ambition tient en %(max)d caractères au plus.")
                % {"max": AMBITION_MAX}
            }
        )
    feuille = feuille_ensure(membre)
    if feuille.ambition != ambition:
        feuille.ambition = ambition
        _touch(feuille, acting_user, {"ambition": True}, "ambition")
    return feuille


def _axe_clean(titre: str, description: str, themes) -> dict[str, Any]:
    errors: dict[str, str] = {}
    titre = (titre or "").strip()
    description = (description or "").strip()
    if not titre:
        errors["titre"] = _("Indiquez le titre de l’axe.")
    elif len(titre) > TITRE_MAX:
        errors["titre"] = _("Le titre tient en %(max)d caractères au plus.") % {"max": TITRE_MAX}
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("La description tient en %(max)d caractères au plus.") % {
            "max": DESCRIPTION_MAX
        }
    clean_themes = _themes_clean(themes, errors)
    if errors:
        raise ValidationError(errors)
    return {"titre": titre, "description": description, "themes": clean_themes}


@transaction.atomic
def axe_create(
    *, acting_user, membre: Membre, titre: str, description: str = "", themes=()
) -> FeuilleAxe:
    """Add an axis at the end of the member's roadmap."""
    permission_check(acting_user, PERM_MODIFIER, membre)
    clean = _axe_clean(titre, description, themes)
    feuille = feuille_ensure(membre)
    last = feuille.axes.aggregate(last=Max("ordre"))["last"]
    axe = FeuilleAxe.objects.create(feuille=feuille, ordre=0 if last is None else last + 1, **clean)
    _touch(feuille, acting_user, {"axe": axe.titre, "action": "ajout"})
    return axe


@transaction.atomic
def axe_update(
    *, acting_user, axe: FeuilleAxe, titre: str, description: str = "", themes=()
) -> FeuilleAxe:
    """Change an axis' title, description and themes."""
    permission_check(acting_user, PERM_MODIFIER, axe.feuille.membre)
    clean = _axe_clean(titre, description, themes)
    changed = [name for name, value in clean.items() if getattr(axe, name) != value]
    if changed:
        for name in changed:
            setattr(axe, name, clean[name])
        axe.save(update_fields=changed)
        _touch(axe.feuille, acting_user, {"axe": axe.titre, "action": "modification"})
    return axe


@transaction.atomic
def axe_delete(*, acting_user, axe: FeuilleAxe) -> None:
    """Remove an axis from the roadmap (its projects stay, they are only no longer under it)."""
    feuille = axe.feuille
    permission_check(acting_user, PERM_MODIFIER, feuille.membre)
    titre = axe.titre
    axe.delete()
    _touch(feuille, acting_user, {"axe": titre, "action": "suppression"})


@transaction.atomic
def axes_reorder(*, acting_user, membre: Membre, ordre: list[int]) -> None:
    """Put the roadmap's axes in this order (every axis id once)."""
    permission_check(acting_user, PERM_MODIFIER, membre)
    feuille = feuille_ensure(membre)
    axes = {axe.pk: axe for axe in feuille.axes.select_for_update()}
    if sorted(ordre) != sorted(axes):
        raise ValidationError(_("Donnez chaque axe de la feuille de route une fois."))
    changed = []
    for position, pk in enumerate(ordre):
        if axes[pk].ordre != position:
            axes[pk].ordre = position
            changed.append(axes[pk])
    if changed:
        FeuilleAxe.objects.bulk_update(changed, ["ordre"])
        _touch(feuille, acting_user, {"action": "ordre des axes"})


def axe_move(*, acting_user, axe: FeuilleAxe, offset: int) -> None:
    """Move an axis up (offset −1) or down (+1) among the roadmap's axes."""
    ids = list(axe.feuille.axes.values_list("pk", flat=True))
    index = ids.index(axe.pk)
    target = min(max(index + offset, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    axes_reorder(acting_user=acting_user, membre=axe.feuille.membre, ordre=ids)


def _projet_of_member(projet: Projet, membre_id: int) -> None:
    if projet.membre_id != membre_id:
        raise ValidationError({"projet": _("Ce projet n’est pas un projet de la collectivité.")})


@transaction.atomic
def axe_projet_attach(*, acting_user, axe: FeuilleAxe, projet: Projet) -> None:
    """Put one of the member's projects under an axis of its roadmap."""
    feuille = axe.feuille
    permission_check(acting_user, PERM_MODIFIER, feuille.membre)
    _projet_of_member(projet, feuille.membre_id)
    if not axe.projets.filter(pk=projet.pk).exists():
        axe.projets.add(projet)
        _touch(feuille, acting_user, {"axe": axe.titre, "projet": projet.titre, "action": "ajout"})


@transaction.atomic
def axe_projet_detach(*, acting_user, axe: FeuilleAxe, projet: Projet) -> None:
    """Take a project out of an axis (the project itself stays)."""
    feuille = axe.feuille
    permission_check(acting_user, PERM_MODIFIER, feuille.membre)
    if axe.projets.filter(pk=projet.pk).exists():
        axe.projets.remove(projet)
        _touch(
            feuille, acting_user, {"axe": axe.titre, "projet": projet.titre, "action": "retrait"}
        )


@transaction.atomic
def axe_projet_create(
    *,
    acting_user,
    axe: FeuilleAxe,
    titre: str,
    themes=None,
    statut: str = Projet.Statut.EN_PROJET,
) -> Projet:
    """Draft a new planned project of the member (through `services.projet_create`, so it is
    a draft the structure reviews before any publication) and put it under the axis.

    Without themes, the project takes the axis' themes.
    """
    feuille = axe.feuille
    permission_check(acting_user, PERM_MODIFIER, feuille.membre)
    projet = services.projet_create(
        acting_user=acting_user,
        membre=feuille.membre,
        titre=titre,
        themes=list(themes) if themes else list(axe.themes),
        statut=statut,
    )
    axe.projets.add(projet)
    _touch(feuille, acting_user, {"axe": axe.titre, "projet": projet.titre, "action": "création"})
    return projet


def _jalon_clean(titre: str, date, errors: dict) -> tuple[str, datetime.date | None]:
    titre = (titre or "").strip()
    if not titre:
        errors["titre"] = _("Indiquez l’intitulé du jalon.")
    elif len(titre) > TITRE_MAX:
        errors["titre"] = _("L’intitulé tient en %(max)d caractères au plus.") % {"max": TITRE_MAX}
    return titre, _date_clean(date, errors)


@transaction.atomic
def jalon_create(
    *, acting_user, membre: Membre, titre: str, date=None, atteint: bool = False
) -> FeuilleJalon:
    """Add a milestone to the member's roadmap."""
    permission_check(acting_user, PERM_MODIFIER, membre)
    errors: dict[str, str] = {}
    titre, day = _jalon_clean(titre, date, errors)
    if errors:
        raise ValidationError(errors)
    feuille = feuille_ensure(membre)
    last = feuille.jalons.aggregate(last=Max("ordre"))["last"]
    jalon = FeuilleJalon.objects.create(
        feuille=feuille,
        titre=titre,
        date=day,
        atteint=bool(atteint),
        ordre=0 if last is None else last + 1,
    )
    _touch(feuille, acting_user, {"jalon": titre, "action": "ajout"})
    return jalon


@transaction.atomic
def jalon_update(
    *, acting_user, jalon: FeuilleJalon, titre: str, date=None, atteint: bool = False
) -> FeuilleJalon:
    """Change a milestone (its title, date, and whether it is reached)."""
    feuille = jalon.feuille
    permission_check(acting_user, PERM_MODIFIER, feuille.membre)
    errors: dict[str, str] = {}
    titre, day = _jalon_clean(titre, date, errors)
    if errors:
        raise ValidationError(errors)
    values = {"titre": titre, "date": day, "atteint": bool(atteint)}
    changed = [name for name, value in values.items() if getattr(jalon, name) != value]
    if changed:
        for name in changed:
            setattr(jalon, name, values[name])
        jalon.save(update_fields=changed)
        _touch(feuille, acting_user, {"jalon": titre, "action": "modification"})
    return jalon


@transaction.atomic
def jalon_delete(*, acting_user, jalon: FeuilleJalon) -> None:
    """Remove a milestone from the roadmap."""
    feuille = jalon.feuille
    permission_check(acting_user, PERM_MODIFIER, feuille.membre)
    titre = jalon.titre
    jalon.delete()
    _touch(feuille, acting_user, {"jalon": titre, "action": "suppression"})


def feuille_snapshot(feuille: FeuilleDeRoute) -> dict[str, Any]:
    """Return the roadmap as it stands, as JSON-ready data (what an adopted version keeps).

    {"ambition": …, "axes": [{titre, description, themes, projets: [{id, titre, statut, themes,
    logiciels: [{id, nom}]}]}], "jalons": [{titre, date (ISO or None), atteint}]}
    """
    if feuille.pk is None:
        return {"ambition": feuille.ambition, "axes": [], "jalons": []}
    projets = Projet.objects.prefetch_related("logiciels").order_by("titre", "pk")
    axes = feuille.axes.prefetch_related(Prefetch("projets", queryset=projets))
    return {
        "ambition": feuille.ambition,
        "axes": [
            {
                "titre": axe.titre,
                "description": axe.description,
                "themes": list(axe.themes),
                "projets": [
                    {
                        "id": projet.pk,
                        "titre": projet.titre,
                        "statut": projet.statut,
                        "themes": list(projet.themes),
                        "logiciels": [
                            {"id": logiciel.pk, "nom": logiciel.nom}
                            for logiciel in sorted(projet.logiciels.all(), key=lambda x: x.nom)
                        ],
                    }
                    for projet in axe.projets.all()
                ],
            }
            for axe in axes
        ],
        "jalons": [
            {
                "titre": jalon.titre,
                "date": jalon.date.isoformat() if jalon.date else None,
                "atteint": jalon.atteint,
            }
            for jalon in feuille.jalons.all()
        ],
    }


@transaction.atomic
def feuille_adopt(*, acting_user, membre: Membre, instance: str) -> FeuilleVersion:
    """Record that the roadmap as it stands was adopted (by `instance`: "Conseil municipal du
    12 mars 2026"), as its next numbered version, kept unchanged from then on.

    Two adoptions at once get two numbers: the roadmap's row is locked while the number is
    taken (PostgreSQL; SQLite's transactions are IMMEDIATE, one writer at a time), and the
    (roadmap, number) pair is unique in the database.
    """
    permission_check(acting_user, PERM_ADOPTER, membre)
    instance = (instance or "").strip()
    if not instance:
        raise ValidationError(
            {
                "instance": _(
                    "Indiquez l’instance qui a adopté la feuille de route (par exemple "
                    "« Conseil municipal du 12 mars 2026 »)."
                )
            }
        )
    if len(instance) > INSTANCE_MAX:
        raise ValidationError(
            {"instance": _("Tenez-vous en à %(max)d caractères.") % {"max": INSTANCE_MAX}}
        )
    feuille = FeuilleDeRoute.objects.select_for_update().get(pk=feuille_ensure(membre).pk)
    contenu = feuille_snapshot(feuille)
    if not contenu["ambition"] and not contenu["axes"]:
        raise ValidationError(
            _(
                "La feuille de route est vide : écrivez son ambition ou ajoutez un axe avant "
                "d’en adopter une version."
            )
        )
    adopter = acting_person(acting_user)
    for attempt in range(3):
        numero = (feuille.versions.aggregate(last=Max("numero"))["last"] or 0) + 1
        try:
            with transaction.atomic():
                version = FeuilleVersion.objects.create(
                    feuille=feuille,
                    numero=numero,
                    adoptee_par=adopter,
                    instance=instance,
                    contenu=contenu,
                )
            break
        except IntegrityError:
            if attempt == 2:
                raise
    audit_record(
        acting_user=acting_user,
        membre=membre,
        action="feuille.adoption",
        target=feuille,
        details={"version": version.numero, "instance": instance},
    )
    return version


# --- Reads -------------------------------------------------------------------------------------


def feuille_of(*, membre: Membre) -> FeuilleDeRoute:
    """Return the member's roadmap (an unsaved empty one when it has none yet)."""
    feuille = FeuilleDeRoute.objects.filter(membre=membre).first()
    return feuille if feuille is not None else FeuilleDeRoute(membre=membre)


def feuille_axes(feuille: FeuilleDeRoute) -> list[FeuilleAxe]:
    """Return the roadmap's axes in order, with their projects and the projects' software."""
    if feuille.pk is None:
        return []
    projets = Projet.objects.prefetch_related("logiciels").order_by("titre", "pk")
    return list(feuille.axes.prefetch_related(Prefetch("projets", queryset=projets)))


def feuille_jalons(feuille: FeuilleDeRoute) -> list[FeuilleJalon]:
    """Return the roadmap's milestones, by date."""
    return [] if feuille.pk is None else list(feuille.jalons.all())


def feuille_versions(*, membre: Membre) -> QuerySet[FeuilleVersion]:
    """Return the member's adopted versions, newest first."""
    return FeuilleVersion.objects.filter(feuille__membre=membre).select_related("adoptee_par")


def feuille_version_get(*, membre: Membre, numero: int) -> FeuilleVersion:
    """Return one adopted version of the member's roadmap, or raise Http404."""
    version = feuille_versions(membre=membre).filter(numero=numero).first()
    if version is None:
        raise Http404
    return version


def get_axe_for_membre(*, membre: Membre, pk) -> FeuilleAxe:
    """Return an axis of this member's roadmap, or raise Http404."""
    number = _int_or_none(pk)
    axe = (
        FeuilleAxe.objects.select_related("feuille__membre")
        .filter(feuille__membre=membre, pk=number)
        .first()
        if number is not None
        else None
    )
    if axe is None:
        raise Http404
    return axe


def get_jalon_for_membre(*, membre: Membre, pk) -> FeuilleJalon:
    """Return a milestone of this member's roadmap, or raise Http404."""
    number = _int_or_none(pk)
    jalon = (
        FeuilleJalon.objects.select_related("feuille__membre")
        .filter(feuille__membre=membre, pk=number)
        .first()
        if number is not None
        else None
    )
    if jalon is None:
        raise Http404
    return jalon


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def projets_rattachables(*, membre: Membre) -> QuerySet[Projet]:
    """Return the member's projects that may go under an axis of its roadmap."""
    return Projet.objects.filter(membre=membre).exclude(statut=Projet.Statut.ABANDONNE)


# --- Coherence of a territory's roadmaps -------------------------------------------------------


@dataclass
class MembreConcerne:
    """A member in an overlap: its projects concerned and the people to connect."""

    membre: Membre
    nom: str
    ancre: str
    projets: list[str]
    # Contact people whose consent holds (projects' contacts, the software's referent).
    contacts: list[Contact]
    # The collectivité's generic address and site (accueil@…), never a person's.
    email: str
    site_web: str


@dataclass
class Chevauchement:
    """Several members planning the same software or the same thing: an opportunity to pool."""

    kind: str  # "logiciel" or "projet"
    titre: str
    themes: list[str]
    membres: list[MembreConcerne]


@dataclass
class FeuilleZone:
    """A member's roadmap as the coherence view shows it."""

    membre: Membre
    nom: str
    ancre: str
    # The latest adopted version (its number and date), or None: « projet de feuille de route ».
    version: int | None
    adoptee_le: datetime.datetime | None
    instance: str
    # The roadmap was changed after its latest adoption (a revision under way).
    revisee: bool
    ambition: str
    axes: list[dict[str, Any]]
    themes: list[str]
    logiciels: list[str]

    @property
    def etat(self) -> str:
        return feuille_etat_label(self)

    @property
    def themes_labels(self) -> list[str]:
        return [theme_label(code) for code in self.themes]


@dataclass
class Coherence:
    """The roadmaps of a département or a région, side by side, and what they tell together."""

    zone: Collectivite
    feuilles: list[FeuilleZone]
    # Members of the territory without a roadmap yet.
    sans_feuille: list[Membre]
    chevauchements: list[Chevauchement]
    # (code, label) of the themes no roadmap of the territory covers.
    themes_non_couverts: list[tuple[str, str]]
    # One point per member with coordinates: {nom, lat, lon, etat, ancre}.
    points: list[dict[str, Any]] = field(default_factory=list)


def membre_zone_codes(membre: Membre) -> tuple[str, str]:
    """Return the member's (département code, région code): a commune or an EPCI has both, a
    département is its own and has its région's, a région has no département."""
    collectivite = membre.collectivite
    departement = collectivite if collectivite.kind == "departement" else collectivite.departement
    region = collectivite if collectivite.kind == "region" else collectivite.region
    if region is None and departement is not None:
        region = departement.region
    return (
        departement.code if departement is not None else "",
        region.code if region is not None else "",
    )


def membres_of_zone(*, departement_code: str = "", region_code: str = "") -> list[Membre]:
    """Return the active members of a département (its communes, EPCIs and the département
    itself) or of a région (the same, and the région itself), widest first."""
    rows = Membre.objects.filter(active=True).select_related(
        "collectivite", "collectivite__departement", "collectivite__region", "acteur_observatoire"
    )
    if departement_code:
        rows = rows.filter(
            Q(collectivite__departement__code=departement_code)
            | Q(collectivite__kind="departement", collectivite__code=departement_code)
        )
    else:
        rows = rows.filter(
            Q(collectivite__region__code=region_code)
            | Q(collectivite__kind="region", collectivite__code=region_code)
        )
    return sorted(
        rows,
        key=lambda m: (KIND_ORDER.get(m.collectivite.kind, 9), alphabetical(m.collectivite.nom)),
    )


def zones() -> dict[str, list[Collectivite]]:
    """Return the départements and régions where at least one member is, for the choice of
    the coherence view: {"departement": […], "region": […]}."""
    departements: set[str] = set()
    regions: set[str] = set()
    for membre in Membre.objects.filter(active=True).select_related(
        "collectivite", "collectivite__departement", "collectivite__region"
    ):
        departement, region = membre_zone_codes(membre)
        if departement:
            departements.add(departement)
        if region:
            regions.add(region)
    return {
        "departement": list(
            Collectivite.objects.filter(kind="departement", code__in=departements)
            .select_related("region")
            .order_by("code")
        ),
        "region": list(Collectivite.objects.filter(kind="region", code__in=regions)),
    }


def _logiciel_key(logiciel) -> tuple[str, str]:
    """Return (key, name) of a snapshot's software, a dict {id, nom} or a name."""
    nom = str(logiciel.get("nom", "")) if isinstance(logiciel, dict) else str(logiciel)
    return slugify(nom)[:80], nom


def _contenu_projets(contenu: dict) -> list[dict]:
    """Return the distinct projects of a roadmap's content (a project may sit under two axes)."""
    seen: dict[Any, dict] = {}
    for axe in contenu.get("axes", []):
        for projet in axe.get("projets", []):
            seen.setdefault(projet.get("id") or projet.get("titre"), projet)
    return list(seen.values())


def contenu_lisible(contenu: dict) -> dict[str, Any]:
    """Return a roadmap's content (a snapshot) ready to show: names of themes, statuses and
    software instead of codes."""
    statuts = dict(Projet.Statut.choices)
    return {
        "ambition": contenu.get("ambition", ""),
        "axes": [
            {
                "titre": axe.get("titre", ""),
                "description": axe.get("description", ""),
                "themes": [theme_label(code) for code in axe.get("themes", [])],
                "projets": [
                    {
                        "titre": projet.get("titre", ""),
                        "statut": str(statuts.get(projet.get("statut"), projet.get("statut", ""))),
                        "logiciels": [
                            _logiciel_key(logiciel)[1] for logiciel in projet.get("logiciels", [])
                        ],
                    }
                    for projet in axe.get("projets", [])
                ],
            }
            for axe in contenu.get("axes", [])
        ],
        "jalons": [
            {
                "titre": jalon.get("titre", ""),
                "date": _date_or_none(jalon.get("date")),
                "atteint": bool(jalon.get("atteint")),
            }
            for jalon in contenu.get("jalons", [])
        ],
    }


def _date_or_none(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _feuille_zone(membre: Membre, feuille: FeuilleDeRoute, version, contenu: dict) -> FeuilleZone:
    themes: set[str] = set()
    logiciels: dict[str, str] = {}
    for axe in contenu.get("axes", []):
        themes.update(axe.get("themes", []))
        for projet in axe.get("projets", []):
            themes.update(projet.get("themes", []))
            for logiciel in projet.get("logiciels", []):
                key, nom = _logiciel_key(logiciel)
                logiciels.setdefault(key, nom)
    return FeuilleZone(
        membre=membre,
        nom=membre.collectivite.nom,
        ancre=f"feuille-{membre.slug}",
        version=version.numero if version is not None else None,
        adoptee_le=version.adoptee_le if version is not None else None,
        instance=version.instance if version is not None else "",
        revisee=version is not None and feuille.modifie_le > version.adoptee_le,
        ambition=contenu.get("ambition", ""),
        axes=contenu_lisible(contenu)["axes"],
        themes=[code for code in THEMES if code in themes],
        logiciels=sorted(logiciels.values(), key=alphabetical),
    )


def _reach(membre: Membre) -> tuple[str, str]:
    """The member's generic address and site: its actor's (typed in by the structure), else
    its collectivité's (the Annuaire de l'administration's)."""
    acteur = getattr(membre, "acteur_observatoire", None)
    email = (acteur.email if acteur is not None else "") or membre.collectivite.email or ""
    site = (acteur.site_web if acteur is not None else "") or membre.collectivite.site_web or ""
    return email, site


def _people(membre: Membre, projet_ids: list[int], logiciel_key: str = "") -> list[Contact]:
    """The consented contact people of the member's projects concerned (and the member's
    referent of the software), each once."""
    people: dict[int, Contact] = {}
    for projet in Projet.objects.filter(membre=membre, pk__in=projet_ids):
        for contact in contacts_visibles(projet=projet):
            people.setdefault(contact.pk, contact)
    if logiciel_key:
        usages = LogicielUsage.objects.filter(
            acteur__membre=membre, logiciel__slug=logiciel_key, contact__isnull=False
        ).select_related("contact")
        for usage in usages:
            if usage.contact is not None and usage.contact.visible:
                people.setdefault(usage.contact.pk, usage.contact)
    return sorted(people.values(), key=lambda contact: alphabetical(contact.nom))


def _concernes(
    by_member: dict[int, list[dict]], members: dict[int, Membre], logiciel_key: str = ""
) -> list[MembreConcerne]:
    result = []
    for membre_pk, projets in by_member.items():
        membre = members[membre_pk]
        email, site = _reach(membre)
        ids = [projet["id"] for projet in projets if isinstance(projet.get("id"), int)]
        result.append(
            MembreConcerne(
                membre=membre,
                nom=membre.collectivite.nom,
                ancre=f"feuille-{membre.slug}",
                projets=sorted({str(projet.get("titre", "")) for projet in projets}),
                contacts=_people(membre, ids, logiciel_key),
                email=email,
                site_web=site,
            )
        )
    return sorted(result, key=lambda item: alphabetical(item.nom))


def _software_overlaps(
    contenus: dict[int, dict], members: dict[int, Membre]
) -> list[Chevauchement]:
    """The same software planned or used by projects of at least two members' roadmaps."""
    users: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    themes: dict[str, set[str]] = defaultdict(set)
    for membre_pk, contenu in contenus.items():
        for projet in _contenu_projets(contenu):
            if projet.get("statut") == Projet.Statut.ABANDONNE:
                continue
            for logiciel in projet.get("logiciels", []):
                key, nom = _logiciel_key(logiciel)
                if not key:
                    continue
                names.setdefault(key, nom)
                users[key][membre_pk].append(projet)
                themes[key].update(projet.get("themes", []))
    return [
        Chevauchement(
            kind="logiciel",
            titre=names[key],
            themes=[theme_label(code) for code in THEMES if code in themes[key]],
            membres=_concernes(by_member, members, logiciel_key=key),
        )
        for key, by_member in sorted(users.items(), key=lambda item: alphabetical(names[item[0]]))
        if len(by_member) >= 2
    ]


def jaccard(first: set[str], second: set[str]) -> float:
    """Return |A ∩ B| / |A ∪ B| (0 for two empty sets)."""
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def _similar_overlaps(contenus: dict[int, dict], members: dict[int, Membre]) -> list[Chevauchement]:
    """Planned projects of different members sharing a theme and most of their title's words,
    grouped (if A is like B and B like C, the three are one overlap)."""
    items: list[tuple[int, dict, set[str], set[str]]] = []
    for membre_pk, contenu in contenus.items():
        for projet in _contenu_projets(contenu):
            if projet.get("statut") not in PLANNED:
                continue
            words = set(text.words(str(projet.get("titre", ""))))
            if words:
                items.append((membre_pk, projet, words, set(projet.get("themes", []))))
    # Candidate pairs share at least one word (a Jaccard index above 0 needs one).
    by_word: dict[str, list[int]] = defaultdict(list)
    for index, (_m, _p, words, _t) in enumerate(items):
        for word in words:
            by_word[word].append(index)
    parent = list(range(len(items)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    shared_themes: dict[int, set[str]] = defaultdict(set)
    seen: set[tuple[int, int]] = set()
    for indexes in by_word.values():
        for position, first in enumerate(indexes):
            for second in indexes[position + 1 :]:
                pair = (first, second)
                if pair in seen:
                    continue
                seen.add(pair)
                a, b = items[first], items[second]
                common = a[3] & b[3]
                if a[0] == b[0] or not common:
                    continue
                if jaccard(a[2], b[2]) >= SIMILAR_TITLE_THRESHOLD:
                    shared_themes[first] |= common
                    shared_themes[second] |= common
                    parent[root(first)] = root(second)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in shared_themes:
        groups[root(index)].append(index)
    overlaps = []
    for indexes in groups.values():
        by_member: dict[int, list[dict]] = defaultdict(list)
        themes: set[str] = set()
        for index in indexes:
            by_member[items[index][0]].append(items[index][1])
            themes |= shared_themes[index]
        if len(by_member) < 2:
            continue
        titles = sorted(str(items[index][1].get("titre", "")) for index in indexes)
        overlaps.append(
            Chevauchement(
                kind="projet",
                titre=titles[0],
                themes=[theme_label(code) for code in THEMES if code in themes],
                membres=_concernes(by_member, members),
            )
        )
    return sorted(overlaps, key=lambda overlap: alphabetical(overlap.titre))


def _place(membre: Membre) -> tuple[float | None, float | None]:
    """A member's place on the map: its collectivité's (the mairie), else its observatory
    actor's (an EPCI, a département: the middle of its communes)."""
    collectivite = membre.collectivite
    if collectivite.latitude is not None and collectivite.longitude is not None:
        return collectivite.latitude, collectivite.longitude
    acteur = getattr(membre, "acteur_observatoire", None)
    if acteur is not None:
        return acteur.latitude, acteur.longitude
    return None, None


def coherence(*, departement_code: str | None = None, region_code: str | None = None) -> Coherence:
    """Return the roadmaps of a département's or a région's members side by side, with their
    overlaps (same software; similar planned projects), the themes none covers, and the
    members' places for a map. Raise Http404 for an unknown territory.

    A member's roadmap is its latest adopted version when it has one, else the roadmap as it
    is being written (« projet de feuille de route »); a member whose roadmap is still empty is
    listed apart.
    """
    if bool(departement_code) == bool(region_code):
        raise ValueError("give a département or a région")
    kind = "departement" if departement_code else "region"
    zone = Collectivite.objects.filter(kind=kind, code=departement_code or region_code).first()
    if zone is None:
        raise Http404
    membres = membres_of_zone(
        departement_code=departement_code or "", region_code=region_code or ""
    )
    by_pk = {membre.pk: membre for membre in membres}
    feuilles = {
        feuille.membre_id: feuille for feuille in FeuilleDeRoute.objects.filter(membre__in=membres)
    }
    latest = FeuilleVersion.objects.filter(feuille=OuterRef("feuille")).order_by("-numero")
    versions = {
        version.feuille_id: version
        for version in FeuilleVersion.objects.filter(
            feuille__in=feuilles.values(), pk=Subquery(latest.values("pk")[:1])
        )
    }
    shown: list[FeuilleZone] = []
    sans_feuille: list[Membre] = []
    contenus: dict[int, dict] = {}
    for membre in membres:
        feuille = feuilles.get(membre.pk)
        version = versions.get(feuille.pk) if feuille is not None else None
        if feuille is None:
            sans_feuille.append(membre)
            continue
        contenu = version.contenu if version is not None else feuille_snapshot(feuille)
        item = _feuille_zone(membre, feuille, version, contenu)
        if version is None and not item.ambition and not item.axes:
            sans_feuille.append(membre)
            continue
        shown.append(item)
        contenus[membre.pk] = contenu
    covered = {code for item in shown for code in item.themes}
    points = []
    for membre in membres:
        lat, lon = _place(membre)
        if lat is None or lon is None:
            continue
        placed = next((f for f in shown if f.membre.pk == membre.pk), None)
        points.append(
            {
                "nom": membre.collectivite.nom,
                "lat": lat,
                "lon": lon,
                "etat": feuille_etat_label(placed),
                "ancre": f"#{placed.ancre}" if placed is not None else "",
            }
        )
    return Coherence(
        zone=zone,
        feuilles=shown,
        sans_feuille=sans_feuille,
        chevauchements=[
            *_software_overlaps(contenus, by_pk),
            *_similar_overlaps(contenus, by_pk),
        ],
        themes_non_couverts=[
            (code, str(label)) for code, label in THEMES.items() if code not in covered
        ],
        points=points,
    )


def feuille_etat_label(item: FeuilleZone | None) -> str:
    """Say where a roadmap stands: « Version 2 adoptée le 3 mars 2026 », « Projet de feuille de
    route », or « Pas encore de feuille de route »."""
    if item is None:
        return _("Pas encore de feuille de route")
    if item.version is None or item.adoptee_le is None:
        return _("Projet de feuille de route")
    return _("Version %(n)d adoptée le %(d)s") % {
        "n": item.version,
        "d": date_format(timezone.localtime(item.adoptee_le), "j F Y"),
    }
