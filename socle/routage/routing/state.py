"""The territory and rules read from the database, and the router answering from them."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import numpy as np
import shapely
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from socle.membres.models import Membre, Service
from socle.routage.routing.index import GeometryIndex, spatial_order
from socle.routage.routing.inputs import UnknownCompetence
from socle.routage.routing.resolution import (
    COMMUNE,
    EPCI,
    CommuneRow,
    CompetenceRule,
    resolve,
)
from socle.routage.routing.results import (
    HORS_COMMUNE,
    HORS_FRANCE,
    OK,
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
    ServiceChoice,
    ServiceRef,
)
from socle.territoires.models import (
    Collectivite,
    CommuneGeometry,
    Competence,
    CompetenceOverride,
    CompetenceTransfer,
)

logger = logging.getLogger(__name__)


def _transaction_marker() -> object | None:
    """Return the outermost atomic block of the default connection, if in one."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block and connection.atomic_blocks:
        return connection.atomic_blocks[0]
    return None


class _Versioned:
    """Something built from the database at a version, maybe inside a transaction."""

    version: int
    marker: object | None

    def _mark(self) -> None:
        """Remember the transaction this was built in, until it commits."""
        self.marker = _transaction_marker()
        if self.marker is not None:
            transaction.on_commit(self._committed)

    def _committed(self) -> None:
        self.marker = None

    def trusted(self, version: int) -> bool:
        """Say whether this still reflects the database at this version."""
        return self.version == version and (
            self.marker is None or self.marker is _transaction_marker()
        )


class Territory(_Versioned):
    """The collectivités, the communes' mairies and the geometry index."""

    def __init__(self, version: int) -> None:
        self.version = version
        self._mark()
        started = time.perf_counter()
        self.collectivites: dict[int, CollectiviteRef] = {}
        epci_types: dict[int, str] = {}
        rows = Collectivite.objects.filter(active=True).values_list(
            "id", "kind", "code", "nom", "epci_type", "epci_id", "departement_id", "region_id"
        )
        parents: dict[int, tuple[int | None, int | None, int | None]] = {}
        # The stubs type values_list()'s nullable foreign keys as int.
        epci_id: int | None
        departement_id: int | None
        region_id: int | None
        for pk, kind, code, nom, epci_type, epci_id, departement_id, region_id in rows.iterator(
            chunk_size=5000
        ):
            self.collectivites[pk] = CollectiviteRef(kind, code, nom)
            if kind == EPCI:
                epci_types[pk] = epci_type
            elif kind == COMMUNE:
                parents[pk] = (epci_id, departement_id, region_id)

        # Built once here rather than on each commune's first route(): fewer objects to
        # create (and cache-miss on) per call, and shared by forked workers.
        self.holders = {
            pk: Holder(ref.kind, ref.code, ref.nom, False, None)
            for pk, ref in self.collectivites.items()
        }
        # Each commune's mairie, as its own contact and as the way in to a higher holder.
        self.contacts: dict[int, tuple[Contact, Contact]] = {}
        mairies = Collectivite.objects.filter(kind=COMMUNE, active=True).values_list(
            "id", "adresse", "telephone", "email", "site_web", "horaires"
        )
        for pk, adresse, telephone, email, site_web, horaires in mairies.iterator(chunk_size=5000):
            text = json.dumps(horaires, ensure_ascii=False, separators=(",", ":"))
            fields = (adresse, telephone, email, site_web, text if horaires else "")
            ref = self.collectivites[pk]
            self.contacts[pk] = (Contact(ref, False, *fields), Contact(ref, True, *fields))

        geometries = (
            CommuneGeometry.objects.filter(commune__active=True, commune__kind=COMMUNE)
            .order_by("commune__code", "commune_id")
            .values_list("commune_id", "wkb", "min_lon", "min_lat", "max_lon", "max_lat")
        )
        ids: list[int] = []
        blobs: list[bytes] = []
        centres: list[tuple[float, float]] = []
        for pk, wkb, min_lon, min_lat, max_lon, max_lat in geometries.iterator(chunk_size=2000):
            ids.append(pk)
            blobs.append(bytes(wkb))
            centres.append(((min_lon + max_lon) / 2, (min_lat + max_lat) / 2))
        # Parse in spatial order, so that neighbours' geometries are allocated side by side.
        order = spatial_order(np.array(centres, dtype=float).reshape(-1, 2))
        geoms = np.empty(len(blobs), dtype=object)
        if blobs:
            geoms[order] = shapely.from_wkb([blobs[i] for i in order], on_invalid="ignore")
        del blobs, centres
        usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        if not usable.all():
            logger.warning("Routing: %d unreadable commune boundaries skipped.", (~usable).sum())
            ids = [pk for pk, keep in zip(ids, usable.tolist(), strict=True) if keep]
            geoms = geoms[usable]

        self.communes: list[CommuneRow] = []
        for pk in ids:
            epci_id, departement_id, region_id = parents[pk]
            ref = self.collectivites[pk]
            self.communes.append(
                CommuneRow(
                    pk,
                    ref.code,
                    ref.nom,
                    epci_id,
                    epci_types.get(epci_id, "") if epci_id is not None else "",
                    departement_id,
                    region_id,
                )
            )
        self.refs = [self.collectivites[pk] for pk in ids]
        # A commune's position by its INSEE code, for answers that need no point.
        self.positions = {row.code: i for i, row in enumerate(self.communes)}
        self.index = GeometryIndex([row.code for row in self.communes], geoms)
        self.seconds = time.perf_counter() - started
        logger.info(
            "Routing index built: %d communes, %d zones, %.1f s.",
            len(ids),
            len(self.index.zones),
            self.seconds,
        )


