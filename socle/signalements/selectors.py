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
from socle.membres.models import Membre, Service
from socle.membres.permissions import grants_for
from socle.membres.selectors import service_ids_for_user
from socle.routage.routing import OK, Holder, route
from socle.signalements.models import (
    OPEN_STATUSES,
    Categorie,
    CategorieReglage,
    Envoi,
    Evenement,
    ModeleReponse,
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


def _offer(candidates: list[Categorie], lat: float, lon: float) -> list[OfferedCategory]:
    """Keep the candidate categories offered at this point, named and asked as there.

    A platform category is offered under the name, and with the questions, of the member that
    holds its competence there (unless that member switched it off); a member's own category
    only where that member holds its competence. Routing is in memory; the members, their
    settings and questions are read in three queries, whatever the number of categories.
    """
    slugs: dict[str, str | None] = {}
    for categorie in candidates:
        code = categorie.competence.code
        if code not in slugs:
            found = _holder_at(lat, lon, code)
            slugs[code] = found.slug if found is not None else None
    wanted = {slug for slug in slugs.values() if slug}
    by_slug = (
        {m.slug: m for m in Membre.objects.select_related("collectivite").filter(slug__in=wanted)}
        if wanted
        else {}
    )
    holders = {code: by_slug.get(slug) if slug else None for code, slug in slugs.items()}
    membre_ids = [m.pk for m in by_slug.values()]
    ids = [categorie.pk for categorie in candidates]
    reglages: dict[tuple[int, int], CategorieReglage] = {}
    questions: dict[tuple[int, int], list[Question]] = {}
    if membre_ids:
        for row in CategorieReglage.objects.filter(membre_id__in=membre_ids, categorie_id__in=ids):
            reglages[(row.membre_id, row.categorie_id)] = row
        for question in Question.objects.filter(membre_id__in=membre_ids, categorie_id__in=ids):
            questions.setdefault((question.membre_id, question.categorie_id), []).append(question)

    offered = []
    for categorie in candidates:
        holder: Membre | None = holders[categorie.competence.code]
        nom = categorie.nom
        if categorie.membre_id is not None:
            if holder is None or holder.pk != categorie.membre_id:
                continue
        elif holder is not None:
            reglage = reglages.get((holder.pk, categorie.pk))
            if reglage is not None and not reglage.active:
                continue
            if reglage is not None and reglage.nom:
                nom = reglage.nom
        asked = questions.get((holder.pk, categorie.pk), []) if holder is not None else []
        offered.append(OfferedCategory(categorie, nom, asked))
    offered.sort(key=lambda item: (item.categorie.ordre, item.nom))
    return offered


def categories_at(*, lat: float, lon: float) -> list[OfferedCategory]:
    """Return the categories a citizen may choose at this point, as the competent members set
    them: the platform's, and the own categories of the members competent there."""
    active = Categorie.objects.filter(active=True).select_related("competence")
    platform = list(active.filter(membre__isnull=True))
    holders = {
        holder.slug
        for categorie in platform
        if (holder := _holder_at(lat, lon, categorie.competence.code)) is not None
    }
    own = list(active.filter(membre__slug__in=holders)) if holders else []
    return _offer(platform + own, lat, lon)


def _holder_at(lat: float, lon: float, competence: str) -> Holder | None:
    """Return who holds the competence at the point, when it is a member."""
    result = route(lat, lon, competence)
    if result.status != OK or result.holder is None or not result.holder.member:
        return None
    return result.holder


def category_at(*, lat: float, lon: float, code: str) -> OfferedCategory | None:
    """Return the category with this code as offered at this point, if it is."""
    candidates = list(Categorie.objects.filter(active=True, code=code).select_related("competence"))
    return next(iter(_offer(candidates, lat, lon)), None) if candidates else None


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


# --- The back office's pages -------------------------------------------------------------------

# Imports of this section only (kept here so that the section is appended, not spliced in).


def transmission_states(signalements) -> dict[int, str]:
    """Return the transmission state of each report (as transmission_state), in one query."""
    ids = [s.pk for s in signalements]
    states: dict[int, list[str]] = {pk: [] for pk in ids}
    envois = (
        Envoi.objects.filter(signalement_id__in=ids)
        .exclude(destinataire=Envoi.Destinataire.CITOYEN)
        .select_related("message")
    )
    for envoi in envois:
        states[envoi.signalement_id].append(envoi_state(envoi.message))
    result = {}
    for pk, found in states.items():
        if not found:
            result[pk] = "aucun"
        elif "echec" in found:
            result[pk] = "echec"
        elif all(state == "livre" for state in found):
            result[pk] = "transmis"
        else:
            result[pk] = "en_cours"
    return result


def queue_services(*, user, membre: Membre) -> QuerySet[Service]:
    """Return the member's services whose reports the user sees (for the queue's filter)."""
    services = Service.objects.filter(membre=membre).order_by("nom")
    allowed = service_ids_for_user(user=user, membre=membre)
    if allowed is not None:
        services = services.filter(pk__in=allowed)
    return services


def queue_categories(*, membre: Membre) -> list[Categorie]:
    """Return the categories a member's queue may be filtered by: the platform's and its own."""
    return list(Categorie.objects.filter(Q(membre__isnull=True) | Q(membre=membre)))


def evenements_of(signalement: Signalement, *, membre: Membre) -> QuerySet[Evenement]:
    """Return a report's history as the member's agents see it: a member it was re-routed from
    keeps its internal notes to itself."""
    notes_elsewhere = Q(kind=Evenement.Kind.NOTE) & ~Q(details__membre=membre.pk)
    return signalement.evenements.select_related("acteur").exclude(
        notes_elsewhere & Q(details__has_key="membre")
    )


def photos_of(signalement: Signalement) -> QuerySet[Photo]:
    """Return every photo of a report, hidden ones included (back office only)."""
    return signalement.photos.all()


def photo_of(signalement: Signalement, pk) -> Photo | None:
    """Return one photo of this report (None when the id is not one of its photos)."""
    try:
        return signalement.photos.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def envoi_of(signalement: Signalement, pk) -> Envoi | None:
    """Return one message of this report (None when the id is not one of its messages)."""
    try:
        return (
            signalement.envois.select_related("message", "signalement").filter(pk=int(pk)).first()
        )
    except (TypeError, ValueError):
        return None


def signalement_of_membre(*, membre: Membre, reference: str) -> Signalement | None:
    """Return a confirmed report of this member by its reference (an original, for a merge)."""
    return (
        Signalement.objects.filter(
            membre=membre, confirme_le__isnull=False, reference=reference.strip().upper()
        ).first()
        if reference
        else None
    )


def reroute_targets() -> list[Service]:
    """Return the services a report may be re-routed to: those of every active member that
    handles reports on the platform, with their member."""
    membres = [m for m in Membre.objects.filter(active=True) if "signalements" in (m.modules or [])]
    services = Service.objects.filter(membre__in=membres).select_related("membre__collectivite")
    return sorted(services, key=lambda s: (s.membre.collectivite.nom, s.nom))


def reroute_target(pk) -> Service | None:
    """Return a service a report may be re-routed to, by id."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return next((service for service in reroute_targets() if service.pk == pk), None)


def modeles_reponse_of(*, membre: Membre) -> QuerySet[ModeleReponse]:
    """Return the member's response templates."""
    return ModeleReponse.objects.filter(membre=membre)


def median(values: list[float]) -> float | None:
    """Return the median of the values (None without any)."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass
class Dashboard:
    """The numbers of a member's dashboard over a period."""

    total: int
    by_status: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    median_first_response_h: float | None
    median_resolution_h: float | None
    weeks: list[tuple[str, int]]


def dashboard_of(qs: QuerySet[Signalement], *, now=None) -> Dashboard:
    """Compute the dashboard's numbers over a queue (already narrowed to the period): counts
    by status and category, median hours to the first response and to resolution, and the
    reports of each of the last 12 weeks (Python over the rows: SQLite and PostgreSQL alike)."""
    now = now or timezone.now()
    rows = list(
        qs.values_list("statut", "categorie_nom", "cree_le", "premiere_reponse_le", "resolu_le")
    )
    statuses = dict(Signalement.Statut.choices)
    by_status: dict[str, int] = {}
    by_category: dict[str, int] = {}
    first, resolution = [], []
    for statut, categorie, cree, premiere, resolu in rows:
        by_status[statut] = by_status.get(statut, 0) + 1
        by_category[categorie] = by_category.get(categorie, 0) + 1
        if premiere is not None:
            first.append((premiere - cree).total_seconds() / 3600)
        if resolu is not None:
            resolution.append((resolu - cree).total_seconds() / 3600)
    return Dashboard(
        total=len(rows),
        by_status=[(str(statuses[key]), by_status[key]) for key in statuses if key in by_status],
        by_category=sorted(by_category.items(), key=lambda item: (-item[1], item[0])),
        median_first_response_h=median(first),
        median_resolution_h=median(resolution),
        weeks=weeks_of(qs, now=now),
    )


def weeks_of(qs: QuerySet[Signalement], *, now=None) -> list[tuple[str, int]]:
    """Return the reports received in each of the last 12 weeks (Monday first), oldest first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=n) for n in range(11, -1, -1)]
    weekly = dict.fromkeys(starts, 0)
    for cree in qs.filter(cree_le__date__gte=starts[0]).values_list("cree_le", flat=True):
        day = timezone.localdate(cree)
        start = day - timedelta(days=day.weekday())
        if start in weekly:
            weekly[start] += 1
    return [(start.strftime("%d/%m"), count) for start, count in weekly.items()]


@dataclass
class CategorySetting:
    """A category as a member's settings show it: the platform's (maybe renamed or off) or its
    own."""

    categorie: Categorie
    nom: str
    active: bool
    own: bool
    questions: list[Question] = field(default_factory=list)


def category_settings_of(*, membre: Membre) -> list[CategorySetting]:
    """Return the platform's categories as the member set them, then its own, with questions."""
    reglages = {r.categorie_id: r for r in CategorieReglage.objects.filter(membre=membre)}
    questions: dict[int, list[Question]] = {}
    for question in Question.objects.filter(membre=membre):
        questions.setdefault(question.categorie_id, []).append(question)
    found = []
    for categorie in Categorie.objects.filter(membre__isnull=True, active=True):
        reglage = reglages.get(categorie.pk)
        found.append(
            CategorySetting(
                categorie,
                (reglage.nom if reglage and reglage.nom else categorie.nom),
                reglage.active if reglage else True,
                False,
                questions.get(categorie.pk, []),
            )
        )
    for categorie in Categorie.objects.filter(membre=membre):
        found.append(
            CategorySetting(
                categorie, categorie.nom, categorie.active, True, questions.get(categorie.pk, [])
            )
        )
    return found


def category_for_settings(*, membre: Membre, pk) -> Categorie | None:
    """Return a category the member may set: a platform one or its own (None otherwise)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Categorie.objects.filter(Q(membre__isnull=True) | Q(membre=membre), pk=pk).first()


def question_of(*, membre: Membre, pk) -> Question | None:
    """Return one of the member's questions."""
    try:
        return Question.objects.filter(membre=membre, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def modele_reponse_of(*, membre: Membre, pk) -> ModeleReponse | None:
    """Return one of the member's response templates."""
    try:
        return ModeleReponse.objects.filter(membre=membre, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


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
