"""The roadmap page of a member's back office: every change is a form of the page (ambition,
axes and their order, projects placed under an axis or drafted from it, milestones), errors
come back in French on the form that was sent, and the page meets the accessibility basics."""

import pytest
from django.urls import reverse

from socle.observatoire.models import FeuilleAxe, FeuilleJalon, Projet
from tests.helpers.a11y import assert_accessible

URL = "/gestion/pessac/observatoire/feuille-de-route/"


@pytest.fixture
def logged(client, agent_pessac):
    client.force_login(agent_pessac)
    return client


def _axis(client, titre, themes=("strategie",)):
    response = client.post(
        URL,
        {"action": "axe_ajouter", "nouvel-axe-titre": titre, "nouvel-axe-themes": list(themes)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return FeuilleAxe.objects.get(titre=titre)


def test_it_shows_an_empty_roadmap_to_write(logged):
    response = logged.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Projet de feuille de route : aucune version adoptée pour le moment." in html
    assert "Aucun axe pour le moment" in html
    assert f'href="{URL}"' in html  # the menu entry
    assert "/feuille-de-route/adopter/" not in html  # an agent does not adopt
    assert_accessible(response)


def test_it_edits_the_ambition_axes_projects_and_milestones(logged, demo_members):
    response = logged.post(URL, {"action": "ambition", "ambition": "Un service public proche."})
    assert response.status_code == 302 and response["Location"].endswith("#ambition")
    first = _axis(logged, "Gouvernance")
    second = _axis(logged, "Services en ligne", themes=["services-usagers"])
    assert list(FeuilleAxe.objects.values_list("titre", flat=True)) == [
        "Gouvernance",
        "Services en ligne",
    ]
    logged.post(URL, {"action": "axe_monter", "axe": second.pk})
    assert list(FeuilleAxe.objects.values_list("titre", flat=True)) == [
        "Services en ligne",
        "Gouvernance",
    ]

    # A new planned project, drafted from the axis, takes the axis' themes.
    logged.post(
        URL,
        {
            "action": "projet_creer",
            "axe": second.pk,
            f"projet-{second.pk}-titre": "Prise de rendez-vous en ligne",
            f"projet-{second.pk}-theme": "",
            f"projet-{second.pk}-statut": "idee",
        },
    )
    projet = Projet.objects.get(titre="Prise de rendez-vous en ligne")
    assert (projet.membre, projet.etat, projet.statut, projet.themes) == (
        demo_members.pessac,
        "brouillon",
        "idee",
        ["services-usagers"],
    )
    assert list(second.projets.all()) == [projet]

    # The same project under the other axis too, then out of the first one.
    logged.post(
        URL,
        {"action": "projet_rattacher", "axe": first.pk, f"rattacher-{first.pk}-projet": projet.pk},
    )
    assert list(first.projets.all()) == [projet]
    logged.post(URL, {"action": "projet_detacher", "axe": second.pk, "projet": projet.pk})
    assert list(second.projets.all()) == []
    assert Projet.objects.filter(pk=projet.pk).exists()  # only taken out of the axis

    logged.post(
        URL,
        {
            "action": "jalon_ajouter",
            "nouveau-jalon-titre": "Vote du budget",
            "nouveau-jalon-date": "2026-12-15",
        },
    )
    jalon = FeuilleJalon.objects.get()
    logged.post(
        URL,
        {
            "action": "jalon_modifier",
            "jalon": jalon.pk,
            f"jalon-{jalon.pk}-titre": "Vote du budget",
            f"jalon-{jalon.pk}-date": "2026-12-15",
            f"jalon-{jalon.pk}-atteint": "on",
        },
    )
    jalon.refresh_from_db()
    assert jalon.atteint

    response = logged.get(URL)
    html = response.content.decode()
    assert "Un service public proche." in html
    assert "Prise de rendez-vous en ligne" in html and "Vote du budget" in html
    assert_accessible(response)

    logged.post(URL, {"action": "axe_supprimer", "axe": first.pk})
    logged.post(URL, {"action": "jalon_supprimer", "jalon": jalon.pk})
    assert list(FeuilleAxe.objects.values_list("titre", flat=True)) == ["Services en ligne"]
    assert not FeuilleJalon.objects.exists()


def test_it_answers_errors_in_french_on_the_form_sent(logged):
    response = logged.post(
        URL,
        {"action": "axe_ajouter", "nouvel-axe-titre": " ", "nouvel-axe-themes": ["inconnu"]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Erreur :" in html
    assert "Le formulaire contient des erreurs" in html
    assert "Ce champ est obligatoire." in html
    assert "Sélectionnez un choix valide." in html
    assert_accessible(response)

    axe = _axis(logged, "Gouvernance")
    response = logged.post(
        URL,
        {
            "action": "jalon_ajouter",
            "nouveau-jalon-titre": "Lancement",
            "nouveau-jalon-date": "31/02/2026",
        },
    )
    assert response.status_code == 400
    assert "Saisissez une date valide (jj/mm/aaaa)." in response.content.decode()
    assert_accessible(response)

    response = logged.post(
        URL,
        {"action": "projet_rattacher", "axe": axe.pk, f"rattacher-{axe.pk}-projet": "999999"},
    )
    assert response.status_code == 400
    assert "Choisissez un projet de la collectivité." in response.content.decode()


def test_it_refuses_a_project_of_another_member(logged, agent_bordeaux, demo_members):
    from socle.observatoire.services import projet_create

    theirs = projet_create(
        acting_user=agent_bordeaux, membre=demo_members.bordeaux, titre="Projet de Bordeaux"
    )
    axe = _axis(logged, "Gouvernance")
    response = logged.post(
        URL,
        {"action": "projet_rattacher", "axe": axe.pk, f"rattacher-{axe.pk}-projet": theirs.pk},
    )
    assert response.status_code == 400
    assert list(axe.projets.all()) == []
    response = logged.post(URL, {"action": "projet_detacher", "axe": axe.pk, "projet": theirs.pk})
    assert response.status_code == 404


def test_it_does_not_reach_an_axis_of_another_member(client, agent_bordeaux, logged):
    axe = _axis(logged, "Gouvernance")
    client.force_login(agent_bordeaux)
    url = reverse("gestion:observatoire:feuille", args=["bordeaux"])
    response = client.post(url, {"action": "axe_supprimer", "axe": axe.pk})
    assert response.status_code == 404
    assert FeuilleAxe.objects.filter(pk=axe.pk).exists()
