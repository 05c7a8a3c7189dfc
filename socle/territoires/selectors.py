"""Reads of the territory: collectivités, their élus."""

from django.db.models import Avg, Case, F, Q, QuerySet, Sum, Value, When

from socle.territoires.models import Collectivite, Elu, search_key


def collectivite_search(query: str, *, limit: int = 20) -> QuerySet[Collectivite]:
    """Find active collectivités by name (accents and case ignored) or code, larger first."""
    query = query.strip()
    key = search_key(query)
    if not key:
        return Collectivite.objects.none()
    return (
        Collectivite.objects.filter(active=True)
        .filter(Q(nom_recherche__contains=key) | Q(code=query.upper()))
        .select_related("departement")
        .order_by("-population", "kind", "nom")[:limit]
    )


def collectivite_by_key(key: str) -> Collectivite | None:
    """Find an active collectivité by its natural key "kind:code"."""
    kind, _sep, code = key.partition(":")
    if not code or kind not in Collectivite.Kind.values:
        return None
    return Collectivite.objects.filter(kind=kind, code=code, active=True).first()


def epci_communes(epci: Collectivite) -> QuerySet[Collectivite]:
    """Return the active member communes of an EPCI."""
    return Collectivite.objects.filter(epci=epci, kind=Collectivite.Kind.COMMUNE, active=True)


def commune_elus(*, commune: Collectivite) -> QuerySet[Elu]:
    """Return the maire and adjoints of a commune, maire first."""
    # The source gives the maire no rank: put it first explicitly (NULL order differs by database).
    rank = Case(
        When(fonction="Maire", then=Value(0)),
        When(fonction__startswith="Maire", then=Value(1)),
        default=Value(2),
    )
    return (
        Elu.objects.filter(commune=commune)
        .exclude(fonction="")
        .order_by(rank, F("ordre_fonction").asc(nulls_last=True), "nom", "prenom")
    )


def departement_mapped() -> Collectivite | None:
    """Return the département whose communes' boundaries are loaded (the one with most of them,
    when several are): what a map of the whole platform draws without tiles."""
    from django.db.models import Count

    from socle.territoires.models import CommuneGeometry

    row = (
        CommuneGeometry.objects.filter(commune__active=True)
        .values("commune__departement_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if row is None or row["commune__departement_id"] is None:
        return None
    return Collectivite.objects.filter(pk=row["commune__departement_id"]).first()


def competences_by_ids(ids) -> list:
    """Return these competences of the catalogue, by name."""
    from socle.territoires.models import Competence

    return list(Competence.objects.filter(pk__in=list(ids)).order_by("nom"))


def collectivite_extent(collectivite: Collectivite) -> dict:
    """Return the population and a central point of a collectivité, from its communes when the
    territory records none for it (EPCI, département, région): the sum of their populations and
    the mean of their mairies' positions."""
    if collectivite.kind == Collectivite.Kind.COMMUNE:
        return {
            "population": collectivite.population,
            "latitude": collectivite.latitude,
            "longitude": collectivite.longitude,
        }
    fields: dict[str, str] = {"epci": "epci", "departement": "departement", "region": "region"}
    field = fields.get(collectivite.kind)
    totals: dict = {"population": None, "latitude": None, "longitude": None}
    if field is not None:
        totals = Collectivite.objects.filter(
            **{field: collectivite}, kind=Collectivite.Kind.COMMUNE, active=True
        ).aggregate(
            population=Sum("population"), latitude=Avg("latitude"), longitude=Avg("longitude")
        )
    return {
        "population": collectivite.population or totals["population"],
        "latitude": collectivite.latitude
        if collectivite.latitude is not None
        else totals["latitude"],
        "longitude": collectivite.longitude
        if collectivite.longitude is not None
        else totals["longitude"],
    }
