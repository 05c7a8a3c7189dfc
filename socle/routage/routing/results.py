"""What routing answers: statuses, reasons and their labels, and the result types."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from django.utils.translation import gettext as _

from socle.territoires.rules import (  # noqa: F401 - part of the results' vocabulary
    REASON_DEFAULT,
    REASON_LAW,
    REASON_OVERRIDE,
    REASON_TRANSFER,
)

# Result statuses.
OK = "ok"
HORS_FRANCE = "hors_france"
HORS_COMMUNE = "hors_commune"

# Why the holder holds the competence: the rule's codes (socle.territoires.rules).
# How the service was chosen, or why there is none.
SERVICE_SECTOR = "secteur"
SERVICE_GENERAL = "general"
SERVICE_OUT_OF_SECTOR = "hors_secteur"
SERVICE_NONE = "aucun_service"
SERVICE_NOT_MEMBER = "non_membre"

REASONS = [REASON_OVERRIDE, REASON_TRANSFER, REASON_LAW, REASON_DEFAULT]
SERVICE_REASONS = [
    SERVICE_SECTOR,
    SERVICE_GENERAL,
    SERVICE_OUT_OF_SECTOR,
    SERVICE_NONE,
    SERVICE_NOT_MEMBER,
]


def reason_label(reason: str) -> str:
    """Explain a reason code in French."""
    labels = {
        REASON_OVERRIDE: _("Exception définie pour cette commune."),
        REASON_TRANSFER: _("Transfert (ou non) de la compétence décidé par l'intercommunalité."),
        REASON_LAW: _("Compétence exercée de droit par ce type d'intercommunalité."),
        REASON_DEFAULT: _("Niveau qui exerce cette compétence par défaut."),
    }
    return labels.get(reason, reason)


def service_reason_label(reason: str) -> str:
    """Explain how the service was chosen, or why there is none, in French."""
    labels = {
        SERVICE_SECTOR: _("Service dont le secteur contient le point."),
        SERVICE_GENERAL: _("Service chargé de cette compétence sur tout le territoire."),
        SERVICE_OUT_OF_SECTOR: _("Aucun secteur de service ne contient ce point."),
        SERVICE_NONE: _("Le membre n'a pas de service pour cette compétence."),
        SERVICE_NOT_MEMBER: _("La collectivité n'est pas membre : voici son contact public."),
    }
    return labels.get(reason, reason)


@dataclass(frozen=True, slots=True)
class CollectiviteRef:
    """A collectivité as routing names it."""

    kind: str
    code: str
    nom: str

    def to_dict(self) -> dict[str, Any]:
        """Return it as JSON-ready data."""
        return {"kind": self.kind, "code": self.code, "nom": self.nom}


@dataclass(frozen=True, slots=True)
class CompetenceRef:
    """A competence of the catalogue."""

    code: str
    nom: str

    def to_dict(self) -> dict[str, Any]:
        """Return it as JSON-ready data."""
        return {"code": self.code, "nom": self.nom}


@dataclass(frozen=True, slots=True)
class Holder:
    """The collectivité that holds a competence, and whether (as which member) it is ours."""

    kind: str
    code: str
    nom: str
    member: bool
    slug: str | None

    def __str__(self) -> str:
        return self.nom

    def to_dict(self) -> dict[str, Any]:
        """Return it as JSON-ready data; slug only for members."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "code": self.code,
            "nom": self.nom,
            "member": self.member,
        }
        if self.member:
            data["slug"] = self.slug
        return data


