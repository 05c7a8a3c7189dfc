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
