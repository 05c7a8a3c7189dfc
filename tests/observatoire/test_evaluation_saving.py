"""Saving an evaluation computes its result with the current grid, horizon and rate, stores it
with the axes' names and weights it read, and records who did it."""

import pytest
from django.core.exceptions import PermissionDenied

from socle.membres.models import AuditEvent
from socle.observatoire.evaluation import evaluation_save
from socle.observatoire.models import Evaluation
from tests.observatoire.helpers_evaluation import (
    FLUX,
    answers,
    choice_worth,
    question_axes,
)

pytest_plugins = ["tests.observatoire.fixtures_evaluation"]


def test_it_stores_the_result_of_an_ex_ante_evaluation(grid, projet_pessac, agent_pessac):
    evaluation = evaluation_save(
        acting_user=agent_pessac,
        projet=projet_pessac,
        kind="ex_ante",
        reponses=answers(grid, "best"),
        flux=FLUX,
        commentaire="  Estimation du service voirie.  ",
    )
    resultat = evaluation.resultat
    assert [axe["code"] for axe in resultat["axes"]] == [
        "necessite",
        "maitrise-des-risques",
        "gains-internes",
        "gains-externes",
        "rentabilite",
    ]
    # Every question answered with 4 points: 100 on the four question axes; the financial axis
    # 73.1 (see test_evaluation_arithmetic); overall (4 × 100 + 73.1)/5 = 94.62 → 94.6.
    assert [axe["score"] for axe in resultat["axes"]] == [100.0, 100.0, 100.0, 100.0, 73.1]
    assert resultat["score"] == 94.6 and resultat["note"] == "A"
    assert resultat["van"] == "793.76" and resultat["delai_retour"] == 3.15
    assert resultat["axes"][0]["repondues"] == resultat["axes"][0]["questions"] == 4
    assert evaluation.horizon_annees == 5 and str(evaluation.taux_actualisation) == "4.50"
    assert evaluation.flux[0] == {"couts": "1000.00", "gains": "0.00"}
    assert evaluation.commentaire == "Estimation du service voirie."
    assert evaluation.cree_par == agent_pessac
    event = AuditEvent.objects.get(action="evaluation.enregistrement")
    assert event.membre == projet_pessac.membre and event.actor == agent_pessac
    assert event.details["note"] == "A"


def test_it_scores_only_what_was_answered(grid, projet_pessac, agent_pessac):
    necessite = question_axes(grid)[0]
    first, second = necessite.questions_grille[:2]
    evaluation = evaluation_save(
        acting_user=agent_pessac,
        projet=projet_pessac,
        kind="ex_ante",
        # 4 and 2 points, equal weights: 100 × 6/8 = 75; nothing else answered, no flows.
        reponses={str(first.pk): choice_worth(first, 4), str(second.pk): choice_worth(second, 2)},
        flux=[],
    )
    scores = {axe["code"]: axe["score"] for axe in evaluation.resultat["axes"]}
    assert scores == {
        "necessite": 75.0,
        "maitrise-des-risques": None,
        "gains-internes": None,
        "gains-externes": None,
        "rentabilite": None,
    }
    assert evaluation.resultat["score"] == 75.0 and evaluation.resultat["note"] == "B"
    assert evaluation.resultat["van"] is None and evaluation.resultat["delai_retour"] is None


def test_it_replaces_an_evaluation_saved_again(grid, projet_pessac, agent_pessac, elu_pessac):
    evaluation_save(
        acting_user=agent_pessac,
        projet=projet_pessac,
        kind="ex_ante",
        reponses=answers(grid, "best"),
        flux=FLUX,
    )
    again = evaluation_save(
        acting_user=elu_pessac,
        projet=projet_pessac,
        kind="ex_ante",
        reponses=answers(grid, "worst"),
        flux=[],
    )
    assert Evaluation.objects.filter(projet=projet_pessac).count() == 1
    # The worst answers are worth 0, but for « Un public restreint » (1 point) of the five
    # gains externes questions: 100 × 1/20 = 5; overall (0 + 0 + 0 + 5)/4 = 1.25 → 1.3.
    assert [axe["score"] for axe in again.resultat["axes"]] == [0.0, 0.0, 0.0, 5.0, None]
    assert again.resultat["score"] == 1.3 and again.resultat["note"] == "E"
    assert again.cree_par == agent_pessac  # the author stays; modifie_le moves
    assert again.modifie_le > again.cree_le


def test_it_takes_an_ex_post_evaluation_without_an_ex_ante_one(grid, projet_pessac, agent_pessac):
    # A project recorded after it was done has no forecast; one written now would be no
    # forecast either.
    evaluation = evaluation_save(
        acting_user=agent_pessac,
        projet=projet_pessac,
        kind="ex_post",
        reponses=answers(grid, "first"),
        flux=FLUX[:3],
    )
    assert evaluation.kind == "ex_post"
    assert not Evaluation.objects.filter(projet=projet_pessac, kind="ex_ante").exists()


def test_it_drops_trailing_blank_years_and_counts_blank_cells_as_zero(
    grid, projet_pessac, agent_pessac
):
    evaluation = evaluation_save(
        acting_user=agent_pessac,
        projet=projet_pessac,
        kind="ex_ante",
        reponses={},
        flux=[
            {"couts": "12 500,50", "gains": ""},
            {"couts": "", "gains": "8\u202f000"},
            {"couts": "", "gains": ""},
            {"couts": None, "gains": None},
        ],
    )
    assert evaluation.flux == [
        {"couts": "12500.50", "gains": "0.00"},
        {"couts": "0.00", "gains": "8000.00"},
    ]


def test_it_lets_the_structure_evaluate_but_not_another_member(
    grid, projet_pessac, operateur, agent_bordeaux, citizen
):
    evaluation_save(
        acting_user=operateur, projet=projet_pessac, kind="ex_ante", reponses={}, flux=[]
    )
    for user in (agent_bordeaux, citizen):
        with pytest.raises(PermissionDenied):
            evaluation_save(
                acting_user=user, projet=projet_pessac, kind="ex_post", reponses={}, flux=[]
            )
    assert not Evaluation.objects.filter(kind="ex_post").exists()
