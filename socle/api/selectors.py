"""Reads of API keys, always through the member and the user's permission on it."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from socle.api.models import ApiKey
from socle.membres.models import Membre
from socle.membres.permissions import grants_for


def membre_api_keys(*, membre: Membre) -> QuerySet[ApiKey]:
    """Return a member's API keys."""
    return ApiKey.objects.filter(membre=membre)


def get_api_key_for_user(*, user, membre: Membre, pk: int) -> ApiKey:
    """Return a key of this member if the user may manage the member's keys."""
    if not grants_for(user).has("cles_api.gerer", membre):
        raise PermissionDenied
    key = membre_api_keys(membre=membre).filter(pk=pk).first()
    if key is None:
        raise Http404
    return key
