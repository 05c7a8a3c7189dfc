"""Reads of open data: what the public sees, what a member's staff sees."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from socle.membres.models import Membre
from socle.membres.permissions import grants_for
from socle.opendata.models import Jeu, Version


def jeux_publics(*, membre: Membre | None) -> QuerySet[Jeu]:
    """Return the datasets with at least one published version, of a member (None: the
    structure's own)."""
    return Jeu.objects.filter(membre=membre, modifie_le__isnull=False).select_related("membre")


def jeux_de_la_structure() -> QuerySet[Jeu]:
    """Return every published dataset of the platform: the members' and the structure's."""
    return Jeu.objects.filter(modifie_le__isnull=False).select_related(
        "membre", "membre__collectivite"
    )


def jeu_public(*, membre: Membre | None, slug: str) -> Jeu | None:
    """Return a published dataset by its address."""
    return jeux_publics(membre=membre).filter(slug=slug).first()


def version_courante(jeu: Jeu) -> Version | None:
    """Return the dataset's latest published version."""
    return jeu.versions.order_by("-numero").first()


def version_numero(jeu: Jeu, numero: int) -> Version | None:
    """Return one published version of the dataset."""
    return jeu.versions.filter(numero=numero).first()


def jeux_for_user(*, user, membre: Membre) -> QuerySet[Jeu]:
    """Return all the member's datasets (published or not) for its staff."""
    if not grants_for(user).has("opendata.voir", membre):
        raise PermissionDenied
    return Jeu.objects.filter(membre=membre)


def get_jeu_for_user(*, user, membre: Membre, slug: str) -> Jeu:
    """Return one of the member's datasets for its staff; 404 when it is not one."""
    found = jeux_for_user(user=user, membre=membre).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


# --- Serving: portal pages, downloads, API, DCAT (socle.opendata.views_public, api, dcat) -------
# Imported here, not at the top, so that this block only appends to the file.
from django.db import connection  # noqa: E402
from django.db.models import OuterRef, Q, Subquery, TextField  # noqa: E402
from django.db.models.fields.json import KeyTextTransform  # noqa: E402
from django.db.models.functions import Cast  # noqa: E402

from socle.membres.selectors import membre_public, membres_public  # noqa: E402
from socle.opendata.models import Ligne  # noqa: E402


def membre_opendata(slug: str) -> Membre | None:
    """Return an active member that publishes open data (the module switched on), by slug."""
    membre = membre_public(slug)
    if membre is None or "opendata" not in (membre.modules or []):
        return None
    return membre


def membres_opendata() -> list[Membre]:
    """Return the active members that publish open data, by name."""
    found = [m for m in membres_public() if "opendata" in (m.modules or [])]
    return sorted(found, key=lambda m: m.collectivite.nom)


def jeux_du_site(*, membre: Membre | None = None, schema: str = "") -> QuerySet[Jeu]:
    """Return the published datasets the structure's portal lists: those of the members that
    publish open data and the structure's own; only one member's with `membre`, only one
    schema's with `schema`."""
    if membre is not None:
        found = Jeu.objects.filter(membre=membre)
    else:
        ids = [m.pk for m in membres_opendata()]
        found = Jeu.objects.filter(Q(membre__isnull=True) | Q(membre_id__in=ids))
    if schema:
        found = found.filter(schema=schema)
    return (
        found.filter(modifie_le__isnull=False)
        .select_related("membre", "membre__collectivite")
        .annotate(
            derniere_version=Subquery(
                Version.objects.filter(jeu=OuterRef("pk")).order_by("-numero").values("numero")[:1]
            ),
            derniere_nb_lignes=Subquery(
                Version.objects.filter(jeu=OuterRef("pk"))
                .order_by("-numero")
                .values("nb_lignes")[:1]
            ),
        )
        .order_by("membre__collectivite__nom", "titre")
    )


def jeux_publics_avec_version(*, membre: Membre | None) -> QuerySet[Jeu]:
    """Return a member's (None: the structure's) published datasets with their latest
    version's number and row count (`derniere_version`, `derniere_nb_lignes`)."""
    latest = Version.objects.filter(jeu=OuterRef("pk")).order_by("-numero")
    return jeux_publics(membre=membre).annotate(
        derniere_version=Subquery(latest.values("numero")[:1]),
        derniere_nb_lignes=Subquery(latest.values("nb_lignes")[:1]),
    )


def schemas_publies(jeux: QuerySet[Jeu]) -> list[str]:
    """Return the schemas the given datasets follow, for a filter's choices."""
    return sorted({name for name in jeux.values_list("schema", flat=True) if name})


def versions_du_jeu(jeu: Jeu) -> QuerySet[Version]:
    """Return every published version of a dataset, the latest first."""
    return jeu.versions.order_by("-numero")


def lignes_premieres(version: Version, nombre: int) -> list[dict]:
    """Return the first rows of a version (their data), in file order."""
    return list(
        Ligne.objects.filter(version=version, numero__lte=nombre)
        .order_by("numero")
        .values_list("donnees", flat=True)
    )


def lignes_filtrees(
    *,
    version: Version,
    egal: dict[str, str] | None = None,
    contient: dict[str, str] | None = None,
    tri: str = "",
    descendant: bool = False,
) -> QuerySet[Ligne]:
    """Return a version's rows whose columns equal (`egal`) or contain, ignoring case
    (`contient`), the given values, sorted by a column's text (`tri`), then by row number.

    Column names go to the database as JSON keys (KeyTextTransform), never as SQL: any name is
    safe. The caller checks they are columns of the version. The value is cast to text so that
    the lookups compare text (a JSON key's own lookups would read the value as JSON).
    """

    def text(column: str) -> Cast:
        return Cast(KeyTextTransform(column, "donnees"), output_field=TextField())

    found = Ligne.objects.filter(version=version)
    if egal and connection.vendor == "postgresql":
        # Containment, `donnees @> {"col": "value"}`, finds the rows through the GIN index on
        # donnees (migration 0002) instead of reading all the version's: the same rows as
        # comparing text, every value being its cell's text.
        found = found.filter(donnees__contains=dict(egal))
        egal = {}
    conditions: dict[str, str] = {}
    for index, (column, value) in enumerate((egal or {}).items()):
        alias = f"od_egal_{index}"
        found = found.alias(**{alias: text(column)})
        conditions[alias] = value
    for index, (column, value) in enumerate((contient or {}).items()):
        alias = f"od_contient_{index}"
        found = found.alias(**{alias: text(column)})
        conditions[f"{alias}__icontains"] = value
    found = found.filter(**conditions)
    if tri:
        key = text(tri)
        return found.order_by(key.desc() if descendant else key.asc(), "numero")
    return found.order_by("numero")


def depots_recents(jeu: Jeu, *, limit: int = 5) -> list:
    """Return the dataset's latest uploads validated by a task, newest first."""
    from socle.opendata.models import Depot

    return list(Depot.objects.filter(jeu=jeu).order_by("-depose_le", "-pk")[:limit])
