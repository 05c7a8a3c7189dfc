"""The personal-data journal: every agent access to a citizen's personal data, hash-chained."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    """One entry of the append-only journal of agents' accesses to citizens' personal data.

    Each entry's hash covers its content and the previous entry's hash, so that editing or
    deleting any entry breaks the chain (`socle journal verify`).
    """

    class Action(models.TextChoices):
        READ = "lecture", _("Consultation")
        EXPORT = "export", _("Export")

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_accesses"
    )
    membre = models.ForeignKey(
        "membres.Membre", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices, default=Action.READ)
    # Which data, in plain words for the citizen: "identité et coordonnées", "justificatif"…
    data = models.CharField(max_length=200)
    # From which screen or API endpoint.
    channel = models.CharField(max_length=200)
    # Why: the case it was part of ("signalement 2026-0042", "demande d'assistance").
    purpose = models.CharField(max_length=300)
    ip = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        db_table = "comptes_personaldataaccess"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["citizen", "created_at"]),
            models.Index(fields=["membre", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.agent} → {self.citizen} ({self.data})"


class JournalCheckpoint(models.Model):
    """The last entry whose chain was verified from the start, so pages verify only what follows.

    `socle journal verify` walks the whole chain and moves the checkpoint; a page verifies the
    entries after it (usually none or a few) instead of the whole journal.
    """

    entry_id = models.PositiveBigIntegerField()
    entry_hash = models.CharField(max_length=64)
    # How many entries the chain held up to it.
    entry_count = models.PositiveBigIntegerField(default=0)
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-entry_id"]

    def __str__(self) -> str:
        return f"vérifié jusqu'à {self.entry_id}"


class PublishedCheckpoint(models.Model):
    """A signed statement of the chain's head: « the journal held `entry_count` entries, the
    last one n°`entry_id` with hash `entry_hash`, at `created_at` ».

    Written by `socle journal checkpoint` (periodically, and on demand) and copied out of the
    database (`--export`, the ethics committee's download): `socle journal verify` fails when
    the chain no longer reaches a checkpoint, so deleting the newest entries shows.
    """

    number = models.PositiveBigIntegerField(unique=True)
    entry_id = models.PositiveBigIntegerField()
    entry_hash = models.CharField(max_length=64)
    entry_count = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    # HMAC-SHA256 (hex) of the canonical checkpoint, keyed by JOURNAL_SIGNING_KEY or SECRET_KEY.
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"point de contrôle n°{self.number} (entrée {self.entry_id})"


class CitizenSearch(models.Model):
    """One search for a citizen's account by email address in the citizen-support screen.

    Every search is recorded, found or not: who searched, on behalf of which member, when,
    and whether an account matched (and which). The address itself is not stored, only a keyed
    digest of it (`citizen_search_digest`): the DPO can check whether a given address was
    searched, but the table does not keep the addresses of people who have no account.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membre = models.ForeignKey("membres.Membre", on_delete=models.PROTECT, related_name="+")
    email_digest = models.CharField(max_length=64, db_index=True)
    found = models.BooleanField()
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["agent", "created_at"]),
            models.Index(fields=["membre", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.agent} : recherche {'fructueuse' if self.found else 'sans résultat'}"
