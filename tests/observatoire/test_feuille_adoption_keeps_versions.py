"""An adopted version of a roadmap is kept as it was: later edits of the roadmap, of its
projects or of its software change the roadmap being written, never a version already adopted;
versions are numbered one after the other."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socle.membres.models import AuditEvent
from socle.observatoire import feuilles
from socle.observatoire.models import FeuilleVersion
from socle.observatoire.services import logiciel_ensure, projet_logiciels_set, projet_update
from tests.observatoire.fixtures_feuilles import roadmap_with_software


@pytest.fixture
def roadmap(demo_members, agent_pessac):
    pessac = demo_members.pessac
    axe, projet = roadmap_with_software(
        agent_pessac,
        pessac,
        axe="Des démarches simples",
        projet="Portail des démarches",
        logiciel="Publik",
    )
    feuilles.jalon_create(
        acting_user=agent_pessac, membre=pessac, titre="Lancement", date="2026-09-01"
    )
    return pessac, axe, projet


def test_it_keeps_each_adopted_version_unchanged(roadmap, agent_pessac, elu_pessac):
    pessac, axe, projet = roadmap
    first = feuilles.feuille_adopt(
        acting_user=elu_pessac, membre=pessac, instance="Conseil municipal du 12 mars 2026"
    )
    assert first.numero == 1
    kept = FeuilleVersion.objects.get(pk=first.pk).contenu
    assert kept == {
        "ambition": "Ambition de Pessac.",
        "axes": [
            {
                "titre": "Des démarches simples",
                "description": "",
                "themes": ["services-usagers"],
                "projets": [
                    {
                        "id": projet.pk,
                        "titre": "Portail des démarches",
                        "statut": "en_projet",
                        "themes": ["services-usagers"],
                        "logiciels": [{"id": projet.logiciels.get().pk, "nom": "Publik"}],
                    }
                ],
            }
        ],
        "jalons": [{"titre": "Lancement", "date": "2026-09-01", "atteint": False}],
    }

    # Everything changes afterwards: the roadmap, its axis, the project and its software.
    feuilles.feuille_update(acting_user=agent_pessac, membre=pessac, ambition="Nouvelle ambition")
    feuilles.axe_update(acting_user=agent_pessac, axe=axe, titre="Autre titre", themes=[])
    feuilles.axe_create(acting_user=agent_pessac, membre=pessac, titre="Cybersécurité")
    projet_update(acting_user=agent_pessac, projet=projet, titre="Portail renommé")
    projet_logiciels_set(
        acting_user=agent_pessac,
        projet=projet,
        logiciels=[logiciel_ensure(acting_user=None, nom="Démarches simplifiées")],
    )
    second = feuilles.feuille_adopt(
        acting_user=elu_pessac, membre=pessac, instance="Conseil municipal du 2 juillet 2026"
    )

    assert FeuilleVersion.objects.get(pk=first.pk).contenu == kept
    assert second.numero == 2
    assert second.contenu["ambition"] == "Nouvelle ambition"
    assert [axe["titre"] for axe in second.contenu["axes"]] == ["Autre titre", "Cybersécurité"]
    assert second.contenu["axes"][0]["projets"][0]["titre"] == "Portail renommé"
    assert list(feuilles.feuille_versions(membre=pessac).values_list("numero", flat=True)) == [
        2,
        1,
    ]


def test_it_audits_edits_and_adoptions(roadmap, elu_pessac):
    pessac, _axe, _projet = roadmap
    feuilles.feuille_adopt(acting_user=elu_pessac, membre=pessac, instance="Bureau municipal")
    actions = list(AuditEvent.objects.filter(membre=pessac).values_list("action", flat=True))
    assert "feuille.modification" in actions
    event = AuditEvent.objects.get(membre=pessac, action="feuille.adoption")
    assert event.details == {"version": 1, "instance": "Bureau municipal"}
    assert event.actor == elu_pessac


def test_it_refuses_an_adoption_by_an_agent(roadmap, agent_pessac):
    pessac, _axe, _projet = roadmap
    with pytest.raises(PermissionDenied):
        feuilles.feuille_adopt(acting_user=agent_pessac, membre=pessac, instance="Conseil")
    assert not FeuilleVersion.objects.exists()


def test_it_asks_who_adopted_it_and_refuses_an_empty_roadmap(demo_members, admin_pessac):
    pessac = demo_members.pessac
    with pytest.raises(ValidationError) as error:
        feuilles.feuille_adopt(acting_user=admin_pessac, membre=pessac, instance=" ")
    assert "instance" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        feuilles.feuille_adopt(acting_user=admin_pessac, membre=pessac, instance="Conseil")
    assert "La feuille de route est vide" in error.value.messages[0]
