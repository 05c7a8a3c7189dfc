"""The personal-data journal: writes and the chain check (recommendation #35 of the Oural report).

Every read or export of a citizen's personal data by an agent is recorded, in one line, by the
module that shows the data::

    journal_record(agent=request.user, citizen=report.author, membre=membre,
                   data="identité et coordonnées", channel="back-office : signalements",
                   purpose=f"signalement {report.reference}", request=request)

The journal is append-only and tamper-evident: each entry's hash covers its content and the
previous entry's hash, so editing, deleting, inserting or reordering any entry breaks the chain,
which `journal_verify()` (and `socle journal verify`) detects. Only `journal_record` writes the
model; saving an existing entry or deleting one through the ORM raises `JournalIsAppendOnly`.
Raw SQL can still change rows: the chain check is what makes such a change visible.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext as _

from socle.comptes.models import User
from socle.comptes.security import client_ip
from socle.journal.models import (
    CitizenSearch,
    JournalCheckpoint,
    PersonalDataAccess,
    PublishedCheckpoint,
)
from socle.membres.permissions import grants_for

# The previous hash of the very first entry.
GENESIS_HASH = "0" * 64

# The fields an entry's hash covers (model attribute names), besides the previous hash.
HASHED_FIELDS = (
    "created_at",
    "agent_id",
    "citizen_id",
    "membre_id",
    "action",
    "data",
    "channel",
    "purpose",
    "ip",
)

# PostgreSQL advisory lock that serializes appends to the chain (a stable 64-bit number).
CHAIN_LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"socle.comptes.journal").digest()[:8], "big", signed=True
)


class JournalIsAppendOnly(Exception):
    """Raised when code tries to change or delete a journal entry."""


@dataclass(frozen=True)
class VerifyReport:
    """The result of walking the chain: how many entries hold, and the first broken one."""

    ok: bool
    count: int
    head: str = GENESIS_HASH
    broken_id: int | None = None
    reason: str = ""
    # The last entry walked, when the chain holds (where the checkpoint moves).
    last_id: int | None = None

    def __bool__(self) -> bool:
        return self.ok


def _normalise_ip(value) -> str | None:
    """Return the address in its canonical text form, or None when it is not an address."""
    if not value:
        return None
    text = str(value).strip()
    try:
        validate_ipv46_address(text)
    except ValidationError:
        return None
    return clean_ipv6_address(text) if ":" in text else text


def _client_ip(request) -> str | None:
    if request is None:
        return None
    # The same reading as the security events: behind trusted proxies, the client's address.
    return _normalise_ip(client_ip(request))


def canonical_entry(values: dict, previous_hash: str) -> bytes:
    """Return the canonical serialisation that an entry's hash covers.

    ``values`` maps HASHED_FIELDS to the entry's values: JSON with sorted keys, compact, UTF-8;
    the date in UTC, ISO 8601 with microseconds; users and member by id.
    """
    created_at = values["created_at"].astimezone(UTC).isoformat(timespec="microseconds")
    payload = {
        "action": values["action"],
        "agent": values["agent_id"],
        "channel": values["channel"],
        "citizen": values["citizen_id"],
        "created_at": created_at,
        "data": values["data"],
        "ip": _normalise_ip(values["ip"]),
        "membre": values["membre_id"],
        "previous_hash": previous_hash,
        "purpose": values["purpose"],
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_entry_hash(values: dict, previous_hash: str) -> str:
    """Return the SHA-256 (hex) of an entry chained to the previous one."""
    return hashlib.sha256(canonical_entry(values, previous_hash)).hexdigest()


def _lock_chain() -> None:
    """Make this transaction the only one appending to the chain until it ends.

    PostgreSQL: a transaction-level advisory lock. SQLite: the settings open every transaction
    with BEGIN IMMEDIATE, so a write transaction is already exclusive.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _clean_text(value, *, field: str, max_length: int, required_message: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError({field: required_message})
    if len(text) > max_length:
        raise ValidationError({field: _("%(max)d caractères au plus.") % {"max": max_length}})
    return text


def journal_record(
    *,
    agent: User,
    citizen: User,
    membre,
    data: str,
    channel: str,
    purpose: str,
    request=None,
    action: str = PersonalDataAccess.Action.READ,
) -> PersonalDataAccess:
    """Record that an agent read (or exported) a citizen's personal data, and why.

    ``membre`` is the collectivité on whose behalf the agent acted (None only for the
    structure's own staff outside any member); ``data`` says which data in plain words,
    ``channel`` from which screen or API, ``purpose`` the case it was part of; the IP address
    comes from ``request``. Raises ValidationError (in French) when something is missing.
    """
    return journal_record_many(
        agent=agent,
        membre=membre,
        citizens=[(citizen, purpose)],
        data=data,
        channel=channel,
        request=request,
        action=action,
    )[0]


def journal_record_many(
    *,
    agent: User,
    membre,
    citizens: list[tuple[User, str]],
    data: str,
    channel: str,
    request=None,
    action: str = PersonalDataAccess.Action.READ,
) -> list[PersonalDataAccess]:
    """Record one access per citizen, each with its own purpose (an export of many citizens'
    data), chained in one transaction; return the entries. ``journal_record`` is the one-citizen
    case."""
    if not citizens:
        return []
    data = _clean_text(
        data,
        field="data",
        max_length=200,
        required_message=_("Précisez quelles données ont été consultées."),
    )
    channel = _clean_text(
        channel,
        field="channel",
        max_length=200,
        required_message=_("Précisez depuis quel écran ou quelle API les données sont lues."),
    )
    purposes = [
        _clean_text(
            purpose,
            field="purpose",
            max_length=300,
            required_message=_("Le motif de la consultation est obligatoire."),
        )
        for _citizen, purpose in citizens
    ]
    if action not in PersonalDataAccess.Action.values:
        raise ValidationError({"action": _("Action inconnue : %s") % action})
    if agent is None or agent.pk is None or any(c is None or c.pk is None for c, _p in citizens):
        raise ValidationError(_("L’agent et l’usager doivent être des comptes enregistrés."))
    ip = _client_ip(request)
    with transaction.atomic():
        _lock_chain()
        previous_hash = (
            PersonalDataAccess.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        ) or GENESIS_HASH
        entries = []
        now = timezone.now()
        for (citizen, _purpose), purpose in zip(citizens, purposes, strict=True):
            entry = PersonalDataAccess(
                created_at=now,
                agent=agent,
                citizen=citizen,
                membre=membre,
                action=action,
                data=data,
                channel=channel,
                purpose=purpose,
                ip=ip,
                previous_hash=previous_hash,
            )
            values = {name: getattr(entry, name) for name in HASHED_FIELDS}
            entry.entry_hash = compute_entry_hash(values, previous_hash)
            previous_hash = entry.entry_hash
            entries.append(entry)
        if len(entries) == 1:
            entries[0].save(force_insert=True)
        else:
            PersonalDataAccess.objects.bulk_create(entries, batch_size=1000)
    return entries


def parse_stored_datetime(value) -> datetime | None:
    """Return a stored date as an aware datetime, or None when it cannot be read.

    The journal reads its dates as text (`created_raw`) so that one malformed row, written
    around `journal_record`, cannot break a page or the chain check: it shows as broken instead.
    """
    if isinstance(value, datetime):
        parsed: datetime | None = value
    else:
        try:
            parsed = parse_datetime(str(value or "").strip())
        except (ValueError, OverflowError):
            return None
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        # SQLite stores UTC without an offset.
        parsed = parsed.replace(tzinfo=UTC)
    try:
        parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return parsed


def _unreadable(row: dict) -> str:
    """Return which stored value of a row cannot be read ("" when every one can)."""
    if row.get("created_at") is None:
        return _("sa date")
    if row.get("ip") not in (None, "") and _normalise_ip(row["ip"]) is None:
        return _("son adresse IP")
    for name in ("previous_hash", "entry_hash"):
        value = row.get(name)
        if not isinstance(value, str) or len(value) != 64:
            return _("son empreinte")
    return ""


def _walk(
    rows,
    previous_hash: str,
    count: int,
    expected: dict[int, dict] | None = None,
    seen: set[int] | None = None,
) -> VerifyReport:
    """Check rows (in id order) against the chain that ends with previous_hash.

    ``expected`` maps entry ids to published checkpoints that the chain must match there.
    """
    expected = expected or {}
    last_id = None
    for row in rows:
        unreadable = _unreadable(row)
        if unreadable:
            return VerifyReport(
                ok=False,
                count=count,
                head=previous_hash,
                broken_id=row["id"],
                reason=_("l’entrée n°%(id)s est illisible (%(what)s)")
                % {"id": row["id"], "what": unreadable},
            )
        if row["previous_hash"] != previous_hash:
            return VerifyReport(
                ok=False,
                count=count,
                head=previous_hash,
                broken_id=row["id"],
                reason=_(
                    "l’entrée n°%(id)s ne suit pas la précédente : une entrée a été supprimée, "
                    "insérée ou déplacée juste avant elle"
                )
                % {"id": row["id"]},
            )
        if _safe_hash(row, previous_hash) != row["entry_hash"]:
            return VerifyReport(
                ok=False,
                count=count,
                head=previous_hash,
                broken_id=row["id"],
                reason=_("le contenu de l’entrée n°%(id)s a été modifié") % {"id": row["id"]},
            )
        previous_hash = row["entry_hash"]
        last_id = row["id"]
        count += 1
        checkpoint = expected.get(row["id"])
        if checkpoint is not None and seen is not None:
            seen.add(row["id"])
        if checkpoint is not None and (
            checkpoint["entry_hash"] != row["entry_hash"] or checkpoint["entry_count"] != count
        ):
            return VerifyReport(
                ok=False,
                count=count - 1,
                head=previous_hash,
                broken_id=row["id"],
                reason=_(
                    "l’entrée n°%(id)s ne correspond plus au point de contrôle n°%(number)s "
                    "(%(expected)s entrées attestées, %(count)s dans la chaîne) : des entrées ont "
                    "été supprimées, remplacées ou réécrites"
                )
                % {
                    "id": row["id"],
                    "number": checkpoint["number"],
                    "expected": checkpoint["entry_count"],
                    "count": count,
                },
            )
    return VerifyReport(ok=True, count=count, head=previous_hash, last_id=last_id)


def _safe_hash(row: dict, previous_hash: str) -> str | None:
    try:
        return compute_entry_hash(row, previous_hash)
    except (TypeError, ValueError, AttributeError, OverflowError):
        return None


# The columns the chain check reads; the date as text, parsed row by row (see
# parse_stored_datetime), so that a malformed date is one broken entry and not an exception.
_CHAIN_COLUMNS = (
    "id",
    "previous_hash",
    "entry_hash",
    *(f for f in HASHED_FIELDS if f != "created_at"),
)


def chain_rows(queryset=None):
    """Return a values() queryset of chain rows whose date is read as text (`created_raw`)."""
    queryset = PersonalDataAccess.objects.all() if queryset is None else queryset
    return queryset.annotate(created_raw=Cast("created_at", CharField())).values(
        *_CHAIN_COLUMNS, "created_raw"
    )


def _decoded(rows):
    for row in rows:
        row["created_at"] = parse_stored_datetime(row.pop("created_raw"))
        yield row


def _rows(after_id: int = 0, chunk_size: int = 2000):
    """Yield the chain's rows after `after_id`, in id order, by keyset pages of chunk_size."""
    while True:
        page = list(
            chain_rows(PersonalDataAccess.objects.filter(id__gt=after_id).order_by("id"))[
                :chunk_size
            ]
        )
        if not page:
            return
        yield from _decoded(page)
        after_id = page[-1]["id"]


def _checkpoint_move(report: VerifyReport) -> None:
    if not report.ok or report.last_id is None:
        return
    values = {
        "entry_id": report.last_id,
        "entry_hash": report.head,
        "entry_count": report.count,
        "verified_at": timezone.now(),
    }
    # One row, moved forward (a page costs one UPDATE, not a growing table).
    if not JournalCheckpoint.objects.filter(pk=1).update(**values):
        JournalCheckpoint.objects.get_or_create(pk=1, defaults=values)


def journal_verify(*, published: list[dict] | None = None, chunk_size: int = 2000) -> VerifyReport:
    """Walk the whole chain in id order, recomputing every hash; report the first broken entry.

    The chain must also reach, and match, every published checkpoint: those in the database and
    ``published`` (copies kept outside it, as exported). When the chain holds, the
    verification cursor moves to its last entry.
    """
    checkpoints = [
        checkpoint_as_dict(row) for row in PublishedCheckpoint.objects.order_by("number")
    ]
    checkpoints += list(published or [])
    for checkpoint in checkpoints:
        problem = checkpoint_problem(checkpoint)
        if problem:
            return VerifyReport(
                ok=False,
                count=0,
                broken_id=_int_or_none(checkpoint.get("entry_id")),
                reason=problem,
            )
    expected: dict[int, dict] = {}
    for checkpoint in sorted(checkpoints, key=lambda item: item["entry_count"]):
        expected.setdefault(checkpoint["entry_id"], checkpoint)
    seen: set[int] = set()
    report = _walk(_rows(chunk_size=chunk_size), GENESIS_HASH, 0, expected, seen)
    if report.ok:
        # A checkpoint whose entry the chain no longer holds: the newest entries were deleted
        # (and maybe others appended since).
        beyond = [c for c in checkpoints if c["entry_id"] not in seen]
        if beyond:
            checkpoint = min(beyond, key=lambda item: item["entry_count"])
            return VerifyReport(
                ok=False,
                count=report.count,
                head=report.head,
                broken_id=checkpoint["entry_id"],
                reason=_truncated_reason(checkpoint, report.count),
            )
    _checkpoint_move(report)
    return report


def _truncated_reason(checkpoint: dict, count: int) -> str:
    return _(
        "des entrées ont été supprimées après le point de contrôle n°%(number)s : il attestait "
        "%(expected)s entrées jusqu’à l’entrée n°%(id)s, la chaîne n’en compte plus que %(count)s"
    ) % {
        "number": checkpoint["number"],
        "expected": checkpoint["entry_count"],
        "id": checkpoint["entry_id"],
        "count": count,
    }


# Published checkpoints: the chain's head, signed, kept outside the database too.

CHECKPOINT_SALT = "socle.journal.checkpoint"
CHECKPOINT_FIELDS = ("number", "entry_id", "entry_hash", "entry_count", "created_at")


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _signing_keys() -> list[str]:
    """The keys that may have signed a checkpoint, the first one signing new ones."""
    key = getattr(settings, "JOURNAL_SIGNING_KEY", "")
    if key:
        return [key]
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def checkpoint_payload(checkpoint: dict) -> bytes:
    """The canonical bytes a checkpoint's signature covers (JSON, sorted keys, compact)."""
    payload = {name: checkpoint[name] for name in CHECKPOINT_FIELDS}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _sign(payload: bytes, key: str) -> str:
    return salted_hmac(CHECKPOINT_SALT, payload, secret=key, algorithm="sha256").hexdigest()


def checkpoint_as_dict(checkpoint: PublishedCheckpoint) -> dict:
    """A checkpoint as exported (JSON-ready): its fields, the date in UTC, and its signature."""
    return {
        "number": checkpoint.number,
        "entry_id": checkpoint.entry_id,
        "entry_hash": checkpoint.entry_hash,
        "entry_count": checkpoint.entry_count,
        "created_at": checkpoint.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "signature": checkpoint.signature,
    }


def checkpoint_problem(checkpoint) -> str:
    """Return why a checkpoint (as exported) cannot be trusted, or "" when it is well signed."""
    if not isinstance(checkpoint, dict) or any(
        name not in checkpoint for name in (*CHECKPOINT_FIELDS, "signature")
    ):
        return _("un point de contrôle est incomplet ou mal formé")
    number = checkpoint.get("number")
    if not all(isinstance(checkpoint[name], int) for name in ("number", "entry_id", "entry_count")):
        return _("le point de contrôle n°%(number)s est mal formé") % {"number": number}
    payload = checkpoint_payload(checkpoint)
    signature = str(checkpoint["signature"])
    if not any(hmac.compare_digest(_sign(payload, key), signature) for key in _signing_keys()):
        return _(
            "le point de contrôle n°%(number)s n’a pas une signature valide : il a été modifié, "
            "ou signé avec une autre clé"
        ) % {"number": number}
    return ""


def journal_checkpoint_publish(*, acting_user=None) -> PublishedCheckpoint:
    """Sign and store the chain's current head; return it (the latest one if nothing changed).

    For the platform (``acting_user`` None: `socle journal checkpoint`, a scheduled task) or the
    ethics committee. Refuses (ValidationError, in French) an empty journal or a broken chain.
    """
    if acting_user is not None and not grants_for(acting_user).has("journal.lire_tout"):
        raise ValidationError(_("Seul le comité d’éthique publie un point de contrôle."))
    with transaction.atomic():
        _lock_chain()
        report = journal_verify_recent()
        if not report.ok:
            raise ValidationError(
                _("Chaîne rompue à l’entrée n°%(id)s : %(reason)s")
                % {"id": report.broken_id, "reason": report.reason}
            )
        head = JournalCheckpoint.objects.filter(pk=1).first()
        if head is None:
            raise ValidationError(_("Le journal est vide : rien à attester."))
        latest = PublishedCheckpoint.objects.order_by("-number").first()
        if latest is not None and latest.entry_id == head.entry_id:
            return latest
        checkpoint = PublishedCheckpoint(
            number=(latest.number + 1) if latest else 1,
            entry_id=head.entry_id,
            entry_hash=head.entry_hash,
            entry_count=head.entry_count,
            created_at=timezone.now(),
        )
        checkpoint.signature = _sign(
            checkpoint_payload(checkpoint_as_dict(checkpoint)), _signing_keys()[0]
        )
        checkpoint.save(force_insert=True)
    return checkpoint


def journal_verify_recent() -> VerifyReport:
    """Verify only what follows the last checkpoint (a page's check: the same cost at 10⁶
    entries as at 10); without a checkpoint, walk everything once.

    The checkpointed entry itself is re-read, so deleting or editing it shows too; what lies
    before it is `journal_verify`'s (`socle journal verify`) to walk again.
    """
    # The latest published checkpoint's entry must still be there (one indexed read): deleting
    # the newest entries shows on the pages too, not only in `socle journal verify`.
    published = PublishedCheckpoint.objects.order_by("-number").first()
    if (
        published is not None
        and not PersonalDataAccess.objects.filter(
            pk=published.entry_id, entry_hash=published.entry_hash
        ).exists()
    ):
        return VerifyReport(
            ok=False,
            count=0,
            broken_id=published.entry_id,
            reason=_(
                "l’entrée n°%(id)s, attestée par le point de contrôle n°%(number)s, a été "
                "supprimée ou modifiée : des entrées ont été supprimées après ce point de contrôle"
            )
            % {"id": published.entry_id, "number": published.number},
        )
    checkpoint = JournalCheckpoint.objects.filter(pk=1).first()
    if checkpoint is None:
        return journal_verify()
    anchor = next(
        _decoded(chain_rows(PersonalDataAccess.objects.filter(pk=checkpoint.entry_id))), None
    )
    if (
        anchor is None
        or anchor["entry_hash"] != checkpoint.entry_hash
        or _safe_hash(anchor, anchor["previous_hash"]) != checkpoint.entry_hash
    ):
        return VerifyReport(
            ok=False,
            count=0,
            head=checkpoint.entry_hash,
            broken_id=checkpoint.entry_id,
            reason=_("l’entrée n°%(id)s, vérifiée le %(date)s, a été modifiée ou supprimée depuis")
            % {"id": checkpoint.entry_id, "date": timezone.localtime(checkpoint.verified_at)},
        )
    report = _walk(
        _rows(after_id=checkpoint.entry_id), checkpoint.entry_hash, checkpoint.entry_count
    )
    _checkpoint_move(report)
    return report


# Citizen-support searches: every one recorded, and limited per agent.

CITIZEN_SEARCH_SALT = "socle.journal.citizen-search"
# At most this many searches per agent in this sliding window (every member together).
CITIZEN_SEARCH_LIMIT = 20
CITIZEN_SEARCH_WINDOW = timedelta(minutes=10)


class SearchRateExceeded(Exception):
    """Raised when an agent searched too many addresses lately."""


def citizen_search_digest(email: str) -> str:
    """The keyed digest of an address (case and spaces aside) that a search record keeps.

    Keyed (HMAC), not a bare SHA-256: addresses are guessable, so a plain hash could be reversed
    by trying a list of them; this one can only be recomputed by Socle.
    """
    return citizen_search_digests(email)[0]


def citizen_search_digests(email: str) -> list[str]:
    """The address's digest under the current key and each fallback, to find older searches
    after a key rotation."""
    normalised = (email or "").strip().lower().encode()
    return [
        salted_hmac(CITIZEN_SEARCH_SALT, normalised, secret=key, algorithm="sha256").hexdigest()
        for key in _signing_keys()
    ]


def citizen_search_record(
    *, acting_user: User, membre, email: str, citizen: User | None, request=None
) -> CitizenSearch:
    """Record one search by email address in a member's citizen-support screen.

    Raises SearchRateExceeded, recording nothing, when the agent already made
    CITIZEN_SEARCH_LIMIT searches in the last CITIZEN_SEARCH_WINDOW: call it before answering.
    """
    if acting_user is None or acting_user.pk is None:
        raise ValidationError(_("L’agent doit être un compte enregistré."))
    if not grants_for(acting_user).has("usagers.assister", membre):
        raise ValidationError(_("Vous ne pouvez pas chercher les usagers de ce membre."))
    with transaction.atomic():
        # Serialise one agent's searches so that parallel requests cannot overrun the limit.
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [1, acting_user.pk])
        recent = CitizenSearch.objects.filter(
            agent=acting_user, created_at__gte=timezone.now() - CITIZEN_SEARCH_WINDOW
        ).count()
        if recent >= CITIZEN_SEARCH_LIMIT:
            raise SearchRateExceeded
        return CitizenSearch.objects.create(
            agent=acting_user,
            membre=membre,
            email_digest=citizen_search_digest(email),
            found=citizen is not None,
            citizen=citizen,
            ip=_client_ip(request),
        )


# Guards, not business logic: they make the ORM refuse what the chain would reveal anyway.
@receiver(pre_save, sender=PersonalDataAccess, dispatch_uid="journal-append-only-save")
def _refuse_changes(sender, instance, **kwargs):
    if not instance._state.adding:
        raise JournalIsAppendOnly(_("Une entrée du journal ne peut pas être modifiée."))


@receiver(pre_delete, sender=PersonalDataAccess, dispatch_uid="journal-append-only-delete")
def _refuse_deletion(sender, instance, **kwargs):
    raise JournalIsAppendOnly(_("Une entrée du journal ne peut pas être supprimée."))
