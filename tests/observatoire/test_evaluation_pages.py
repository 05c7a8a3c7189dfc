"""A chargé de mission evaluates a project in the member's back office: the questionnaire by
axis, the yearly flows, then the grades, the NPV and payback the French way and the radar; the
ex post page lays both radars over each other; wrong input comes back in one round."""

import re

from socle.observatoire.evaluation import evaluation_save, reglages_update
from socle.observatoire.models import Evaluation
from tests.helpers.a11y import assert_accessible
from tests.observatoire.helpers_evaluation import (
    FLUX,
    answers,
    evaluation_post,
    evaluation_url,
    question_axes,
)

pytest_plugins = ["tests.observatoire.fixtures_evaluation"]


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def test_it_asks_the_questions_by_axis_and_the_flows_by_year(
    client, grid, projet_pessac, agent_pessac
):
    client.force_login(agent_pessac)
    response = client.get(evaluation_url(projet_pessac))
    assert response.status_code == 200
    assert_accessible(response)
    html = response.content.decode()
    for axe in question_axes(grid):
        assert f"<h3>{axe.nom}</h3>" in html
        for question in axe.questions_grille:
            # one radio group per question, in a fieldset, « Sans réponse » checked
            assert f'name="reponse_{question.pk}"' in html
    assert html.count('<fieldset class="field field-choices') == sum(
        len(axe.questions_grille) for axe in question_axes(grid)
    )
    checked = re.findall(
        r'<input type="radio" name="reponse_\d+" value="([^"]*)"[^>]*checked', html
    )
    assert checked and set(checked) == {""}  # « Sans réponse » until answered
    for year in range(5):
        assert f'name="couts_{year}"' in html and f'name="gains_{year}"' in html
    assert 'name="couts_5"' not in html
    assert "Pas encore d’évaluation ex ante" in html
    assert "kit-chart-svg" not in html


def test_it_shows_the_grades_npv_payback_and_radar_once_saved(
    client, grid, projet_pessac, agent_pessac
):
    client.force_login(agent_pessac)
    url = evaluation_url(projet_pessac)
    response = client.post(url, evaluation_post(answers(grid, "best"), FLUX, "Hypothèses DSI"))
    assert response.status_code == 302 and response["Location"] == url + "#resultat"
    response = client.get(url)
    assert_accessible(response)
    text = _text(response)
    # See test_evaluation_arithmetic: VAN 793,76 €, PV(costs) 1 717,51 €, payback 3,15 years.
    assert "Valeur actuelle nette (VAN) 794\u00a0€" in text
    assert "Coûts actualisés 1\u00a0718\u00a0€" in text
    assert "3 ans et 2 mois (3,15 ans)" in text
    assert "un horizon de 5 ans et un taux d’actualisation de 4,5\u00a0% par an" in text
    assert "Rentabilité 1 73,1 sur 100 ✓ B — Favorable" in text
    assert "Ensemble (moyenne pondérée) — 94,6 sur 100 ✓ A — Très favorable" in text
    html = response.content.decode()
    assert html.count('class="kit-chart-svg"') == 1
    assert "Profil de valeur du projet" in html
    # The form shows what was saved: the chosen answers, the amounts, the comment.
    assert 'value="1000"' in html and 'value="700"' in html
    assert "Hypothèses DSI" in html


def test_it_lays_both_radars_over_each_other_on_the_ex_post_page(
    client, grid, projet_pessac, agent_pessac
):
    evaluation_save(
        acting_user=agent_pessac,
        projet=projet_pessac,
        kind="ex_ante",
        reponses=answers(grid, "best"),
        flux=FLUX,
    )
    client.force_login(agent_pessac)
    url = evaluation_url(projet_pessac, "ex-post")
    response = client.get(url)
    assert "Note d’ensemble de l’évaluation ex ante : A (94,6 sur 100)." in _text(response)
    client.post(url, evaluation_post(answers(grid, "worst"), FLUX[:2]))
    response = client.get(url)
    assert_accessible(response)
    html = response.content.decode()
    assert html.count('class="kit-chart-svg"') == 1
    assert "Profil de valeur : ex ante et ex post" in html
    legend = re.search(r'<ul class="kit-chart-legend">(.*?)</ul>', html, re.S).group(1)
    assert "Ex ante" in legend and "Ex post" in legend
    # The chart's table puts both evaluations side by side, axis by axis.
    assert re.search(r">Nécessité</th>\s*<td[^>]*>100,0</td>\s*<td[^>]*>0,0</td>", html)
    # Ex post: nets −1 000, +500; S = −1 000, −521,53: not paid back within the flows.
    assert "Non atteint sur les 5 ans de l’analyse" in _text(response)


def test_it_refuses_wrong_input_in_one_round_and_keeps_what_was_typed(
    client, grid, projet_pessac, agent_pessac
):
    client.force_login(agent_pessac)
    question = question_axes(grid)[0].questions_grille[0]
    data = evaluation_post(
        {question.pk: "999999"},
        [{"couts": "-20", "gains": "douze"}, {"couts": "1 200,50", "gains": ""}],
    )
    response = client.post(evaluation_url(projet_pessac), data)
    assert response.status_code == 400
    assert_accessible(response)
    html = response.content.decode()
    assert "<title>Erreur : Évaluation ex ante" in html
    summary = re.search(r'<div class="error-summary.*?</div>', html, re.S).group(0)
    assert f'href="#id_reponse_{question.pk}_0"' in summary
    assert "Choisissez une des réponses proposées." in summary
    assert 'href="#id_couts_0"' in summary and "ne peut pas être négatif" in summary
    assert 'href="#id_gains_0"' in summary and "Saisissez un montant en euros" in summary
    assert 'value="1 200,50"' in html and 'value="douze"' in html
    assert not Evaluation.objects.exists()


def test_it_says_when_the_settings_changed_since(
    client, grid, projet_pessac, agent_pessac, operateur
):
    evaluation_save(
        acting_user=agent_pessac, projet=projet_pessac, kind="ex_ante", reponses={}, flux=FLUX
    )
    reglages_update(acting_user=operateur, horizon_annees=3, taux_actualisation="2")
    client.force_login(agent_pessac)
    response = client.get(evaluation_url(projet_pessac))
    text = _text(response)
    assert "Réglages modifiés" in text
    assert "un horizon de 5 ans et un taux d’actualisation de 4,5\u00a0% par an" in text
    # The form now asks for three years; the saved flows beyond them are not shown.
    html = response.content.decode()
    assert 'name="couts_2"' in html and 'name="couts_3"' not in html


def test_it_knows_only_two_kinds_of_evaluation(client, grid, projet_pessac, agent_pessac):
    client.force_login(agent_pessac)
    assert client.get(evaluation_url(projet_pessac, "ex-nihilo")).status_code == 404
    assert client.post(evaluation_url(projet_pessac, "ex_ante")).status_code == 404
    assert not Evaluation.objects.exists()
