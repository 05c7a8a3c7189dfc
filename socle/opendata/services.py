"""Writes of open data: datasets, versions validated then published whole, or not at all."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import timedelta
from hashlib import sha256 as _sha256
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task

from socle.core.tasks import task_enqueue
from socle.membres.models import Membre
from socle.membres.permissions import permission_check
from socle.membres.services import audit_record
from socle.opendata.datagouv import datagouv_after_publish
from socle.opendata.models import Depot, Jeu, Ligne, Version
from socle.opendata.schemas import schema_load
from socle.opendata.validation import Rapport, table_validate

ROWS_BATCH = 2000
# Addresses the back office's own pages take (/gestion/<member>/donnees/nouveau/).
RESERVED_SLUGS = frozenset({"nouveau"})


class PublicationRefusee(Exception):
    """A file that cannot be published, with the French report that says why."""

    def __init__(self, rapport: Rapport) -> None:
        super().__init__(rapport.resume)
        self.rapport = rapport


@transaction.atomic
def jeu_create(
    *,
    acting_user,
    membre: Membre | None,
    titre: str,
    description: str = "",
    schema: str = "",
    licence: str = Jeu.Licence.LO,
    frequence: str = Jeu.Frequence.INCONNUE,
    source: str = Jeu.Source.DEPOSE,
    generateur: str = "",
    geographique: bool = False,
    slug: str = "",
) -> Jeu:
    """Declare a dataset of a member (None: of the structure)."""
    if membre is not None:
        permission_check(acting_user, "opendata.publier", membre)
    else:
        permission_check(acting_user, "opendata.structure")
    titre = " ".join(str(titre or "").split())
    errors: dict[str, str] = {}
    if not titre:
        errors["titre"] = _("Donnez un titre au jeu de données.")
    if schema and schema_load(schema) is None and not schema.startswith("socle/"):
        errors["schema"] = _("Schéma inconnu : %(s)s.") % {"s": schema}
    if licence not in Jeu.Licence.values:
        errors["licence"] = _("Licence inconnue.")
    if frequence not in Jeu.Frequence.values:
        errors["frequence"] = _("Fréquence inconnue.")
    slug = slugify(slug or titre)[:80] or "jeu"
    if slug in RESERVED_SLUGS:
        slug = f"{slug}-jeu"
    if Jeu.objects.filter(membre=membre, slug=slug).exists():
        errors["titre"] = _("Un jeu de données porte déjà ce nom.")
    if errors:
        raise ValidationError(errors)
    jeu = Jeu.objects.create(
        membre=membre,
        slug=slug,
        titre=titre[:200],
        description=str(description or "").strip(),
        schema=schema,
        licence=licence,
        frequence=frequence,
        source=source,
        generateur=generateur,
        geographique=geographique,
    )
    if membre is not None:
        audit_record(acting_user=acting_user, membre=membre, action="jeu.creation", target=jeu)
    return jeu


def _rows(header: list[str], lignes: list[list[str]]) -> list[dict[str, str]]:
    """Return the rows for the API, one dict a row, without the empty ones."""
    return [dict(zip(header, row, strict=False)) for row in lignes if any(cell for cell in row)]


def _version_name(jeu: Jeu, numero: int) -> str:
    owner = jeu.membre.slug if jeu.membre is not None else "structure"
    return f"{owner}-{jeu.slug}-v{numero}.csv"


def version_publish(
    *,
    acting_user,
    jeu: Jeu,
    contenu: bytes,
    nom: str = "",
    feuille: str = "",
    valider: bool = True,
) -> Version:
    """Validate a file against the dataset's schema and publish it as its next version.

    `contenu` is the file as uploaded (CSV or XLSX; `feuille` names the sheet of a workbook
    with several); `socle.opendata.reading.table_read` turns it into UTF-8 CSV. Whatever is
    wrong with it (unreadable, too big, invalid against the schema) raises PublicationRefusee
    with the French report: nothing is written and the last valid version stays online.
    `valider=False` only for the platform's own generated datasets, whose rows we write
    ourselves.

    All or nothing: reading and validation run before any write; then, in one transaction,
    the dataset is locked (concurrent publications get consecutive numbers), the version and
    its rows inserted, and the file stored last; should anything fail once the file is
    stored, the file is deleted with the rollback. (A caller wrapping this in its own
    transaction that later rolls back leaves an unreferenced file, never a missing one.)
    """
    from socle.opendata.reading import table_read

    if jeu.membre is not None:
        permission_check(acting_user, "opendata.publier", jeu.membre)
    else:
        permission_check(acting_user, "opendata.structure")
    try:
        table = table_read(contenu, nom=nom, feuille=feuille)
    except ValidationError as refused:
        raise PublicationRefusee(Rapport.refus(refused.messages)) from refused
    schema = schema_load(jeu.schema) if jeu.schema else None
    rapport = Rapport.vide()
    if valider and schema is not None:
        rapport = table_validate(table.csv_text, schema)
    rapport.avertissements = [*table.avertissements, *rapport.avertissements]
    if not rapport.valide:
        raise PublicationRefusee(rapport)
    rows = _rows(table.colonnes, table.lignes)
    rapport.lignes = rapport.lignes or len(rows)
    data = table.csv_text.encode("utf-8")
    storage = Version._meta.get_field("fichier").storage  # type: ignore[attr-defined]
    stored = ""
    try:
        with transaction.atomic():
            jeu = Jeu.objects.select_for_update().get(pk=jeu.pk)
            numero = (jeu.versions.aggregate(n=Max("numero"))["n"] or 0) + 1
            version = Version.objects.create(
                jeu=jeu,
                numero=numero,
                publie_par=acting_user,
                nom_origine=re.sub(r"[^\w.\- ]", "_", nom)[:200],
                sha256=hashlib.sha256(data).hexdigest(),
                colonnes=table.colonnes,
                nb_lignes=len(rows),
                rapport=rapport.as_dict(),
            )
            for start in range(0, len(rows), ROWS_BATCH):
                Ligne.objects.bulk_create(
                    Ligne(version=version, numero=start + offset + 1, donnees=row)
                    for offset, row in enumerate(rows[start : start + ROWS_BATCH])
                )
            jeu.modifie_le = version.publie_le
            jeu.save(update_fields=["modifie_le"])
            if jeu.membre is not None:
                audit_record(
                    acting_user=acting_user,
                    membre=jeu.membre,
                    action="jeu.version",
                    target=jeu,
                    details={"version": numero, "lignes": len(rows)},
                )
            # Last: the file exists only for a version whose rows are all written.
            version.fichier.save(_version_name(jeu, numero), ContentFile(data), save=False)
            stored = version.fichier.name or ""
            version.save(update_fields=["fichier"])
            # Its publication on data.gouv.fr is queued with it, when the member has an account.
            datagouv_after_publish(version)
    except BaseException:
        if stored:
            storage.delete(stored)
        raise
    return version


# --- Large uploads, validated by a task ---------------------------------------------------------


@transaction.atomic
def depot_create(
    *, acting_user, jeu: Jeu, contenu: bytes, nom: str = "", feuille: str = ""
) -> Depot:
    """Keep an uploaded file and queue its validation and publication (for files too large to
    validate within a web request); the dataset's page shows the result."""
    if jeu.membre is not None:
        permission_check(acting_user, "opendata.publier", jeu.membre)
    else:
        permission_check(acting_user, "opendata.structure")
    depot = Depot(
        jeu=jeu,
        nom=re.sub(r"[^\w.\- ]", "_", nom)[:200],
        feuille=str(feuille or "")[:100],
        depose_par=acting_user,
    )
    depot.fichier.save(
        f"{jeu.slug}-{_sha256(contenu).hexdigest()[:16]}", ContentFile(contenu), save=False
    )
    depot.save()
    task_enqueue(depot_traiter, depot.pk)
    return depot


