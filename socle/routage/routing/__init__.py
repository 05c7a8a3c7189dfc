"""Route a point and a competence to whoever handles it: fast, exact and deterministic.

``route(lat, lon, competence)`` finds the commune where the point lies, who holds the
competence there and why, then the member's service that handles it, or the holder's
public contact when the holder is not a member. Everything it reads lives in memory:
no ORM query (but the version check, once a second) and no geometry object is created
on the hot path. What does not depend on the point within its commune (holder, reason,
contact, a service without sector) is resolved once per commune and competence, then
cached as one Answer, so a call touches few objects (each a likely cache miss).

The geometry index
    Its grid of cells, the rule on borders and points outside France: see ``index``.

Versions
    RoutingVersion.territory and RoutingVersion.rules are bumped by the importer and by
    the services layer. ``route()`` reads them at most every
    ``settings.ROUTING_VERSION_CHECK_SECONDS`` (1 s by default) and rebuilds the geometry
    index when the territory changed, or only the rule tables when the rules changed.
    Callers that must see their own writes at once (the HTTP API, the CLI) call
    ``get_router(refresh=True)``. A router built inside a transaction is only trusted
    again outside it once that transaction committed, since a rollback takes its data
    (and the version it read) back; and a flush or migration (post_migrate) drops it.

Forked workers
    Under ``gunicorn --preload``, socle/wsgi.py calls ``preload_router()`` in the master:
    it builds the index (prepared geometries included, warmed so that GEOS builds its
    point locators before the fork), closes the database connections the workers must
    not share, then calls ``gc.freeze()``, which moves every object to a permanent
    generation the collector never walks, so garbage collection in a worker does not
    write to (and so unshare) the pages of the index. The workers then share it
    copy-on-write, and only rebuild on a version change. Without --preload, each worker
    builds its own (about 10 s and 200 MB for the whole of France).

The package
    ``inputs`` parses and checks coordinates and holds the input errors; ``results`` the
    statuses, reasons and result types; ``resolution`` who holds a competence and why;
    ``index`` the geometry index (numpy and shapely only, no Django); ``state`` the
    territory and rules read from the database and the Router; ``cache`` the process's
    router. Import from ``socle.routage.routing`` only: the names below are its API.
"""

from socle.routage.routing.cache import (
    answer_in,
    commune_at,
    get_router,
    preload_router,
    reset_router,
    route,
)
from socle.routage.routing.inputs import (
    InvalidCoordinates,
    MissingParameter,
    RoutingError,
    UnknownCompetence,
    check_coordinates,
    parse_coordinate,
)
from socle.routage.routing.resolution import (
    holder_ids_under_rules,
    resolve_holder,
    resolve_holders,
)
from socle.routage.routing.results import (
    HORS_COMMUNE,
    HORS_FRANCE,
    OK,
    REASON_DEFAULT,
    REASON_LAW,
    REASON_OVERRIDE,
    REASON_TRANSFER,
    SERVICE_GENERAL,
    SERVICE_NONE,
    SERVICE_NOT_MEMBER,
    SERVICE_OUT_OF_SECTOR,
    SERVICE_SECTOR,
    Answer,
    CollectiviteRef,
    CompetenceRef,
    Contact,
    Holder,
    Nearest,
    RoutingResult,
    ServiceRef,
    reason_label,
    service_reason_label,
)

__all__ = [
    "answer_in",
    "HORS_COMMUNE",
    "HORS_FRANCE",
    "OK",
    "REASON_DEFAULT",
    "REASON_LAW",
    "REASON_OVERRIDE",
    "REASON_TRANSFER",
    "SERVICE_GENERAL",
    "SERVICE_NONE",
    "SERVICE_NOT_MEMBER",
    "SERVICE_OUT_OF_SECTOR",
    "SERVICE_SECTOR",
    "Answer",
    "CollectiviteRef",
    "CompetenceRef",
    "Contact",
    "Holder",
    "InvalidCoordinates",
    "MissingParameter",
    "Nearest",
    "RoutingError",
    "RoutingResult",
    "ServiceRef",
    "UnknownCompetence",
    "check_coordinates",
    "commune_at",
    "get_router",
    "holder_ids_under_rules",
    "parse_coordinate",
    "preload_router",
    "reason_label",
    "reset_router",
    "resolve_holder",
    "resolve_holders",
    "route",
    "service_reason_label",
]
