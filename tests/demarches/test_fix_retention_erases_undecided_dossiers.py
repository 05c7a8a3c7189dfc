"""A filed dossier never decided and left without activity for its procedure's retention is
erased too; one with recent activity is kept."""

from datetime import timedelta

from django.utils import timezone

from socle.demarches.instruction import dossiers_retention_apply
from socle.demarches.models import Dossier


def test_it_erases_a_dossier_untouched_for_the_retention(
    demo_members, citizen, dossier_factory, demarche_factory
):
    now = timezone.now()
    procedure = demarche_factory(demo_members.pessac, retention_mois=12)
    forgotten = dossier_factory(procedure, usager=citizen)
    recent = dossier_factory(procedure, usager=citizen)
    Dossier.objects.filter(pk=forgotten.pk).update(modifie_le=now - timedelta(days=380))
    Dossier.objects.filter(pk=recent.pk).update(modifie_le=now - timedelta(days=330))

    assert dossiers_retention_apply(now=now)["anonymises"] == 1

    forgotten.refresh_from_db()
    assert forgotten.anonymise_le is not None and forgotten.donnees == {}
    assert forgotten.usager is None and forgotten.usager_nom == ""
    assert forgotten.statut == "depose" and forgotten.decide_le is None
    recent.refresh_from_db()
    assert recent.anonymise_le is None and recent.usager == citizen
    assert dossiers_retention_apply(now=now)["anonymises"] == 0
