"""Reads of the portail: the footer's pages and where a person lands after logging in."""

from django.core.cache import cache
from django.urls import reverse

from socle.membres.models import Role
from socle.membres.permissions import grants_for
from socle.membres.selectors import membres_for_user
from socle.portail.models import PagePlateforme

# Roles that land in « Gestion » (the list of members, or the journal's screens from there).
GESTION_ROLES = {Role.Kind.OPERATEUR, Role.Kind.ADMINISTRATEUR, Role.Kind.DPO, Role.Kind.ETHIQUE}
# Roles that land in their member's back office when they work for exactly one member.
MEMBER_ROLES = {Role.Kind.AGENT, Role.Kind.ELU}

FOOTER_ORDER = [code for code, _label in PagePlateforme.Code.choices]


def pages_plateforme() -> list[PagePlateforme]:
    """Return the footer's pages, in the footer's order."""
    return sorted(PagePlateforme.objects.all(), key=lambda page: FOOTER_ORDER.index(page.code))


def page_plateforme(code: str) -> PagePlateforme | None:
    """Return one of the footer's pages, or None."""
    return PagePlateforme.objects.filter(code=code).first()


# The footer of every page names the declared level: kept in the cache, not read per page.
CONFORMITE_CACHE_KEY = "portail:accessibilite-conformite"
CONFORMITE_CACHE_SECONDS = 300


def accessibilite_conformite() -> str:
    """The RGAA conformity level the accessibility statement declares (« non conforme »…)."""
    level = cache.get(CONFORMITE_CACHE_KEY)
    if level is None:
        page = page_plateforme(PagePlateforme.Code.ACCESSIBILITE)
        if page is None or not page.conformite:
            level = str(PagePlateforme.Conformite.NON.label)
        else:
            level = str(page.get_conformite_display())
        cache.set(CONFORMITE_CACHE_KEY, level, CONFORMITE_CACHE_SECONDS)
    return level


def landing_url(user) -> str:
    """Where this person lands after logging in, by role.

    Opérateurs, administrators, DPO and the ethics committee: « Gestion ». Agents and élus: their
    member's back office when they work for exactly one member, else « Gestion ». Everyone else
    (citizens, aidants): « Mon espace ».
    """
    kinds = grants_for(user).kinds()
    if kinds & GESTION_ROLES:
        return reverse("gestion:tableau")
    if kinds & MEMBER_ROLES:
        membres = list(membres_for_user(user=user)[:2])
        if len(membres) == 1:
            return reverse("gestion:membre", args=[membres[0].slug])
        return reverse("gestion:tableau")
    return reverse("portail:espace")
