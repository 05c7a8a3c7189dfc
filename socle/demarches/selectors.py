"""Reads of the démarches module. The citizen's reads take the user; the agents' the member or
the user, explicitly."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import cast

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property

from socle.comptes.models import User
from socle.demarches import workflow as wf
from socle.demarches.codes import reference_normalise
from socle.demarches.models import (
    BROUILLON,
    DemandePiece,
    Demarche,
    DemarcheVersion,
    Document,
    Dossier,
    Evenement,
    Message,
    Modele,
    ModeleVersion,
    PieceJointe,
)
from socle.membres.models import Membre, Service
from socle.membres.permissions import grants_for
from socle.membres.selectors import agents_of, service_ids_for_user


def demarches_on(membre: Membre | None) -> bool:
    """Say whether a member switched the démarches module on."""
    return membre is not None and "demarches" in (membre.modules or [])


# --- Public and the citizen's reads --------------------------------------------------------------


def demarches_published(*, membre: Membre) -> QuerySet[Demarche]:
    """Return the procedures a member offers on its portal."""
    return Demarche.objects.filter(membre=membre, etat=Demarche.Etat.PUBLIEE, version__gt=0)


def get_demarche_public(*, membre: Membre, code: str) -> Demarche:
    """Return a published procedure of the member; 404 otherwise."""
    found = demarches_published(membre=membre).filter(slug=code).first()
    if found is None:
        raise Http404
    return found


def dossiers_of_user(user) -> QuerySet[Dossier]:
    """Return the citizen's dossiers (drafts included), last changed first."""
    return (
        Dossier.objects.filter(usager=user)
        .select_related("demarche", "version", "membre__collectivite")
        .order_by("-modifie_le", "-pk")
    )


