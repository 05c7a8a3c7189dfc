"""The caller's input: coordinates parsed and checked, and the errors reported on it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _


class RoutingError(Exception):
    """An error of the caller's input, with a stable code, a French message and details."""

    code = "erreur"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidCoordinates(RoutingError):
    """Latitude or longitude missing, not a number, or out of range."""

    code = "coordonnees_invalides"


class MissingParameter(RoutingError):
    """A required parameter (lat, lon, competence) not given."""

    code = "parametre_manquant"


class UnknownCompetence(RoutingError):
    """A competence code the catalogue does not have; carries the valid codes."""

    code = "competence_inconnue"

    def __init__(self, competence: str, valid_codes: Sequence[str]) -> None:
        self.competence = competence
        self.valid_codes = list(valid_codes)
        super().__init__(
            _("Compétence inconnue : « %(code)s ».") % {"code": competence},
            {"competence": competence, "competences_valides": self.valid_codes},
        )


def check_coordinates(lat: float, lon: float) -> None:
    """Raise InvalidCoordinates unless lat and lon are finite and in range."""
    if not -90.0 <= lat <= 90.0:
        raise InvalidCoordinates(
            _("La latitude doit être un nombre entre -90 et 90."), {"parametre": "lat"}
        )
    if not -180.0 <= lon <= 180.0:
        raise InvalidCoordinates(
            _("La longitude doit être un nombre entre -180 et 180."), {"parametre": "lon"}
        )


def parse_coordinate(value: str | None, name: str) -> float:
    """Parse a latitude ("lat") or longitude ("lon") given as text, in range."""
    label = _("La latitude") if name == "lat" else _("La longitude")
    if value is None or not value.strip():
        raise MissingParameter(
            _("%(label)s (paramètre « %(name)s ») est obligatoire.")
            % {"label": label, "name": name},
            {"parametre": name},
        )
    text = value.strip()
    try:
        # float() also takes "1_0", "nan" and "inf": only plain decimal numbers pass.
        number = float(text) if _is_decimal(text) else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise InvalidCoordinates(
            _(
                "%(label)s (paramètre « %(name)s ») doit être un nombre décimal, "
                "avec un point : « %(value)s » ne l'est pas."
            )
            % {"label": label, "name": name, "value": text[:50]},
            {"parametre": name, "valeur": text[:50]},
        )
    if name == "lat":
        check_coordinates(number, 0.0)
    else:
        check_coordinates(0.0, number)
    return number


def _is_decimal(text: str) -> bool:
    """Say whether text is a plain decimal number, maybe signed, maybe with an exponent."""
    body = text[1:] if text[:1] in "+-" else text
    mantissa, marker, exponent = body.lower().partition("e")
    if marker and not (exponent.lstrip("+-").isdigit() and len(exponent.lstrip("+-")) <= 3):
        return False
    whole, _point, decimals = mantissa.partition(".")
    digits = whole + decimals
    return bool(digits) and digits.isdigit() and digits.isascii()
