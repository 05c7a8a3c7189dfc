"""Reads of the personal-data journal, and who may see what.

Access control lives in three functions: `get_support_membre_for_user` (who may look a citizen
up in a member's citizen-support screen), `get_journal_scope_for_user` (who may read which part
of the journal) and `get_citizen_for_support` (which citizen a signed link designates).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socle.comptes.models import Identity, User
from socle.journal.models import CitizenSearch, PersonalDataAccess, PublishedCheckpoint
from socle.journal.services import citizen_search_digests, parse_stored_datetime
from socle.membres.models import STRUCTURE_ROLES, Membre, Role
from socle.membres.permissions import grants_for
from socle.membres.selectors import membre_by_slug

SUPPORT_SIGNING_SALT = "socle.comptes.journal.usager"
# How long a link to a citizen's account, as found by a search, stays valid.
SUPPORT_LINK_MAX_AGE = timedelta(hours=8)


@dataclass(frozen=True)
class JournalScope:
    """The part of the journal a user may read: one member's, or all of it (membre None)."""

    membre: Membre | None

    @property
    def structure_wide(self) -> bool:
        return self.membre is None


@dataclass(frozen=True)
class JournalFilters:
    """What the DPO or the ethics committee narrows the journal to; empty means everything."""

    agent: User | None = None
    citizen_email: str = ""
    since: date | None = None
    until: date | None = None
    data: str = ""
    membre: Membre | None = None


def _membre_or_404(slug: str) -> Membre:
    membre = membre_by_slug(slug)
    if membre is None:
        raise Http404
    return membre


def get_support_membre_for_user(*, user, slug: str) -> Membre:
    """Return the member if the user may help its citizens (permission "usagers.assister")."""
    membre = _membre_or_404(slug)
    if not grants_for(user).has("usagers.assister", membre):
        raise PermissionDenied
    return membre


def get_journal_scope_for_user(*, user, slug: str | None = None) -> JournalScope:
    """Return the part of the journal the user may read.

    With a member's slug: "journal.lire" (its DPO, the ethics committee). Without:
    "journal.lire_tout" (the ethics committee). Nobody else, not even an opérateur.
    """
    grants = grants_for(user)
    if slug is None:
        if not grants.has("journal.lire_tout"):
            raise PermissionDenied
        return JournalScope(membre=None)
    membre = _membre_or_404(slug)
    if grants.has("journal.lire", membre):
        return JournalScope(membre=membre)
    raise PermissionDenied


def _citizens() -> QuerySet[User]:
    """Active users holding no active role: the citizens."""
    has_role = Role.objects.filter(user=OuterRef("pk"), ended_at__isnull=True)
    return User.objects.filter(is_active=True).exclude(Exists(has_role))


def citizen_by_email(*, email: str) -> User | None:
    """Return the citizen with exactly this email address (case aside), if any."""
    email = (email or "").strip()
    if not email:
        return None
    return _citizens().filter(email__iexact=email).first()


def support_link_token(*, citizen: User, membre: Membre) -> str:
    """Return the signed value that designates a citizen in a member's support screen."""
    return signing.dumps({"u": citizen.pk, "m": membre.slug}, salt=SUPPORT_SIGNING_SALT)


def get_citizen_for_support(*, membre: Membre, token: str) -> User:
    """Return the citizen a signed link designates, for this member; 404 for anything else."""
    try:
        value = signing.loads(token, salt=SUPPORT_SIGNING_SALT, max_age=SUPPORT_LINK_MAX_AGE)
    except signing.BadSignature as error:
        raise Http404 from error
    if not isinstance(value, dict) or value.get("m") != membre.slug:
        raise Http404
    citizen_pk = value.get("u")
    if citizen_pk is None:
        raise Http404
    citizen = _citizens().filter(pk=citizen_pk).first()
    if citizen is None:
        raise Http404
    return citizen


def citizen_identities(*, citizen: User) -> QuerySet[Identity]:
    """Return the identities that providers verified for this citizen."""
    return Identity.objects.filter(user=citizen).order_by("provider", "-verified_at")


def _entries() -> QuerySet[PersonalDataAccess]:
    # The date is read as text and parsed by `readable` (one malformed row must not break a
    # page): iterate these querysets through `readable`, or read `created_at` after it.
    return (
        PersonalDataAccess.objects.select_related("agent", "citizen", "membre__collectivite")
        .defer("created_at")
        .annotate(created_raw=Cast("created_at", CharField()))
        .order_by("-id")
    )


