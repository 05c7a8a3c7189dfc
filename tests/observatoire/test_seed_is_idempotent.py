"""Loading the seed twice changes nothing; a later load adds only what is missing and keeps
what the structure changed."""

from socle.core.models import OutboxMessage
from socle.membres.models import AuditEvent
from socle.observatoire.models import (
    Acteur,
    Logiciel,
    LogicielUsage,
    Projet,
    ProjetActeur,
    Revision,
)
from socle.observatoire.seed import seed_load
from socle.observatoire.services import projet_update


def _snapshot():
    return (
        [
            (p.slug, p.etat, p.modifie_le, p.publie_le, p.document)
            for p in Projet.objects.order_by("slug")
        ],
        Acteur.objects.count(),
        Logiciel.objects.count(),
        LogicielUsage.objects.count(),
        ProjetActeur.objects.count(),
        Revision.objects.count(),
        AuditEvent.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_it_changes_nothing_when_loaded_twice(db):
    seed_load()
    first = _snapshot()

    assert seed_load() == 0
    assert _snapshot() == first


def test_it_adds_only_a_project_that_is_missing(db):
    seed_load()
    actors = Acteur.objects.count()
    Projet.objects.filter(slug="atlaas").delete()

    assert seed_load() == 1
    assert Projet.objects.get(slug="atlaas").etat == Projet.Etat.PUBLIE
    assert Acteur.objects.count() == actors


def test_it_keeps_what_the_structure_changed_after_loading(db, operateur):
    seed_load()
    dkcl = Projet.objects.get(slug="dkcl-dunkerque")
    projet_update(acting_user=operateur, projet=dkcl, resume="Résumé revu par la structure.")

    seed_load()
    dkcl.refresh_from_db()
    assert dkcl.resume == "Résumé revu par la structure."