class Rules(_Versioned):
    """Competences, transfers, overrides, members and services, as plain tables."""

    def __init__(self, version: int) -> None:
        self.version = version
        self._mark()
        self.competences: dict[str, CompetenceRule] = {}
        self.competences_by_id: dict[int, CompetenceRule] = {}
        rows = Competence.objects.order_by("code").values_list(
            "id", "code", "nom", "default_level", "epci_types"
        )
        for position, (pk, code, nom, level, epci_types) in enumerate(rows):
            rule = CompetenceRule(
                pk,
                code,
                nom,
                level,
                frozenset(epci_types or ()),
                CompetenceRef(code, nom),
                position,
            )
            self.competences[code] = rule
            self.competences_by_id[pk] = rule
        self.codes = list(self.competences)
        self.transfers: dict[tuple[int, int], bool] = {
            (epci, competence): transferred
            for epci, competence, transferred in CompetenceTransfer.objects.values_list(
                "epci_id", "competence_id", "transferred"
            )
        }
        self.overrides: dict[tuple[int, int], int] = {
            (commune, competence): holder
            for commune, competence, holder in CompetenceOverride.objects.values_list(
                "commune_id", "competence_id", "holder_id"
            )
        }
        # Override holders the territory may not list (an inactive collectivité).
        self.extra: dict[int, CollectiviteRef] = {
            pk: CollectiviteRef(kind, code, nom)
            for pk, kind, code, nom in Collectivite.objects.filter(
                pk__in=set(self.overrides.values()), active=False
            ).values_list("id", "kind", "code", "nom")
        }
        self.members: dict[int, tuple[int, str]] = {
            collectivite: (pk, slug)
            for pk, collectivite, slug in Membre.objects.filter(active=True).values_list(
                "id", "collectivite_id", "slug"
            )
        }
        member_ids = [pk for pk, _slug in self.members.values()]
        self.services: dict[tuple[int, int], ServiceChoice] = {}
        handled = Service.competences.through.objects.filter(
            service__membre__in=member_ids
        ).values_list("service_id", "competence_id")
        competences_of: dict[int, list[int]] = {}
        for service, competence in handled:
            competences_of.setdefault(service, []).append(competence)
        services = (
            Service.objects.filter(membre__in=member_ids)
            .order_by("id")
            .values_list(
                "id", "membre_id", "nom", "email", "telephone", "secteur_nom", "secteur_wkb"
            )
        )
        sectors: dict[tuple[int, int], list[Any]] = {}
        for pk, membre, nom, email, telephone, secteur_nom, secteur_wkb in services:
            sector = self._sector(pk, secteur_wkb)
            label = (secteur_nom or None) if sector is not None else None
            ref = ServiceRef(pk, nom, email, telephone, label)
            for competence in competences_of.get(pk, []):
                choice = self.services.setdefault((membre, competence), ServiceChoice())
                if sector is not None:
                    choice.sectored.append(ref)
                    sectors.setdefault((membre, competence), []).append(sector)
                elif choice.general is None:
                    choice.general = ref
        for key, geometries in sectors.items():
            self.services[key].sectors = np.array(geometries, dtype=object)

    @staticmethod
    def _sector(pk: int, wkb: Any) -> Any:
        """Return a service's prepared sector, None when it has none (or an unreadable one)."""
        if not wkb:
            return None
        try:
            geometry = shapely.from_wkb(bytes(wkb))
        except shapely.errors.GEOSException:
            logger.warning("Routing: service %d has an unreadable sector, ignored.", pk)
            return None
        if geometry is None or geometry.is_empty:
            return None
        shapely.prepare(geometry)
        return geometry