def depots_sweep(*, limit: int = 100) -> int:
    """Queue again the uploads whose task was lost (a worker killed mid-validation, after its
    lease; or a task that never ran); return how many. A copy queued twice runs once."""
    now = timezone.now()
    lease = timedelta(seconds=settings.OPENDATA_DEPOT_LEASE_SECONDS)
    overdue = now - timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS)
    ids = list(
        Depot.objects.filter(etat=Depot.Etat.EN_ATTENTE)
        .filter(Q(pris_le__lt=now - lease) | Q(pris_le__isnull=True, depose_le__lt=overdue))
        .values_list("pk", flat=True)[:limit]
    )
    for depot_id in ids:
        with transaction.atomic():
            task_enqueue(depot_traiter, depot_id)
    return len(ids)


@task()
def depot_traiter(depot_id: int) -> str:
    """Validate and publish an uploaded file, once; record the version or the report."""
    now = timezone.now()
    lease = timedelta(seconds=settings.OPENDATA_DEPOT_LEASE_SECONDS)
    # Free, or taken by a worker that died (its lease ran out): taken by this one.
    taken = (
        Depot.objects.filter(pk=depot_id, etat=Depot.Etat.EN_ATTENTE)
        .filter(Q(pris_le__isnull=True) | Q(pris_le__lt=now - lease))
        .update(pris_le=now)
    )
    if not taken:
        return "skipped"
    depot = Depot.objects.select_related("jeu", "jeu__membre", "depose_par").get(pk=depot_id)
    with depot.fichier.open("rb") as handle:
        contenu = handle.read()
    try:
        version = version_publish(
            acting_user=depot.depose_par,
            jeu=depot.jeu,
            contenu=contenu,
            nom=depot.nom,
            feuille=depot.feuille,
        )
    except PublicationRefusee as refused:
        depot.etat, depot.rapport = Depot.Etat.REFUSE, refused.rapport.as_dict()
    else:
        depot.etat, depot.version = Depot.Etat.PUBLIE, version
    depot.traite_le = timezone.now()
    stored = depot.fichier.name
    depot.fichier.name = ""
    depot.save(update_fields=["etat", "rapport", "version", "traite_le", "fichier"])
    # The upload is no longer needed: the version keeps its own file.
    if stored:
        depot.fichier.storage.delete(stored)
    return depot.etat


