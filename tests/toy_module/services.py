from django.core.exceptions import ValidationError
from django.db import transaction

from socle.membres.permissions import permission_check
from socle.membres.services import audit_record
from tests.toy_module.models import Parcelle


@transaction.atomic
def parcelle_create(*, acting_user, membre, nom: str) -> Parcelle:
    """Create a plot of the member."""
    permission_check(acting_user, "jardins.gerer", membre)
    nom = nom.strip()
    if not nom:
        raise ValidationError({"nom": "Le nom est obligatoire."})
    parcelle = Parcelle.objects.create(membre=membre, nom=nom)
    audit_record(acting_user=acting_user, membre=membre, action="parcelle.create", target=parcelle)
    return parcelle
