"""Writes on competence rules by a member: who may set them, and the audit of it.

The rules' storage is `territoires`' (`competence_override_write`, `competence_transfer_write`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from socle.membres.models import Membre
from socle.membres.permissions import permission_check
from socle.membres.services import audit_record
from socle.territoires.models import Collectivite, Competence
from socle.territoires.services import competence_override_write, competence_transfer_write

# --- Competence rules --------------------------------------------------------------------------


@transaction.atomic
def competence_transfer_set(
    *, acting_user, membre: Membre, competence: Competence, transferred: bool | None
) -> None:
    """Record whether the member (an EPCI) holds a competence for its communes."""
    permission_check(acting_user, "competences.gerer", membre)
    competence_transfer_write(
        epci=membre.collectivite, competence=competence, transferred=transferred
    )
    audit_record(
        acting_user=acting_user,
        membre=membre,
        action="competence.transfer",
        target=competence,
        details={"transferred": transferred},
    )


@transaction.atomic
def competence_override_set(
    *, acting_user, membre: Membre, competence: Competence, holder: Collectivite | None
) -> None:
    """Say who holds a competence in the member (a commune); None returns to the defaults."""
    permission_check(acting_user, "competences.gerer", membre)
    commune = membre.collectivite
    if holder is not None and holder.pk != commune.pk:
        # Handing a competence to another collectivité gives it work: only the structure,
        # which hears both sides, records that.
        try:
            permission_check(acting_user, "competences.confier", membre)
        except PermissionDenied:
            raise ValidationError(
                {
                    "holder": _(
                        "Seul un opérateur de la plateforme peut confier cette "
                        "compétence à une autre collectivité."
                    )
                }
            ) from None
    competence_override_write(commune=commune, competence=competence, holder=holder)
    audit_record(
        acting_user=acting_user,
        membre=membre,
        action="competence.override",
        target=competence,
        details={"holder": f"{holder.kind}:{holder.code}" if holder else None},
    )
