"""Reads of reports: what the public sees, what an agent's queue holds, categories at a place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from math import cos, radians

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from socle.core.models import OutboxMessage
from socle.core.outbox import MAX_ATTEMPTS
from socle.membres.models import Membre, Role
from socle.membres.permissions import grants_for
from socle.membres.selectors import membre_by_slug
from socle.routage.routing import OK, route
from socle.signalements.models import (
    OPEN_STATUSES,
    Categorie,
    CategorieReglage,
    Envoi,
    Evenement,
    Photo,
    Question,
    Reglages,
    Signalement,
)

METRES_PER_DEGREE = 111_320.0


@dataclass
class OfferedCategory:
    """A category as a citizen sees it at a place: its name there and the questions asked."""

    categorie: Categorie
    nom: str
    questions: list[Question] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.categorie.code


def reglages_for(membre: Membre | None) -> Reglages:
    """Return a member's report settings (the defaults when it never changed them)."""
    if membre is None:
        return Reglages()
    found = Reglages.objects.filter(membre=membre).first()
    return found or Reglages(membre=membre)


def _holder_membre(lat: float, lon: float, competence: str) -> Membre | None:
    result = route(lat, lon, competence)
    if result.status != OK or result.holder is None or not result.holder.member:
        return None
    return membre_by_slug(result.holder.slug or "")


def categories_at(*, lat: float, lon: float) -> list[OfferedCategory]:
    """Return the categories a citizen may choose at this point, as the competent members set them.

    A platform category is shown under the name, and with the questions, of the member that
    holds its competence there (unless that member switched it off); a member's own
    categories are shown on its territory.
    """
    platform = list(
        Categorie.objects.filter(active=True, membre__isnull=True).select_related("competence")
    )
    holders: dict[str, Membre | None] = {}
    for categorie in platform:
        code = categorie.competence.code
        if code not in holders:
            holders[code] = _holder_membre(lat, lon, code)
    membres = {m.pk: m for m in holders.values() if m is not None}
    reglages = {
        (r.membre_id, r.categorie_id): r
        for r in CategorieReglage.objects.filter(membre_id__in=membres)
    }
    own = list(
        Categorie.objects.filter(active=True, membre_id__in=membres).select_related("competence")
    )
    questions: dict[tuple[int, int], list[Question]] = {}
    for question in Question.objects.filter(membre_id__in=membres):
        questions.setdefault((question.membre_id, question.categorie_id), []).append(question)

    offered = []
    for categorie in platform:
        holder = holders[categorie.competence.code]
        nom = categorie.nom
        if holder is not None:
            reglage = reglages.get((holder.pk, categorie.pk))
            if reglage is not None and not reglage.active:
                continue
            if reglage is not None and reglage.nom:
                nom = reglage.nom
        offered.append(
            OfferedCategory(
                categorie, nom, questions.get((holder.pk, categorie.pk), []) if holder else []
            )
        )
    for categorie in own:
        # A member's own category only where that member holds its competence.
        holder = holders.get(categorie.competence.code) or _holder_membre(
            lat, lon, categorie.competence.code
        )
        if holder is not None and holder.pk == categorie.membre_id:
            offered.append(
                OfferedCategory(
                    categorie, categorie.nom, questions.get((holder.pk, categorie.pk), [])
                )
            )
    offered.sort(key=lambda item: (item.categorie.ordre, item.nom))
    return offered


def category_at(*, lat: float, lon: float, code: str) -> OfferedCategory | None:
    """Return the category with this code as offered at this point, if it is."""
    return next((item for item in categories_at(lat=lat, lon=lon) if item.code == code), None)


# --- What the public sees ----------------------------------------------------------------------


def signalements_public() -> QuerySet[Signalement]:
    """Return the reports anyone may see."""
    return Signalement.objects.filter(publie_le__isnull=False, masque_le__isnull=True)


def signalement_public(reference: str) -> Signalement | None:
    """Return a public report by its reference."""
    return (
        signalements_public()
        .select_related("categorie", "membre", "service")
        .filter(reference=reference)
        .first()
    )


