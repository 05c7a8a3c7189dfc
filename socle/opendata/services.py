"""Writes of open data: datasets, versions validated then published whole, or not at all."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from socle.membres.models import Membre
from socle.membres.permissions import permission_check
from socle.membres.services import audit_record
from socle.opendata.models import Jeu, Ligne, Version
from socle.opendata.schemas import schema_load
from socle.opendata.validation import Rapport, table_validate

ROWS_BATCH = 2000


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


def _rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    rows = [dict(zip(header, row, strict=False)) for row in reader if any(cell for cell in row)]
    return header, rows


@transaction.atomic
def version_publish(
    *,
    acting_user,
    jeu: Jeu,
    contenu: bytes,
    nom: str = "",
    valider: bool = True,
) -> Version:
    """Validate a file against the dataset's schema and publish it as its next version.

    `contenu` is the file as uploaded; `socle.opendata.reading.table_read` turns it into UTF-8
    CSV. A refused file raises PublicationRefusee with the French report: nothing is written
    and the last valid version stays online. `valider=False` only for the platform's own
    generated datasets, whose rows we write ourselves.
    """
    from socle.opendata.reading import table_read

    if jeu.membre is not None:
        permission_check(acting_user, "opendata.publier", jeu.membre)
    else:
        permission_check(acting_user, "opendata.structure")
    table = table_read(contenu, nom=nom)
    schema = schema_load(jeu.schema) if jeu.schema else None
    rapport = Rapport.vide()
    if valider and schema is not None:
        rapport = table_validate(table.csv_text, schema)
        if not rapport.valide:
            raise PublicationRefusee(rapport)
    header, rows = _rows(table.csv_text)
    data = table.csv_text.encode("utf-8")
    jeu = Jeu.objects.select_for_update().get(pk=jeu.pk)
    numero = (jeu.versions.aggregate(n=Max("numero"))["n"] or 0) + 1
    version = Version(
        jeu=jeu,
        numero=numero,
        publie_par=acting_user,
        nom_origine=re.sub(r"[^\w.\- ]", "_", nom)[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        colonnes=header,
        nb_lignes=len(rows),
        rapport=rapport.as_dict(),
    )
    version.fichier.save(f"{jeu.slug}-v{numero}.csv", ContentFile(data), save=False)
    version.save()
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
    return version


def now_iso() -> str:
    """Return the current time, ISO 8601 (for generated files)."""
    return timezone.now().isoformat(timespec="seconds")


def as_text(value: Any) -> str:
    """Return a cell's text for a generated CSV."""
    return "" if value is None else str(value)


# --- Generated datasets ---
# (Kept below this line, with its own imports: the part above may change independently.)

import logging  # noqa: E402
from hashlib import sha256 as _sha256  # noqa: E402

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
    from socle.opendata.generators import siret_collectivite, table_csv
    from socle.opendata.reading import table_read

    if gen.siret_requis and not siret_collectivite(membre.collectivite):
        logger.warning(
            "opendata: %s not generated for %s: its SIRET is unknown", gen.code, membre.slug
        )
        return None
    lignes = gen.lignes(membre)
    if not lignes:
        # Nothing to publish (a file of a header alone is refused): no empty dataset on the
        # portal; one that had rows keeps its last version.
        return None
    contenu = table_csv(gen.colonnes(), lignes)
    # The hash of what version_publish would store, whatever table_read normalises.
    sha256 = _sha256(table_read(contenu).csv_text.encode("utf-8")).hexdigest()
    with transaction.atomic():
        jeu = _generated_jeu(membre=membre, gen=gen)
        if jeu is None:
            jeu = _generated_jeu_create(membre=membre, gen=gen)
        # Two runs at once (the task and the command) publish one version, not two.
        jeu = Jeu.objects.select_for_update().get(pk=jeu.pk)
        latest = jeu.versions.order_by("-numero").first()
        if latest is not None and latest.sha256 == sha256:
            return None
        return version_publish(
            acting_user=None,
            jeu=jeu,
            contenu=contenu,
            nom=f"{jeu.slug}.csv",
            valider=bool(gen.schema),
        )


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
    """Produce the generated datasets of every member with the open data module."""
    versions = []
    for membre in Membre.objects.filter(active=True).select_related("collectivite"):
        if "opendata" in (membre.modules or []):
            versions.extend(opendata_generate(membre=membre))
    return versions
