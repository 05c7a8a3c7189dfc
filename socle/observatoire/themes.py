"""The ten themes of the national baromètre of territorial digital maturity, the observatory's
one classification (projects, roadmaps, maturity statements)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

THEMES: dict[str, str | Promise] = {
    "strategie": _("Stratégie et gouvernance numériques"),
    "services-usagers": _("Services aux usagers"),
    "administration": _("Administration numérique"),
    "donnee": _("Service public local de la donnée"),
    "amenagement": _("Aménagement numérique"),
    "ecosysteme": _("Écosystème et économie numériques"),
    "cybersecurite": _("Cybersécurité"),
    "inclusion": _("Inclusion numérique"),
    "numerique-responsable": _("Numérique responsable"),
    "cooperation": _("Coopération territoriale"),
}

THEME_CHOICES: list[tuple[str, str | Promise]] = list(THEMES.items())


def theme_label(code: str) -> str:
    """Return a theme's French name (the code itself for an unknown one)."""
    return str(THEMES.get(code, code))


# Population bands of the comparisons (maturity) and of the search facet.
TRANCHES: list[tuple[str, str | Promise, int, int | None]] = [
    ("moins-2000", _("Moins de 2 000 habitants"), 0, 2000),
    ("2000-10000", _("De 2 000 à 9 999 habitants"), 2000, 10000),
    ("10000-50000", _("De 10 000 à 49 999 habitants"), 10000, 50000),
    ("50000-200000", _("De 50 000 à 199 999 habitants"), 50000, 200000),
    ("200000-plus", _("200 000 habitants et plus"), 200000, None),
]


def tranche_of(population: int | None) -> str:
    """Return the code of the population band, or "" when the population is unknown."""
    if population is None:
        return ""
    for code, _label, low, high in TRANCHES:
        if population >= low and (high is None or population < high):
            return code
    return ""


def tranche_label(code: str) -> str:
    """Return a population band's French name."""
    return next((str(label) for c, label, _l, _h in TRANCHES if c == code), "")