@transaction.atomic
def jeu_ensure(
    *,
    acting_user,
    membre: Membre,
    schema: str,
    titre: str = "",
    slug: str = "",
) -> Jeu:
    """Return the member's dataset to publish a file of this schema into, declared if missing.

    With `slug`: that dataset (declared under that address if it does not exist). Without: the
    member's only dataset of that schema; refused when it has several (name one).
    """
    permission_check(acting_user, "opendata.publier", membre)
    shipped = schema_load(schema)
    if shipped is None:
        raise ValidationError(
            {"schema": _("Schéma inconnu : %(s)s.") % {"s": schema}}, code="schema"
        )
    if slug:
        found = Jeu.objects.filter(membre=membre, slug=slug).first()
        if found is not None:
            if found.schema != schema:
                raise ValidationError(
                    _("Le jeu « %(j)s » suit le schéma %(a)s, pas %(b)s.")
                    % {"j": found.slug, "a": found.schema or "—", "b": schema},
                    code="schema",
                )
            return found
    else:
        existing = list(Jeu.objects.filter(membre=membre, schema=schema, source=Jeu.Source.DEPOSE))
        if len(existing) == 1:
            return existing[0]
        if len(existing) > 1:
            raise ValidationError(
                _("La collectivité a plusieurs jeux de ce schéma (%(s)s) : précisez lequel.")
                % {"s": ", ".join(jeu.slug for jeu in existing)},
                code="plusieurs",
            )
    return jeu_create(
        acting_user=acting_user,
        membre=membre,
        titre=titre or shipped.title,
        schema=schema,
        slug=slug,
    )


def now_iso() -> str:
    """Return the current time, ISO 8601 (for generated files)."""
    return timezone.now().isoformat(timespec="seconds")


def as_text(value: Any) -> str:
    """Return a cell's text for a generated CSV."""
    return "" if value is None else str(value)


# --- Generated datasets ---
# (Kept below this line, with its own imports: the part above may change independently.)


logger = logging.getLogger(__name__)


def _generated_jeu(*, membre: Membre, gen) -> Jeu | None:
    return Jeu.objects.filter(membre=membre, source=Jeu.Source.GENERE, generateur=gen.code).first()


def _generated_jeu_create(*, membre: Membre, gen) -> Jeu:
    coll = membre.collectivite
    slug = gen.slug
    if Jeu.objects.filter(membre=membre, slug=slug).exists():
        # A dataset the member uploaded took the name first.
        slug = f"{gen.slug}-plateforme"
    jeu = jeu_create(
        acting_user=None,
        membre=membre,
        titre=gen.titre(coll),
        description=gen.description(coll),
        schema=gen.schema,
        licence=Jeu.Licence.LO,
        frequence=gen.frequence,
        source=Jeu.Source.GENERE,
        generateur=gen.code,
        geographique=gen.geographique,
        slug=slug,
    )
    jeu.mots_cles = list(gen.mots_cles)
    jeu.save(update_fields=["mots_cles"])
    return jeu


