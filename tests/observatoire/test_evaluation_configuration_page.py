"""The structure's configuration page: horizon and rate, the axes in one form, each question
with its answers, a new axis, a new question; every field checked in one round, in French."""

import re
from decimal import Decimal

from socle.membres.models import AuditEvent
from socle.observatoire.evaluation import reglages_courants
from socle.observatoire.models import EvalAxe, EvalQuestion
from tests.helpers.a11y import assert_accessible
from tests.observatoire.helpers_evaluation import CONFIGURATION_URL

pytest_plugins = ["tests.observatoire.fixtures_evaluation"]


def _axes_post(axes, **overrides) -> dict[str, str]:
    data = {"formulaire": "axes"}
    for axe in axes:
        data[f"axes-axe_{axe.pk}_nom"] = axe.nom
        data[f"axes-axe_{axe.pk}_description"] = axe.description
        data[f"axes-axe_{axe.pk}_poids"] = "1"
        if axe.actif:
            data[f"axes-axe_{axe.pk}_actif"] = "on"
    data.update(overrides)
    return data


def test_it_shows_the_grid_and_changes_the_horizon_and_rate(client, grid, operateur):
    client.force_login(operateur)
    response = client.get(CONFIGURATION_URL)
    assert response.status_code == 200
    assert_accessible(response)
    html = response.content.decode()
    assert "pondérations publiées n’ont pas pu être obtenues" in html
    assert 'value="4,5"' in html and 'name="horizon_annees" value="5"' in html
    response = client.post(
        CONFIGURATION_URL,
        {"formulaire": "reglages", "horizon_annees": "7", "taux_actualisation": "3,5"},
    )
    assert response.status_code == 302
    reglages = reglages_courants()
    assert reglages.horizon_annees == 7 and reglages.taux_actualisation == Decimal("3.5")
    assert AuditEvent.objects.filter(action="observatoire.configuration").count() == 1


def test_it_checks_every_axis_field_in_one_round(client, grid, operateur):
    client.force_login(operateur)
    axes = list(EvalAxe.objects.order_by("ordre"))
    first = axes[0]
    data = _axes_post(axes, **{f"axes-axe_{first.pk}_nom": "", f"axes-axe_{first.pk}_poids": "-2"})
    for axe in axes:
        data.pop(f"axes-axe_{axe.pk}_actif")
    response = client.post(CONFIGURATION_URL, data)
    assert response.status_code == 400
    assert_accessible(response)
    html = response.content.decode()
    assert "<title>Erreur : Grille d’évaluation des projets" in html
    summary = re.search(r'<div class="error-summary.*?</div>', html, re.S).group(0)
    assert f'href="#id_axes-axe_{first.pk}_nom"' in summary
    assert "Nom de l’axe « Nécessité » : Indiquez le nom de l’axe." in summary
    assert f'href="#id_axes-axe_{first.pk}_poids"' in summary
    assert "Gardez au moins un axe actif." in summary
    assert EvalAxe.objects.filter(actif=True).count() == 5
    assert EvalAxe.objects.get(pk=first.pk).nom == "Nécessité"

    rentabilite = axes[-1]
    data = _axes_post(axes, **{f"axes-axe_{rentabilite.pk}_poids": "2"})
    data.pop(f"axes-axe_{axes[1].pk}_actif")
    assert client.post(CONFIGURATION_URL, data).status_code == 302
    rentabilite.refresh_from_db()
    assert rentabilite.poids == 2
    assert not EvalAxe.objects.get(pk=axes[1].pk).actif


def test_it_edits_a_question_and_adds_one(client, grid, operateur):
    client.force_login(operateur)
    question = EvalQuestion.objects.filter(axe__code="gains-internes").first()
    choices = list(question.choix.all())
    prefix = f"question-{question.pk}"
    data = {
        "formulaire": "question",
        "pk": str(question.pk),
        f"{prefix}-texte": question.texte,
        f"{prefix}-aide": "",
        f"{prefix}-poids": "2",
        f"{prefix}-actif": "on",
        f"{prefix}-nouveau_0_libelle": "Énormément",
        f"{prefix}-nouveau_0_points": "9",
    }
    for choice in choices:
        data[f"{prefix}-choix_{choice.pk}_libelle"] = choice.libelle
        data[f"{prefix}-choix_{choice.pk}_points"] = str(choice.points)
    data[f"{prefix}-choix_{choices[0].pk}_libelle"] = ""
    response = client.post(CONFIGURATION_URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'href="#id_{prefix}-choix_{choices[0].pk}_libelle"' in html
    assert f'href="#id_{prefix}-nouveau_0_points"' in html
    assert "Une réponse vaut de 0 à 4 points" in html
    assert re.search(
        rf'<details class="obs-config-question" open>\s*<summary>{question.texte}', html
    )
    question.refresh_from_db()
    assert question.poids == 1

    data[f"{prefix}-choix_{choices[0].pk}_libelle"] = "Beaucoup de temps gagné"
    data[f"{prefix}-nouveau_0_points"] = "3,5"
    assert client.post(CONFIGURATION_URL, data).status_code == 302
    question.refresh_from_db()
    assert question.poids == 2
    assert [c.libelle for c in question.choix.all()][0] == "Beaucoup de temps gagné"
    assert question.choix.last().points == Decimal("3.5")

    axe = question.axe
    added = {
        "formulaire": "question_ajout",
        "axe": str(axe.pk),
        f"axe-{axe.pk}-question-texte": "Le projet réduit-il les déplacements des agents ?",
        f"axe-{axe.pk}-question-poids": "1",
        f"axe-{axe.pk}-question-nouveau_0_libelle": "Oui",
        f"axe-{axe.pk}-question-nouveau_0_points": "4",
        f"axe-{axe.pk}-question-nouveau_1_libelle": "Non",
        f"axe-{axe.pk}-question-nouveau_1_points": "0",
    }
    assert client.post(CONFIGURATION_URL, added).status_code == 302
    assert axe.questions.filter(texte__startswith="Le projet réduit-il").exists()


def test_it_adds_an_axis(client, grid, operateur):
    client.force_login(operateur)
    response = client.post(
        CONFIGURATION_URL,
        {"formulaire": "axe_ajout", "nouvel-axe-nom": "", "nouvel-axe-poids": "abc"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Indiquez le nom de l’axe." in html and "Le poids est un nombre de 0 à 100" in html
    response = client.post(
        CONFIGURATION_URL,
        {
            "formulaire": "axe_ajout",
            "nouvel-axe-nom": "Sobriété numérique",
            "nouvel-axe-poids": "1",
        },
    )
    assert response.status_code == 302
    response = client.get(CONFIGURATION_URL)
    assert_accessible(response)
    assert "Questions de l’axe « Sobriété numérique »" in response.content.decode()
