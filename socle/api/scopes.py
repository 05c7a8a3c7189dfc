"""The API scopes: each module declares its own in its registry entry (`Module.api_scopes`)."""

from django.utils.functional import Promise

from socle.core.modules import registered_modules


def api_scopes() -> dict[str, str | Promise]:
    """Return every scope a key may hold, with its label, in registry order."""
    scopes: dict[str, str | Promise] = {}
    for module in registered_modules():
        scopes.update(module.api_scopes)
    return scopes