def signalement_by_reference(reference: str) -> Signalement | None:
    """Return a report by its reference, public or not (for its reporter's own links)."""
    return Signalement.objects.filter(reference=reference).first()


def photos_public(signalement: Signalement) -> QuerySet[Photo]:
    """Return a report's photos the public may see."""
    return signalement.photos.filter(masque_le__isnull=True)


def evenements_public(signalement: Signalement) -> QuerySet[Evenement]:
    """Return the lines of a report's history the public may see."""
    return signalement.evenements.filter(public=True)


def nearby_open(
    *, categorie: Categorie, lat: float, lon: float, now=None
) -> list[tuple[Signalement, float]]:
    """Return the open public reports of this category near the point, closest first, with
    their distance in metres (the category's radius and number of days)."""
    now = now or timezone.now()
    radius = categorie.rayon_doublons_m
    dlat = radius / METRES_PER_DEGREE
    dlon = radius / (METRES_PER_DEGREE * max(cos(radians(lat)), 0.01))
    candidates = signalements_public().filter(
        categorie=categorie,
        statut__in=OPEN_STATUSES,
        cree_le__gte=now - timedelta(days=categorie.jours_doublons),
        lat__range=(lat - dlat, lat + dlat),
        lon__range=(lon - dlon, lon + dlon),
    )
    found = []
    for report in candidates[:50]:
        distance = distance_m(lat, lon, report.lat, report.lon)
        if distance <= radius:
            found.append((report, distance))
    found.sort(key=lambda pair: pair[1])
    return found


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the distance in metres between two close points (equirectangular)."""
    x = radians(lon2 - lon1) * cos(radians((lat1 + lat2) / 2))
    y = radians(lat2 - lat1)
    return 6_371_000.0 * (x * x + y * y) ** 0.5


# --- What agents see ---------------------------------------------------------------------------


def service_ids_for_user(*, user, membre: Membre) -> set[int] | None:
    """Return the services whose reports the user handles in this member; None means all.

    An agent attached to services handles theirs; administrators, élus, opérateurs and agents
    without a service see the member's whole queue.
    """
    grants = grants_for(user)
    if grants.structure or grants.members.get(membre.pk, set()) - {Role.Kind.AGENT}:
        return None
    services = set(
        Role.objects.filter(
            user=user, membre=membre, kind=Role.Kind.AGENT, ended_at__isnull=True
        ).values_list("service_id", flat=True)
    )
    if None in services:
        return None
    return services


def signalements_for_user(*, user, membre: Membre) -> QuerySet[Signalement]:
    """Return the member's reports the user may see (its services' ones for an agent)."""
    if not grants_for(user).has("signalements.voir", membre):
        raise PermissionDenied
    qs = Signalement.objects.filter(membre=membre, confirme_le__isnull=False)
    services = service_ids_for_user(user=user, membre=membre)
    if services is not None:
        qs = qs.filter(service_id__in=services)
    return qs


def get_signalement_for_user(*, user, membre: Membre, reference: str) -> Signalement:
    """Return one of the member's reports the user may see; 404 when it is not one."""
    found = (
        signalements_for_user(user=user, membre=membre)
        .select_related("categorie", "service", "assigne_a", "auteur", "doublon_de")
        .filter(reference=reference)
        .first()
    )
    if found is None:
        raise Http404
    return found


def signalements_hors_membres(*, user) -> QuerySet[Signalement]:
    """Return the reports whose competent collectivité is not a member (for the opérateur)."""
    if not grants_for(user).has("signalements.hors_membres"):
        raise PermissionDenied
    return Signalement.objects.filter(membre__isnull=True, confirme_le__isnull=False)


