"""Template helpers of the design system: a member's theme (socle.core.colours), the back office."""

from django import template

from socle.core.colours import colour_or_default
from socle.membres.permissions import grants_for
from socle.portail.selectors import accessibilite_conformite as conformite_declaree

register = template.Library()


@register.filter
def safe_colour(colour: str | None) -> str:
    """Return the colour if it is a valid #RRGGBB, else the platform's default."""
    return colour_or_default(colour)


@register.simple_tag
def has_back_office(user) -> bool:
    """Tell whether the user holds a role that opens a back office."""
    # The request's grants, read once and shared with the page's own checks.
    return grants_for(user).holds_any_role


@register.simple_tag
def accessibilite_conformite() -> str:
    """The RGAA conformity level of the accessibility statement, for the footer's link."""
    return conformite_declaree()