class Router:
    """Answers route() from a territory and rules, caching each commune's answers."""

    def __init__(self, territory: Territory, rules: Rules, check_after: float) -> None:
        self.territory = territory
        self.rules = rules
        self.check_after = check_after
        # answers[competence position][commune index], filled on first use.
        count = len(territory.communes)
        self._answers: list[list[Answer | None]] = [[None] * count for _ in rules.codes]
        self._holders: dict[int, Holder] = {}
        for pk, (_membre, slug) in rules.members.items():
            ref = territory.collectivites.get(pk) or rules.extra.get(pk)
            if ref is not None:
                self._holders[pk] = Holder(ref.kind, ref.code, ref.nom, True, slug)

    def route(self, lat: float, lon: float, competence: str) -> RoutingResult:
        """Route a valid point and a competence code."""
        rule = self.rules.competences.get(competence)
        if rule is None:
            raise UnknownCompetence(competence, self.rules.codes)
        found = self.territory.index.locate(lon, lat)
        if found < 0:
            return self._outside(lat, lon, rule, found)
        # Every object touched here costs a cache miss: keep them to a few.
        answers = self._answers[rule.position]
        answer = answers[found] or self._answer(found, rule)
        if answer.sectors is None:
            service, service_reason = answer.service, answer.service_reason
        else:
            service, service_reason = self._sector_service(answer, lon, lat)
        return RoutingResult(OK, lat, lon, rule.ref, answer, service, service_reason)

    def answer_in(self, commune_code: str, competence: str) -> Answer | None:
        """Say who holds a competence in a commune given by its INSEE code (and its services
        there), None for a commune the territory does not have."""
        rule = self.rules.competences.get(competence)
        if rule is None:
            raise UnknownCompetence(competence, self.rules.codes)
        found = self.territory.positions.get(commune_code)
        if found is None:
            return None
        return self._answers[rule.position][found] or self._answer(found, rule)

    def commune_at(self, lat: float, lon: float) -> str | None:
        """Return the INSEE code of the commune at a valid point, None when in none."""
        found = self.territory.index.locate(lon, lat)
        return self.territory.communes[found].code if found >= 0 else None

    def _outside(self, lat: float, lon: float, rule: CompetenceRule, found: int) -> RoutingResult:
        if found == -2:
            return RoutingResult(HORS_FRANCE, lat, lon, rule.ref)
        nearest = self.territory.index.nearest(lon, lat)
        near = None
        if nearest is not None:
            row = self.territory.communes[nearest[0]]
            near = Nearest(row.code, row.nom, nearest[1])
        return RoutingResult(HORS_COMMUNE, lat, lon, rule.ref, nearest=near)

    def _answer(self, found: int, rule: CompetenceRule) -> Answer:
        """Resolve the holder in a commune, and its services or contact; cache it."""
        rules = self.rules
        commune = self.territory.communes[found]
        holder_id, reason = resolve(commune, rule, rules.transfers, rules.overrides)
        territory = self.territory
        holder = (
            self._holders.get(holder_id)
            or territory.holders.get(holder_id)
            or self._holder(holder_id)
        )
        member = rules.members.get(holder_id)
        contact = sectors = service = None
        if member is not None:
            choice = rules.services.get((member[0], rule.id))
            if choice is None:
                service_reason = SERVICE_NONE
            elif choice.sectors is not None:
                sectors, service_reason = choice, SERVICE_SECTOR
            elif choice.general is not None:
                service, service_reason = choice.general, SERVICE_GENERAL
            else:
                service_reason = SERVICE_OUT_OF_SECTOR
        else:
            service_reason = SERVICE_NOT_MEMBER
        if service_reason in (SERVICE_NONE, SERVICE_NOT_MEMBER):
            # Nobody on the platform handles it: give the public contact instead. A commune
            # answers for itself; a higher holder through the point's mairie.
            if holder.kind == COMMUNE:
                mairie = territory.contacts.get(holder_id)
                contact = mairie[0] if mairie else self._contact(holder_id)
            else:
                contact = territory.contacts[commune.id][1]
        answer = Answer(
            territory.refs[found], holder, reason, contact, sectors, service, service_reason
        )
        self._answers[rule.position][found] = answer
        return answer

    def _holder(self, pk: int) -> Holder:
        """Name a holder the territory does not list (inactive, or deleted since)."""
        ref = self.rules.extra.get(pk) or CollectiviteRef("", "", "")
        holder = Holder(ref.kind, ref.code, ref.nom, False, None)
        self._holders[pk] = holder
        return holder

    def _contact(self, pk: int) -> Contact:
        """Contact a commune the territory does not list: its name, no mairie data."""
        ref = self.rules.extra.get(pk) or CollectiviteRef(COMMUNE, "", "")
        return Contact(ref, False, "", "", "", "", "")

    @staticmethod
    def _sector_service(answer: Answer, lon: float, lat: float) -> tuple[ServiceRef | None, str]:
        """Choose the service whose sector holds the point, else the one without a sector."""
        choice = answer.sectors
        assert choice is not None
        # Sectors are closed: a point on a sector's edge is in it.
        for i, inside in enumerate(shapely.intersects_xy(choice.sectors, lon, lat).tolist()):
            if inside:
                return choice.sectored[i], SERVICE_SECTOR
        if choice.general is not None:
            return choice.general, SERVICE_GENERAL
        return None, SERVICE_OUT_OF_SECTOR
