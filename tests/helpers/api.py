"""Helpers of the API-key tests: a Pessac with the toy module on, and keys made by the service."""

from socle.api.services import api_key_create
from socle.membres.services import membre_update


def with_jardins(membre):
    """Switch the toy module on for the member (the keyed endpoint serves only then)."""
    membre_update(acting_user=None, membre=membre, couleur=membre.couleur, modules=["jardins"])
    membre.refresh_from_db()
    return membre


def make_key(membre, *, scopes=("jardins.lire",), rate=60):
    """Create a key as the platform does; return (key, plaintext)."""
    return api_key_create(
        acting_user=None,
        membre=membre,
        name="Application test",
        scopes=list(scopes),
        rate_per_minute=rate,
    )


def parcelles_url(membre) -> str:
    return f"/api/v1/jardins/{membre.slug}/parcelles"