def readable(entries):
    """Yield the entries with their date parsed (None when the stored date cannot be read)."""
    for entry in entries:
        if "created_at" not in entry.__dict__:
            entry.created_at = parse_stored_datetime(getattr(entry, "created_raw", None))
        yield entry


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# Beyond these days a bound selects everything anyway, and its arithmetic would overflow.
_NO_LOWER_BOUND_BEFORE = date(1900, 1, 1)
_NO_UPPER_BOUND_AFTER = date(9000, 1, 1)


def journal_entries(
    *, scope: JournalScope, filters: JournalFilters | None = None
) -> QuerySet[PersonalDataAccess]:
    """Return the journal entries of the scope, newest first, narrowed by the filters."""
    filters = filters or JournalFilters()
    entries = _entries()
    if scope.membre is not None:
        entries = entries.filter(membre=scope.membre)
    elif filters.membre is not None:
        entries = entries.filter(membre=filters.membre)
    if filters.agent is not None:
        entries = entries.filter(agent=filters.agent)
    if filters.citizen_email.strip():
        entries = entries.filter(citizen__email__iexact=filters.citizen_email.strip())
    if filters.since and filters.since >= _NO_LOWER_BOUND_BEFORE:
        entries = entries.filter(created_at__gte=_day_start(filters.since))
    if filters.until and filters.until <= _NO_UPPER_BOUND_AFTER:
        entries = entries.filter(created_at__lt=_day_start(filters.until + timedelta(days=1)))
    if filters.data:
        entries = entries.filter(data=filters.data)
    return entries


def _scoped(scope: JournalScope) -> QuerySet[PersonalDataAccess]:
    entries = PersonalDataAccess.objects.all()
    if scope.membre is not None:
        entries = entries.filter(membre=scope.membre)
    return entries


def journal_agents(*, scope: JournalScope) -> QuerySet[User]:
    """Return the agents who appear in the scope's entries, for a filter."""
    return User.objects.filter(
        pk__in=_scoped(scope).values("agent_id").order_by().distinct()
    ).order_by("last_name", "first_name", "email")


def journal_data_kinds(*, scope: JournalScope) -> list[str]:
    """Return the kinds of data that appear in the scope's entries, for a filter."""
    return list(_scoped(scope).order_by("data").values_list("data", flat=True).distinct())


def journal_membres(*, scope: JournalScope) -> QuerySet[Membre]:
    """Return the members the scope covers, for a filter."""
    membres = Membre.objects.select_related("collectivite").order_by("collectivite__nom")
    if scope.membre is not None:
        return membres.filter(pk=scope.membre.pk)
    return membres


def journal_entries_for_export(
    *, membre: Membre | None = None, since: date | None = None
) -> QuerySet[PersonalDataAccess]:
    """Return entries in chain order, for the `socle journal export` command (operators)."""
    entries = _entries().order_by("id")
    if membre is not None:
        entries = entries.filter(membre=membre)
    if since is not None and since >= _NO_LOWER_BOUND_BEFORE:
        entries = entries.filter(created_at__gte=_day_start(since))
    return entries


@dataclass(frozen=True)
class CitizenAccess:
    """One access as the citizen sees it: never the agent's email address."""

    created_at: datetime | None
    collectivite: str
    service: str
    agent_name: str
    action: str
    data: str
    purpose: str
    channel: str


def _agent_unit(entry: PersonalDataAccess, roles: list[Role]) -> str:
    """The service (or else the role) through which the agent acted, when the access happened."""
    held = [
        role
        for role in roles
        if role.user_id == entry.agent_id
        and (role.membre_id == entry.membre_id or role.kind in STRUCTURE_ROLES)
        and entry.created_at is not None
        and role.started_at <= entry.created_at
        and (role.ended_at is None or role.ended_at > entry.created_at)
    ]
    held.sort(key=lambda role: (role.service is None, role.membre_id is None))
    if not held:
        return ""
    role = held[0]
    return role.service.nom if role.service else role.get_kind_display()