def _generated_publish(*, membre: Membre, gen) -> Version | None:
    """Produce one generated dataset of a member; publish it as a new version when its content
    differs from the latest version's. Return the new version, or None."""
    from socle.opendata.generators import siret_collectivite

    if gen.siret_requis and not siret_collectivite(membre.collectivite):
        logger.warning(
            "opendata: %s not generated for %s: its SIRET is unknown", gen.code, membre.slug
        )
        return None

    def jeu_get() -> Jeu:
        return _generated_jeu(membre=membre, gen=gen) or _generated_jeu_create(
            membre=membre, gen=gen
        )

    return _publish_if_changed(
        jeu_get=jeu_get,
        colonnes=gen.colonnes(),
        lignes=gen.lignes(membre),
        valider=bool(gen.schema),
    )


def _publish_if_changed(*, jeu_get, colonnes: list[str], lignes, valider: bool) -> Version | None:
    """Publish generated rows as a new version of the dataset `jeu_get()` returns (declared on
    first use), unless they are the latest version's; return the new version, or None."""
    from socle.opendata.generators import table_csv
    from socle.opendata.reading import table_read

    if not lignes:
        # Nothing to publish (a file of a header alone is refused): no empty dataset on the
        # portal; one that had rows keeps its last version.
        return None
    contenu = table_csv(colonnes, lignes)
    # The hash of what version_publish would store, whatever table_read normalises.
    sha256 = _sha256(table_read(contenu).csv_text.encode("utf-8")).hexdigest()
    with transaction.atomic():
        # Two runs at once (the task and the command) publish one version, not two.
        jeu = Jeu.objects.select_for_update().get(pk=jeu_get().pk)
        latest = jeu.versions.order_by("-numero").first()
        if latest is not None and latest.sha256 == sha256:
            return None
        return version_publish(
            acting_user=None, jeu=jeu, contenu=contenu, nom=f"{jeu.slug}.csv", valider=valider
        )


def opendata_generate_structure() -> list[Version]:
    """Produce the structure's own generated datasets (the observatory's projects) and publish
    those whose content changed; return the new versions."""
    from socle.opendata.generators import GENERATEURS_STRUCTURE

    versions = []
    for gen in GENERATEURS_STRUCTURE:

        def jeu_get(gen=gen) -> Jeu:
            jeu = Jeu.objects.filter(
                membre=None, source=Jeu.Source.GENERE, generateur=gen.code
            ).first()
            if jeu is not None:
                return jeu
            slug = gen.slug
            if Jeu.objects.filter(membre=None, slug=slug).exists():
                slug = f"{gen.slug}-plateforme"
            jeu = jeu_create(
                acting_user=None,
                membre=None,
                titre=gen.titre(),
                description=gen.description(),
                licence=Jeu.Licence.LO,
                frequence=gen.frequence,
                source=Jeu.Source.GENERE,
                generateur=gen.code,
                geographique=gen.geographique,
                slug=slug,
            )
            jeu.mots_cles = list(gen.mots_cles)
            jeu.save(update_fields=["mots_cles"])
            return jeu

        version = _publish_if_changed(
            jeu_get=jeu_get, colonnes=gen.colonnes(), lignes=gen.lignes(), valider=False
        )
        if version is not None:
            versions.append(version)
    return versions


def opendata_generate(*, membre: Membre) -> list[Version]:
    """Produce the member's generated datasets (mairies, reports, élus, then the catalogue) and
    publish those whose content changed; return the new versions.

    Nothing for a member without the open data module. A dataset whose file the validation
    refuses is logged and skipped (its last version stays online); the others go on.
    """
    from socle.opendata.generators import GENERATEURS, MODULE

    if not membre.active or MODULE not in (membre.modules or []):
        return []
    versions = []
    for gen in GENERATEURS:
        try:
            version = _generated_publish(membre=membre, gen=gen)
        except PublicationRefusee as refused:
            logger.error(
                "opendata: %s of %s refused:\n%s", gen.code, membre.slug, refused.rapport.texte()
            )
            continue
        except ValidationError as unreadable:
            logger.error("opendata: %s of %s unreadable: %s", gen.code, membre.slug, unreadable)
            continue
        if version is not None:
            versions.append(version)
    return versions


def opendata_generate_all() -> list[Version]:
    """Produce the generated datasets of every member with the open data module, then the
    structure's."""
    versions = []
    for membre in Membre.objects.filter(active=True).select_related("collectivite"):
        if "opendata" in (membre.modules or []):
            versions.extend(opendata_generate(membre=membre))
    versions.extend(opendata_generate_structure())
    return versions