def get_dossier_for_usager(*, user, reference: str) -> Dossier:
    """Return one of the citizen's own dossiers; 404 for anyone else's (or anonymous)."""
    if user is None or not user.is_authenticated:
        raise Http404
    found = (
        dossiers_of_user(user)
        # The procedure's member dresses the page (it may differ from the instructing one).
        .select_related("demarche__membre__collectivite")
        .filter(reference=reference)
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_document_for_usager(*, user, reference: str, kind: str) -> Document:
    """Return the valid, generated document of this kind of one of the citizen's dossiers;
    404 otherwise."""
    dossier = get_dossier_for_usager(user=user, reference=reference)
    found = (
        dossier.documents.filter(kind=kind, revoque_le=None, fichier__isnull=False)
        .select_related("fichier")
        .first()
    )
    if found is None:
        raise Http404
    found.dossier = dossier
    return found


def get_piece_jointe_for_usager(*, user, reference: str, pk: int) -> PieceJointe:
    """Return a file of one of the citizen's dossiers; 404 otherwise."""
    dossier = get_dossier_for_usager(user=user, reference=reference)
    found = dossier.pieces_jointes.filter(pk=pk).select_related("fichier").first()
    if found is None:
        raise Http404
    return found


# --- The agents' reads (instruction) -------------------------------------------------------------

# The queue's tab of dossiers still to handle (every filed status that does not close them).
A_TRAITER = "a_traiter"
# Counts above this are shown as « plus de … »: an exact COUNT(*) of a large queue costs more
# than the page itself.
COUNT_CAP = 1_000
# What a page of the queue reads of its rows: what the list shows, no form nor answers (the
# version's workflow names the status; the procedure's title is the version's).
QUEUE_PAGE_RELATED = ("version", "service", "assigne_a")
QUEUE_PAGE_FIELDS = (
    "pk",
    "reference",
    "usager_nom",
    "depose_le",
    "statut",
    "version__titre",
    "version__workflow",
    "service__nom",
    "assigne_a__first_name",
    "assigne_a__last_name",
    "assigne_a__email",
)


def _instruction_scope(*, user, membre: Membre) -> QuerySet[Dossier]:
    """Return the member's filed dossiers the user may instruct: its services' ones for an agent
    attached to services, all of them for administrators and agents without a service."""
    return QueueScope(user=user, membre=membre).dossiers()


def queue_demarches(*, membre: Membre) -> QuerySet[Demarche]:
    """Return the procedures whose dossiers the member may instruct: its own, and other
    members' whose competence one of its services handles (dossiers routed to it: an EPCI's
    competence). Read without scanning the dossiers."""
    handled = Service.objects.filter(membre=membre).values("competences")
    return (
        Demarche.objects.filter(Q(membre=membre) | Q(competence__in=handled))
        .exclude(version=0)
        .distinct()
        .order_by("titre", "pk")
    )


def _workflows(membre: Membre) -> list[dict]:
    """The built-in workflow, then each different workflow of the member's procedures (the
    database leaves out the copies: most procedures share their template's)."""
    return [wf.default_workflow()] + [
        workflow or {}
        for workflow in queue_demarches(membre=membre).order_by().values_list("workflow", flat=True)
    ]


def _labels(workflows: list[dict]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for workflow in workflows:
        for status in wf.statuses(workflow):
            code = str(status.get("code") or "")
            if code and code != BROUILLON:
                labels.setdefault(code, str(status.get("libelle") or code))
    return labels


def _finals(workflows: list[dict]) -> set[str]:
    return {
        str(status.get("code"))
        for workflow in workflows
        for status in wf.statuses(workflow)
        if status.get("final")
    }


class QueueScope:
    """What one request on the queue reads once, then shares between its filters, tabs, page
    and forms: the permission and the user's services (checked and read here), and on first
    use the member's procedures (id and title), their workflows' status labels and closing
    statuses, the people a dossier may be given to and the services of the filter.

    Made per request, never kept: a procedure's workflow or a role may change between two.
    """

    def __init__(self, *, user, membre: Membre):
        if not grants_for(user).has("demarches.instruire", membre):
            raise PermissionDenied
        self.user = user
        self.membre = membre
        # None: the member's whole queue.
        self.service_ids = service_ids_for_user(user=user, membre=membre)

    def dossiers(self) -> QuerySet[Dossier]:
        """The member's filed dossiers the user may instruct (see ``_instruction_scope``)."""
        qs = Dossier.objects.filter(membre=self.membre).exclude(statut=BROUILLON)
        if self.service_ids is not None:
            qs = qs.filter(service_id__in=self.service_ids)
        return qs

    @cached_property
    def demarches(self) -> list[Demarche]:
        """The procedures of the filter (``queue_demarches``), their id and title only."""
        return list(queue_demarches(membre=self.membre).only("pk", "titre"))

    @cached_property
    def workflows(self) -> list[dict]:
        return _workflows(self.membre)

    @cached_property
    def labels(self) -> dict[str, str]:
        """{status code: label} for the member's queue: the built-in statuses, then those its
        procedures add (drafts left out)."""
        return _labels(self.workflows)

    @cached_property
    def finals(self) -> set[str]:
        """The status codes that close a dossier in any of the member's workflows."""
        return _finals(self.workflows)

    @cached_property
    def agents(self) -> list[User]:
        """The people a dossier may be given to (``membres.selectors.agents_of``)."""
        return agents_of(membre=self.membre)

    @cached_property
    def services(self) -> list[Service]:
        """The member's services whose dossiers the user sees, by name (the queue's filter)."""
        services = Service.objects.filter(membre=self.membre).only("pk", "nom").order_by("nom")
        if self.service_ids is not None:
            services = services.filter(pk__in=self.service_ids)
        return list(services)


def dossiers_queue(
    *,
    user,
    membre: Membre,
    statut: str = "",
    demarche: Demarche | int | None = None,
    service: Service | int | None = None,
    assigne: str | int | None = None,
    q: str = "",
    depose_du: date | None = None,
    depose_au: date | None = None,
    scope: QueueScope | None = None,
) -> QuerySet[Dossier]:
    """Return the filed dossiers (never drafts) the user instructs in this member, filtered,
    newest filed first (a page reads its rows' columns itself: ``QueuePaginator.page``).

    ``statut``: a code, ``A_TRAITER`` (every status that does not close the
    dossier) or "" for all; ``assigne``: "moi", "personne" or a user's id; ``q``: a reference
    or part of the applicant's name. ``scope``: the request's ``QueueScope`` (else one is made).
    """
    scope = scope or QueueScope(user=user, membre=membre)
    qs = scope.dossiers()
    if statut == A_TRAITER:
        qs = qs.exclude(statut__in=scope.finals)
    elif statut:
        qs = qs.filter(statut=statut)
    if demarche:
        qs = qs.filter(demarche_id=getattr(demarche, "pk", demarche))
    if service:
        qs = qs.filter(service_id=getattr(service, "pk", service))
    if assigne == "moi":
        qs = qs.filter(assigne_a=user)
    elif assigne == "personne":
        qs = qs.filter(assigne_a__isnull=True)
    elif assigne:
        qs = qs.filter(assigne_a_id=int(assigne))
    q = (q or "").strip()
    if q:
        reference = reference_normalise(q)
        if reference is not None:
            qs = qs.filter(reference=reference)
        else:
            qs = qs.filter(usager_nom__icontains=q)
    if depose_du:
        qs = qs.filter(depose_le__gte=_day_start(depose_du))
    if depose_au:
        qs = qs.filter(depose_le__lt=_day_start(depose_au + timedelta(days=1)))
    return qs.order_by("-depose_le", "-pk")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def queue_counts(
    *,
    user,
    membre: Membre,
    statuts: list[str] | None = None,
    cap: int = COUNT_CAP,
    scope: QueueScope | None = None,
    **filters,
) -> dict[str, int]:
    """Return the number of dossiers of each status (the queue's tabs), the other filters
    applied, each counted up to ``cap``: one bounded count per status, each walking the
    (member[, service], status, -filed) index (on PostgreSQL, index-only: migration
    0006_dossier_agent_queue_index), all in one statement. Statuses without dossiers are left
    out."""
    filters.pop("statut", None)
    scope = scope or QueueScope(user=user, membre=membre)
    qs = dossiers_queue(user=user, membre=membre, scope=scope, **filters)
    qs = qs.order_by()
    codes = statuts if statuts is not None else list(scope.labels)
    counts = capped_counts(qs, "statut", codes, cap)
    return {code: n for code, n in counts.items() if n}


def queue_matches(qs: QuerySet[Dossier], cap: int = COUNT_CAP) -> list[tuple[str, int]]:
    """Return (statut, pk) of a search's dossiers, newest first, up to ``cap``: the search (a
    name: the trigram index; a reference: one row at most) reads its rows once, and its tabs
    and page come from this list."""
    return list(qs.order_by("-depose_le", "-pk").values_list("statut", "pk")[:cap])


def capped_count(qs: QuerySet, cap: int = COUNT_CAP) -> int:
    """Count a queryset's rows up to ``cap`` (a bounded subquery, never the whole table)."""
    return qs.order_by()[:cap].count()


# Stands for each value of a query compiled once for several (``_compiled_per_value``).
_EACH_VALUE = "\x00socle:each-value\x00"


def _compiled_per_value(
    qs: QuerySet, field: str, values: list[str], limit: int
) -> tuple[str, list[list], BaseDatabaseWrapper]:
    """Compile ``qs`` filtered on ``field = value``, its first ``limit`` rows, once for all the
    values: return its SQL, its parameters for each value, and the connection. Django takes
    longer to build and compile a query than the database takes to run these."""
    connection = connections[qs.db]
    once = qs.filter(**{field: _EACH_VALUE})[:limit]
    compiler = once.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    where = [number for number, param in enumerate(params) if param == _EACH_VALUE]
    if len(where) != 1:
        raise ValueError(f"{field} = value is not one parameter of the query")
    per_value = []
    for value in values:
        these = list(params)
        these[where[0]] = value
        per_value.append(these)
    return sql, per_value, connection


def capped_counts(qs: QuerySet, field: str, values: list[str], cap: int = COUNT_CAP) -> dict:
    """Return {value: ``capped_count`` of qs filtered on field = value} in one statement: one
    bounded subquery a value (each walking its index as ``capped_count`` does), one round trip
    and one query compiled a page instead of one a tab."""
    if not values:
        return {}
    sql, per_value, connection = _compiled_per_value(
        qs.order_by().values_list("pk"), field, values, cap
    )
    select = ", ".join(
        f"(SELECT COUNT(*) FROM ({sql}) AS bounded_{number})"  # noqa: S608 - Django's SQL
        for number in range(len(values))
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + select, [param for params in per_value for param in params])
        row = cursor.fetchone()
    return dict(zip(values, row, strict=True))


def queue_statuses(statut: str, counts: dict[str, int], finals: set[str]) -> list[str]:
    """Return the status codes a queue's tab stands for, among those its dossiers have."""
    if statut == A_TRAITER:
        return [code for code in counts if code not in finals]
    if statut:
        return [statut] if statut in counts else []
    return list(counts)


class QueuePaginator(Paginator):
    """The queue's pages, fast at 100,000 dossiers.

    A page is read in two steps: the ids of its dossiers (one narrow query per status, each
    walking the (member or service, status, -filed) index for just ``offset + page size``
    entries, merged here), then those rows with what the list shows. The count stops at
    COUNT_CAP (pages past it are not offered; the page says « plus de … ») unless the caller
    knows it (the tabs' counts, when no other filter narrows the queue).
    """

    cap = COUNT_CAP

    def __init__(
        self,
        object_list: QuerySet[Dossier],
        per_page: int,
        *,
        statuts: list[str] | None = None,
        known_count: int | None = None,
        matches: list[tuple[str, int]] | None = None,
    ):
        super().__init__(object_list, per_page)
        self.statuts = statuts
        self.known_count = known_count
        self.matches = matches

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        if self.known_count is not None:
            return min(self.known_count, self.cap)
        return capped_count(cast(QuerySet, self.object_list), self.cap)

    @property
    def capped(self) -> bool:
        return self.count >= self.cap

    def _ids(self, bottom: int, top: int) -> list[int]:
        if self.matches is not None:
            wanted = set(self.statuts or ())
            ids = [pk for code, pk in self.matches if self.statuts is None or code in wanted]
            return ids[bottom:top]
        qs = cast(QuerySet, self.object_list).order_by()
        if self.statuts is None:
            ordered = qs.order_by("-depose_le", "-pk").values_list("pk", flat=True)
            return list(ordered[bottom:top])
        if not self.statuts or top <= bottom:
            return []
        # The first ``top`` of each status (each walking its index), merged by the database: one
        # statement (and one query compiled) for the page.
        newest = qs.order_by("-depose_le", "-pk").values_list("depose_le", "pk")
        sql, per_value, connection = _compiled_per_value(newest, "statut", self.statuts, top)
        merged = " UNION ALL ".join(
            f"SELECT * FROM ({sql}) AS newest_{number}"  # noqa: S608 - Django's SQL
            for number in range(len(per_value))
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM ({merged}) AS merged "  # noqa: S608 - Django's SQL, parameters
                "ORDER BY 1 DESC, 2 DESC LIMIT %s OFFSET %s",
                [param for params in per_value for param in params] + [top - bottom, bottom],
            )
            return [pk for _depose, pk in cursor.fetchall()]

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count) if self.count else bottom
        if self.count and top + self.orphans >= self.count:
            top = self.count
        ids = self._ids(bottom, top)
        rows = Dossier.objects.filter(pk__in=ids).select_related(*QUEUE_PAGE_RELATED)
        rows = rows.only(*QUEUE_PAGE_FIELDS)
        by_pk = {d.pk: d for d in rows}
        return Page([by_pk[pk] for pk in ids if pk in by_pk], number, self)


def get_dossier_for_agent(*, user, membre: Membre, reference: str) -> Dossier:
    """Return one filed dossier the user instructs in this member; 404 for another member's,
    another service's, a draft, or an unknown reference (PermissionDenied without the
    permission)."""
    found = (
        _instruction_scope(user=user, membre=membre)
        .select_related(
            "demarche",
            "version",
            "membre__collectivite",
            "service",
            "assigne_a",
            "usager",
        )
        .filter(reference=reference_normalise(str(reference or "")) or "")
        .first()
    )
    if found is None:
        raise Http404
    return found


def dossier_evenements(dossier: Dossier) -> QuerySet[Evenement]:
    """Return a dossier's whole history (the agents see every line)."""
    return dossier.evenements.select_related("acteur").order_by("cree_le", "pk")


def dossier_messages(dossier: Dossier) -> QuerySet[Message]:
    """Return a dossier's messages, oldest first, with their attachments."""
    return (
        dossier.messages.select_related("auteur")
        .prefetch_related(
            Prefetch(
                "pieces_jointes",
                queryset=PieceJointe.objects.select_related("fichier").order_by("pk"),
            )
        )
        .order_by("cree_le", "pk")
    )


def dossier_demandes(dossier: Dossier) -> QuerySet[DemandePiece]:
    """Return a dossier's requests for missing documents, with what the citizen provided."""
    return (
        dossier.demandes.select_related("demande_par")
        .prefetch_related(
            Prefetch(
                "pieces_jointes",
                queryset=PieceJointe.objects.select_related("fichier").order_by("pk"),
            )
        )
        .order_by("cree_le", "pk")
    )


def dossier_documents(dossier: Dossier) -> QuerySet[Document]:
    """Return the documents issued for a dossier (receipt, attestation)."""
    return dossier.documents.select_related("fichier").order_by("cree_le", "pk")


def get_demande_for_agent(*, dossier: Dossier, pk) -> DemandePiece:
    """Return one request of this dossier; 404 otherwise."""
    try:
        found = dossier.demandes.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404
    return found


def get_piece_jointe_for_agent(*, user, membre: Membre, reference: str, pk) -> PieceJointe:
    """Return one file of a dossier the user instructs; 404 otherwise."""
    dossier = get_dossier_for_agent(user=user, membre=membre, reference=reference)
    try:
        found = (
            PieceJointe.objects.select_related("fichier")
            .filter(dossier=dossier, pk=int(pk))
            .first()
        )
    except (TypeError, ValueError):
        found = None
    if found is None or found.fichier_id is None:
        raise Http404
    found.dossier = dossier
    return found


def get_document_for_agent(*, user, membre: Membre, reference: str, pk) -> Document:
    """Return one generated document of a dossier the user instructs; 404 otherwise."""
    dossier = get_dossier_for_agent(user=user, membre=membre, reference=reference)
    try:
        found = (
            Document.objects.select_related("fichier")
            .filter(dossier=dossier, pk=int(pk), fichier__isnull=False)
            .first()
        )
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404
    found.dossier = dossier
    return found


def dossiers_by_references(*, user, membre: Membre, references: list[str]) -> dict[str, Dossier]:
    """Return {reference: dossier} for the normalised references the user instructs (others
    left out), their id and reference only."""
    # Only their ids: each write re-reads its dossier under a lock (``services.dossier_locked``).
    found = (
        _instruction_scope(user=user, membre=membre)
        .filter(reference__in=references)
        .only("pk", "reference")
    )
    return {d.reference: d for d in found}


# --- The API's reads (a key stands for the member: no user) ------------------------------------


def dossiers_filed(*, membre: Membre) -> QuerySet[Dossier]:
    """Return the dossiers the member instructs, filed ones only (a draft is the citizen's
    alone), with what a list of them shows."""
    return (
        Dossier.objects.filter(membre=membre)
        .exclude(statut=BROUILLON)
        .exclude(depose_le__isnull=True)
        .select_related("demarche", "version", "membre", "service")
    )


def get_dossier_filed(*, membre: Membre, reference: str) -> Dossier | None:
    """Return one filed dossier of the member by its exact reference, with its citizen."""
    return (
        dossiers_filed(membre=membre)
        .select_related("usager")
        .filter(reference=reference[:20])
        .first()
    )


def dossier_pieces_jointes(dossier: Dossier) -> QuerySet[PieceJointe]:
    """Return a dossier's files, with their stored file."""
    return PieceJointe.objects.filter(dossier=dossier).select_related("fichier")


def get_piece_jointe_filed(*, dossier: Dossier, pk: int) -> PieceJointe | None:
    """Return one file of the dossier, with its stored file."""
    return dossier_pieces_jointes(dossier).filter(pk=pk).first()


def dossier_decisions(dossier: Dossier) -> QuerySet[Evenement]:
    """Return a dossier's filing and status changes, oldest first."""
    return Evenement.objects.filter(
        dossier=dossier, kind__in=(Evenement.Kind.DEPOSE, Evenement.Kind.STATUT)
    ).order_by("cree_le", "pk")


# --- Configuration: a member's procedures, the structure's templates ---------------------------


def demarches_of_membre(*, membre: Membre) -> QuerySet[Demarche]:
    """Return every procedure of a member (drafts and closed ones too), by title."""
    return (
        Demarche.objects.filter(membre=membre)
        .select_related("modele", "competence")
        .order_by("titre", "pk")
    )


def latest_versions(demarches) -> dict[int, DemarcheVersion]:
    """Return the published version of each procedure (by its id), in one query."""
    return {
        version.demarche_id: version
        for version in DemarcheVersion.objects.filter(
            demarche__in=demarches, numero=F("demarche__version")
        )
    }


def get_demarche_for_user(*, user, membre: Membre, code: str) -> Demarche:
    """Return a member's procedure for someone who configures them there; 403 without the
    permission, 404 for a code the member does not have."""
    if not grants_for(user).has("demarches.configurer", membre):
        raise PermissionDenied
    found = demarches_of_membre(membre=membre).filter(slug=code).first()
    if found is None:
        raise Http404
    return found


def modeles_published() -> QuerySet[Modele]:
    """Return the structure's templates members can adopt."""
    return Modele.objects.filter(version__gt=0).select_related("competence").order_by("titre")


def modeles_all() -> QuerySet[Modele]:
    """Return every template of the structure (unpublished ones too)."""
    return Modele.objects.select_related("competence").order_by("titre")


def modeles_with_adoptions() -> QuerySet[Modele]:
    """Return every template, each with `nb_adoptions`: the members' procedures that follow it
    (closed ones left out)."""
    return modeles_all().annotate(
        nb_adoptions=Count(
            "adoptions", filter=~Q(adoptions__etat=Demarche.Etat.ARCHIVEE), distinct=True
        )
    )


def get_modele_for_user(*, user, code: str, published: bool = False) -> Modele:
    """Return a template: any for the structure's people, a published one for a member's
    administrators; 404 otherwise."""
    grants = grants_for(user)
    if not published and not grants.has("demarches.modeles"):
        raise PermissionDenied
    if published and not (
        grants.has("demarches.modeles") or grants.membre_ids("demarches.configurer") != set()
    ):
        raise PermissionDenied
    source = modeles_published() if published else modeles_all()
    found = source.filter(code=code).first()
    if found is None:
        raise Http404
    return found


def modeles_latest_versions(modeles: Iterable[Modele]) -> dict[int, ModeleVersion]:
    """Return the last published version of each template, by template id, in one query."""
    newest = ModeleVersion.objects.filter(modele=OuterRef("modele")).order_by("-numero")
    return {
        version.modele_id: version
        for version in ModeleVersion.objects.filter(
            modele__in=[modele.pk for modele in modeles],
            numero=Subquery(newest.values("numero")[:1]),
        )
    }
