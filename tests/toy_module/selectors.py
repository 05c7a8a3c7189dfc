from django.core.exceptions import PermissionDenied
from django.http import Http404

from socle.membres.permissions import grants_for
from tests.toy_module.models import Parcelle


def membre_parcelles(*, membre):
    """Return a member's plots."""
    return Parcelle.objects.filter(membre=membre)


def get_parcelle_for_user(*, user, membre, pk: int) -> Parcelle:
    """Return a plot of this member if the user may see the member's plots."""
    if not grants_for(user).has("jardins.voir", membre):
        raise PermissionDenied
    parcelle = membre_parcelles(membre=membre).filter(pk=pk).first()
    if parcelle is None:
        raise Http404
    return parcelle