@dataclass(frozen=True, slots=True)
class ServiceRef:
    """A member's service, as given to whoever reports something."""

    id: int
    nom: str
    email: str
    telephone: str
    secteur: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return it as JSON-ready data."""
        return {
            "id": self.id,
            "nom": self.nom,
            "email": self.email,
            "telephone": self.telephone,
            "secteur": self.secteur,
        }


@dataclass(frozen=True, slots=True)
class Contact:
    """A mairie's public contact; point_entree when it stands in for a higher holder."""

    collectivite: CollectiviteRef
    point_entree: bool
    adresse: str
    telephone: str
    email: str
    site_web: str
    # [[first_day, last_day, [[opens, closes], ...]], ...], kept as JSON text to stay small.
    horaires_json: str

    @property
    def horaires(self) -> list[Any]:
        """Return the opening hours as the Annuaire de l'administration gives them."""
        return json.loads(self.horaires_json) if self.horaires_json else []

    def to_dict(self) -> dict[str, Any]:
        """Return it as JSON-ready data."""
        return {
            "collectivite": self.collectivite.to_dict(),
            "point_entree": self.point_entree,
            "adresse": self.adresse,
            "telephone": self.telephone,
            "email": self.email,
            "site_web": self.site_web,
            "horaires": self.horaires,
        }


@dataclass(frozen=True, slots=True)
class Nearest:
    """The commune nearest to a point that lies in none."""

    code: str
    nom: str
    distance_km: float

    def to_dict(self) -> dict[str, Any]:
        """Return it as JSON-ready data."""
        return {"code": self.code, "nom": self.nom, "distance_km": self.distance_km}


class Answer(NamedTuple):
    """What routing answers in a commune for a competence, wherever the point in it.

    A named tuple rather than a dataclass: one is made on each commune's first route().
    """

    commune: CollectiviteRef
    holder: Holder
    reason: str
    # The holder's public contact, when it is not a member.
    contact: Contact | None
    # The member's services for this competence, when some have a sector.
    sectors: ServiceChoice | None
    # Otherwise, the service for every point of the commune (or None), and why.
    service: ServiceRef | None
    service_reason: str


@dataclass(frozen=True, slots=True)
class RoutingResult:
    """Where a point lies, who holds the competence there and whom to contact."""

    status: str
    lat: float
    lon: float
    competence: CompetenceRef
    # Shared by every point of the commune: one reference keeps route() cheap.
    answer: Answer | None = None
    service: ServiceRef | None = None
    service_reason: str | None = None
    nearest: Nearest | None = None

    @property
    def found(self) -> bool:
        """Say whether the point lies in a commune."""
        return self.status == OK

    @property
    def commune(self) -> CollectiviteRef | None:
        """Return the commune where the point lies."""
        return self.answer.commune if self.answer else None

    @property
    def holder(self) -> Holder | None:
        """Return the collectivité holding the competence there."""
        return self.answer.holder if self.answer else None

    @property
    def reason(self) -> str | None:
        """Return why it holds it (override, transfert, loi, defaut)."""
        return self.answer.reason if self.answer else None

    @property
    def contact(self) -> Contact | None:
        """Return the holder's public contact, when it is not a member."""
        return self.answer.contact if self.answer else None

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready data, the query echoed."""
        commune = self.commune
        data: dict[str, Any] = {
            "status": self.status,
            "query": {"lat": self.lat, "lon": self.lon, "competence": self.competence.code},
            "competence": self.competence.to_dict(),
            "commune": {"code": commune.code, "nom": commune.nom} if commune else None,
        }
        if self.answer is None:
            data["nearest"] = self.nearest.to_dict() if self.nearest else None
            return data
        answer = self.answer
        data["holder"] = {
            "collectivite": answer.holder.to_dict(),
            "reason": answer.reason,
            "explication": reason_label(answer.reason),
        }
        data["service"] = self.service.to_dict() if self.service else None
        data["service_reason"] = self.service_reason
        data["contact"] = answer.contact.to_dict() if answer.contact else None
        return data


@dataclass(slots=True)
class ServiceChoice:
    """The services of a member for one competence, sectors tested first."""

    sectored: list[ServiceRef] = field(default_factory=list)
    sectors: np.ndarray | None = None
    general: ServiceRef | None = None