def queue_filter(
    qs: QuerySet[Signalement],
    *,
    statut: str = "",
    categorie: str = "",
    service: str = "",
    depuis=None,
    jusqu_a=None,
    texte: str = "",
) -> QuerySet[Signalement]:
    """Narrow a queue by the back office's filters."""
    if statut == "ouverts":
        qs = qs.filter(statut__in=OPEN_STATUSES)
    elif statut:
        qs = qs.filter(statut=statut)
    if categorie:
        qs = qs.filter(categorie__code=categorie)
    if service:
        qs = qs.filter(service_id=service)
    if depuis:
        qs = qs.filter(cree_le__date__gte=depuis)
    if jusqu_a:
        qs = qs.filter(cree_le__date__lte=jusqu_a)
    if texte:
        qs = qs.filter(
            Q(reference__iexact=texte.strip())
            | Q(description__icontains=texte)
            | Q(adresse__icontains=texte)
            | Q(commune_nom__icontains=texte)
        )
    return qs


def envois_of(signalement: Signalement) -> list[tuple[Envoi, str]]:
    """Return the report's messages with their state: livre, en_attente or echec."""
    envois = list(signalement.envois.select_related("message"))
    return [(envoi, envoi_state(envoi.message)) for envoi in envois]


def envoi_state(message: OutboxMessage) -> str:
    """Say whether an outbox message was delivered, is pending, or failed for good."""
    if message.delivered_at is not None:
        return "livre"
    if message.attempts >= MAX_ATTEMPTS:
        return "echec"
    return "en_attente"


def transmission_state(signalement: Signalement) -> str:
    """Say whether the report reached every recipient (service or mairie): transmis only when
    every send succeeded, echec when one failed for good, else en_cours."""
    states = [
        state
        for envoi, state in envois_of(signalement)
        if envoi.destinataire != Envoi.Destinataire.CITOYEN
    ]
    if not states:
        return "aucun"
    if "echec" in states:
        return "echec"
    if all(state == "livre" for state in states):
        return "transmis"
    return "en_cours"


# --- The citizen's pages -----------------------------------------------------------------------


def signalements_of_user(user) -> QuerySet[Signalement]:
    """Return the reports a citizen filed with his account, newest first (« Mon espace »)."""
    if user is None or not user.is_authenticated:
        return Signalement.objects.none()
    return Signalement.objects.filter(auteur=user).order_by("-cree_le", "-pk")


def signalements_public_filter(
    *, membre: Membre | None = None, commune: str = "", categorie: str = "", statut: str = ""
) -> QuerySet[Signalement]:
    """Return the public reports, of a member when given, narrowed by the public list's filters
    (commune: INSEE code or name; statut: a status, or « ouverts »)."""
    qs = signalements_public()
    if membre is not None:
        qs = qs.filter(membre=membre)
    commune = commune.strip()
    if commune.isdigit() or (len(commune) == 5 and commune[:2].upper() in ("2A", "2B")):
        qs = qs.filter(commune_code=commune.upper())
    elif commune:
        qs = qs.filter(commune_nom__iexact=commune)
    if categorie:
        qs = qs.filter(categorie__code=categorie)
    if statut == "ouverts":
        qs = qs.filter(statut__in=OPEN_STATUSES)
    elif statut:
        qs = qs.filter(statut=statut)
    return qs


def categories_platform() -> QuerySet[Categorie]:
    """Return the platform's active categories (the public list's filter)."""
    return Categorie.objects.filter(active=True, membre__isnull=True)


def photo_for_viewer(*, user, pk: int) -> Photo | None:
    """Return a photo anyone may see (visible, of a public report), or one an agent who sees the
    report in his queue may see even hidden; None otherwise."""
    photo = Photo.objects.select_related("signalement", "signalement__membre").filter(pk=pk).first()
    if photo is None:
        return None
    if photo.masque_le is None and photo.signalement.public:
        return photo
    membre = photo.signalement.membre
    if user is None or not user.is_authenticated or membre is None:
        return None
    if not grants_for(user).has("signalements.voir", membre):
        return None
    visible = signalements_for_user(user=user, membre=membre).filter(pk=photo.signalement_id)
    return photo if visible.exists() else None
