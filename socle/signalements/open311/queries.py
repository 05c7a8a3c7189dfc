"""Reads of the Open311 API: jurisdictions, the services they offer, public requests and their
public updates. Only public reports and public history lines ever come out of here.

The lists are read in a constant number of queries per page, on indexed columns, ordered by an
indexed date and cut with LIMIT/OFFSET (never a COUNT over the table).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery

from socle.membres.models import Membre, Service
from socle.signalements.models import (
    Categorie,
    CategorieReglage,
    Evenement,
    Photo,
    Question,
    Signalement,
)
from socle.signalements.selectors import signalements_public

# The public history lines a business application pulls as updates.
UPDATE_KINDS = (Evenement.Kind.STATUT, Evenement.Kind.REPONSE, Evenement.Kind.REORIENTE)


@dataclass
class OfferedService:
    """A category as an Open311 service: its code, its name where offered, its questions."""

    categorie: Categorie
    nom: str
    questions: list[Question] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.categorie.code


def membre_for_jurisdiction(code: str) -> Membre | None:
    """Return the active member whose collectivité has this code (INSEE or SIREN) and that
    switched the reports on."""
    code = (code or "").strip()
    if not code or len(code) > 12:
        return None
    membres = Membre.objects.select_related("collectivite").filter(
        collectivite__code=code, active=True
    )
    found = [m for m in membres if "signalements" in (m.modules or [])]
    # Codes are unique per kind only (région 75, département 75): an ambiguous code names none.
    return found[0] if len(found) == 1 else None


def services_offered(membre: Membre | None) -> list[OfferedService]:
    """Return the services of a jurisdiction, or the platform's taxonomy without one.

    A member offers the platform's categories whose competence one of its services handles
    (unless it switched them off, and under the name it gave them), then its own categories.
    """
    platform = Categorie.objects.filter(active=True, membre__isnull=True).select_related(
        "competence"
    )
    if membre is None:
        return [OfferedService(categorie, categorie.nom) for categorie in platform]
    competences = set(
        Service.objects.filter(membre=membre, competences__isnull=False).values_list(
            "competences__code", flat=True
        )
    )
    reglages = {r.categorie_id: r for r in CategorieReglage.objects.filter(membre=membre)}
    offered = []
    for categorie in platform:
        if categorie.competence.code not in competences:
            continue
        reglage = reglages.get(categorie.pk)
        if reglage is not None and not reglage.active:
            continue
        nom = reglage.nom if reglage is not None and reglage.nom else categorie.nom
        offered.append(OfferedService(categorie, nom))
    own = Categorie.objects.filter(active=True, membre=membre).select_related("competence")
    offered += [OfferedService(categorie, categorie.nom) for categorie in own]
    by_categorie = {item.categorie.pk: item for item in offered}
    for question in Question.objects.filter(membre=membre, categorie_id__in=by_categorie):
        by_categorie[question.categorie_id].questions.append(question)
    offered.sort(key=lambda item: (item.categorie.ordre, item.nom))
    return offered


def service_offered(membre: Membre | None, code: str) -> OfferedService | None:
    """Return one service of the jurisdiction (or of the platform) by its code."""
    return next((item for item in services_offered(membre) if item.code == code), None)


def latest_change() -> str:
    """Return when a report last changed, as the database writes it (every change a request
    shows moves `modifie_le`): one backward step of its index.

    Raw SQL on purpose: this runs on every public read, and compiling the ORM's aggregate
    costs more than the query itself. Only compared, never parsed.
    """
    table = connection.ops.quote_name(Signalement._meta.db_table)
    column = connection.ops.quote_name("modifie_le")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({column}) FROM {table}")  # noqa: S608 - our own names
        row = cursor.fetchone()
    return str(row[0]) if row and row[0] is not None else ""


def _public_requests() -> QuerySet[Signalement]:
    """The public reports, with what an Open311 request shows, in one query."""
    last_note = (
        Evenement.objects.filter(signalement=OuterRef("pk"), public=True)
        .exclude(texte="")
        .order_by("-cree_le", "-pk")
        .values("texte")[:1]
    )
    first_photo = (
        Photo.objects.filter(signalement=OuterRef("pk"), masque_le__isnull=True)
        .order_by("pk")
        .values("pk")[:1]
    )
    return (
        signalements_public()
        .select_related("categorie", "service")
        .only(
            "reference",
            "statut",
            "categorie_nom",
            "categorie__code",
            "description",
            "titulaire_nom",
            "service__nom",
            "cree_le",
            "modifie_le",
            "adresse",
            "commune_nom",
            "lat",
            "lon",
            "membre_id",
        )
        .annotate(status_notes=Subquery(last_note), photo_id=Subquery(first_photo))
    )


def requests_public(
    *,
    membre: Membre | None,
    references: list[str] | None = None,
    codes: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    statuses: list[str] | None = None,
    offset: int = 0,
    limit: int = 1000,
) -> list[Signalement]:
    """Return one page of public reports, newest first. References override every other
    filter, as the specification says."""
    qs = _public_requests()
    if membre is not None:
        qs = qs.filter(membre=membre)
    if references is not None:
        qs = qs.filter(reference__in=references)
    else:
        if codes:
            ids = list(Categorie.objects.filter(code__in=codes).values_list("pk", flat=True))
            qs = qs.filter(categorie_id__in=ids)
        if statuses:
            qs = qs.filter(statut__in=statuses)
        if start is not None:
            qs = qs.filter(cree_le__gte=start)
        if end is not None:
            qs = qs.filter(cree_le__lte=end)
    return list(qs.order_by("-cree_le", "-pk")[offset : offset + limit])


def request_public(reference: str, *, membre: Membre | None) -> Signalement | None:
    """Return one public report by its reference (in this jurisdiction, when one is given)."""
    qs = _public_requests().filter(reference=reference)
    if membre is not None:
        qs = qs.filter(membre=membre)
    return qs.first()


def updates_public(
    *,
    membre: Membre | None,
    start: datetime,
    end: datetime,
    offset: int = 0,
    limit: int = 1000,
) -> list[Evenement]:
    """Return one page of the public updates of public reports, oldest first, each with the
    report's status at that moment (`statut_alors`).

    A report's `modifie_le` moves with each update: filtering on it too lets the database
    start from that index rather than read every history line.
    """
    qs = Evenement.objects.filter(
        kind__in=UPDATE_KINDS,
        public=True,
        cree_le__gte=start,
        cree_le__lte=end,
        signalement__in=signalements_public().filter(modifie_le__gte=start),
    ).select_related("signalement")
    if membre is not None:
        qs = qs.filter(signalement__membre=membre)
    events = list(
        qs.only(
            "kind",
            "cree_le",
            "texte",
            "statut",
            "signalement__reference",
            "signalement__statut",
        ).order_by("cree_le", "pk")[offset : offset + limit]
    )
    # The status each line leaves the report in: its own for a status change, else the last
    # status change before it (one query for the whole page).
    ids = {event.signalement_id for event in events if event.kind != Evenement.Kind.STATUT}
    changes: dict[int, list[tuple[datetime, int, str]]] = {}
    if ids:
        for row in (
            Evenement.objects.filter(signalement_id__in=ids, kind=Evenement.Kind.STATUT)
            .order_by("cree_le", "pk")
            .values_list("signalement_id", "cree_le", "pk", "statut")
        ):
            changes.setdefault(row[0], []).append((row[1], row[2], row[3]))
    for event in events:
        if event.kind == Evenement.Kind.STATUT:
            event.statut_alors = event.statut  # type: ignore[attr-defined]
            continue
        before = [
            statut
            for moment, pk, statut in changes.get(event.signalement_id, [])
            if (moment, pk) < (event.cree_le, event.pk)
        ]
        event.statut_alors = before[-1] if before else Signalement.Statut.NOUVEAU  # type: ignore[attr-defined]
    return events