def citizen_accesses(*, citizen: User, entries=None) -> list[CitizenAccess]:
    """Return the accesses to this citizen's data, newest first, as he or she may see them.

    ``entries`` may be a page of `citizen_access_entries(citizen=...)`.
    """
    if entries is None:
        entries = citizen_access_entries(citizen=citizen)
    entries = [entry for entry in readable(entries) if entry.citizen_id == citizen.pk]
    agent_ids = {entry.agent_id for entry in entries}
    membre_ids = {entry.membre_id for entry in entries if entry.membre_id}
    roles = list(
        Role.objects.filter(user_id__in=agent_ids)
        .filter(Q(membre_id__in=membre_ids) | Q(kind__in=STRUCTURE_ROLES))
        .select_related("service")
    )
    accesses = []
    for entry in entries:
        collectivite = entry.membre.collectivite.nom if entry.membre else ""
        accesses.append(
            CitizenAccess(
                created_at=entry.created_at,
                collectivite=collectivite,
                service=_agent_unit(entry, roles),
                agent_name=entry.agent.get_full_name(),
                action=entry.get_action_display(),
                data=entry.data,
                purpose=entry.purpose,
                channel=entry.channel,
            )
        )
    return accesses


def citizen_access_entries(*, citizen: User) -> QuerySet[PersonalDataAccess]:
    """Return the journal entries about this citizen, newest first (to paginate)."""
    return _entries().filter(citizen=citizen)


# Exports: the same columns for the DPO's CSV, the ethics committee's and the command's.
EXPORT_COLUMNS = (
    ("id", _("N°")),
    ("created_at", _("Date")),
    ("membre", _("Collectivité")),
    ("agent", _("Agent")),
    ("agent_email", _("Adresse de l’agent")),
    ("citizen", _("Usager")),
    ("citizen_email", _("Adresse de l’usager")),
    ("action", _("Action")),
    ("data", _("Données")),
    ("channel", _("Écran ou API")),
    ("purpose", _("Motif")),
    ("ip", _("Adresse IP")),
    ("previous_hash", _("Empreinte précédente")),
    ("entry_hash", _("Empreinte")),
)


def journal_export_record(entry: PersonalDataAccess) -> dict:
    """Return an entry as a flat record, keyed by the first item of EXPORT_COLUMNS."""
    entry = next(readable([entry]))
    created_at = entry.created_at
    return {
        "id": entry.pk,
        "created_at": (
            timezone.localtime(created_at).isoformat(timespec="seconds")
            if created_at is not None
            else str(_("date illisible"))
        ),
        "membre": entry.membre.collectivite.nom if entry.membre else "",
        "agent": entry.agent.get_full_name(),
        "agent_email": entry.agent.email,
        "citizen": entry.citizen.get_full_name(),
        "citizen_email": entry.citizen.email,
        "action": entry.action,
        "data": entry.data,
        "channel": entry.channel,
        "purpose": entry.purpose,
        "ip": entry.ip or "",
        "previous_hash": entry.previous_hash,
        "entry_hash": entry.entry_hash,
    }


def _spreadsheet_safe(value) -> str:
    """Neutralise text that a spreadsheet would run as a formula (CSV injection)."""
    text = str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


def journal_csv_rows(entries):
    """Yield the header and one row per entry, ready for csv.writer."""
    yield [str(label) for _key, label in EXPORT_COLUMNS]
    for entry in entries:
        record = journal_export_record(entry)
        yield [_spreadsheet_safe(record[key]) for key, _label in EXPORT_COLUMNS]


def published_checkpoints() -> QuerySet[PublishedCheckpoint]:
    """Return the journal's published checkpoints, oldest first (structure-wide: no tenant)."""
    return PublishedCheckpoint.objects.order_by("number")


def latest_published_checkpoint() -> PublishedCheckpoint | None:
    return PublishedCheckpoint.objects.order_by("-number").first()


def citizen_searches(
    *, scope: JournalScope, filters: JournalFilters | None = None
) -> QuerySet[CitizenSearch]:
    """Return the citizen-support searches of the scope, newest first, narrowed by the filters.

    A filter on the citizen's address matches the searches for that address, found or not
    (through its keyed digest: the addresses themselves are not kept).
    """
    filters = filters or JournalFilters()
    searches = CitizenSearch.objects.select_related(
        "agent", "citizen", "membre__collectivite"
    ).order_by("-id")
    if scope.membre is not None:
        searches = searches.filter(membre=scope.membre)
    elif filters.membre is not None:
        searches = searches.filter(membre=filters.membre)
    if filters.agent is not None:
        searches = searches.filter(agent=filters.agent)
    if filters.citizen_email.strip():
        searches = searches.filter(email_digest__in=citizen_search_digests(filters.citizen_email))
    if filters.since and filters.since >= _NO_LOWER_BOUND_BEFORE:
        searches = searches.filter(created_at__gte=_day_start(filters.since))
    if filters.until and filters.until <= _NO_UPPER_BOUND_AFTER:
        searches = searches.filter(created_at__lt=_day_start(filters.until + timedelta(days=1)))
    return searches
