"""Every wrong input of an evaluation is refused in one round, each with its French message on
its field, and nothing is written."""

import pytest
from django.core.exceptions import ValidationError

from socle.membres.models import AuditEvent
from socle.observatoire.evaluation import evaluation_save, reglages_update
from socle.observatoire.models import EvalChoix, Evaluation
from tests.observatoire.helpers_evaluation import question_axes

pytest_plugins = ["tests.observatoire.fixtures_evaluation"]


def _refused(**kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        evaluation_save(**kwargs)
    assert not Evaluation.objects.exists()
    assert not AuditEvent.objects.filter(action="evaluation.enregistrement").exists()
    return error.value.message_dict


def test_it_refuses_every_wrong_field_at_once(grid, projet_pessac, agent_pessac):
    axes = question_axes(grid)
    first = axes[0].questions_grille[0]
    second = axes[1].questions_grille[0]
    other_choice = EvalChoix.objects.exclude(question=first).first()
    errors = _refused(
        acting_user=agent_pessac,
        projet=projet_pessac,
        kind="ex_nihilo",
        reponses={
            str(first.pk): other_choice.pk,  # a choice of another question
            str(second.pk): "beaucoup",  # not a choice at all
            "999999": 1,  # no such question
        },
        flux=[
            {"couts": "-500", "gains": "100"},
            {"couts": "mille euros", "gains": "1e13"},
            {"couts": "0", "gains": "0"},
            {"couts": "0", "gains": "0"},
            {"couts": "0", "gains": "0"},
            {"couts": "100", "gains": "0"},  # a sixth year, beyond the 5-year horizon
        ],
        commentaire="x" * 5001,
    )
    assert errors == {
        "kind": ["Choisissez une évaluation ex ante ou ex post."],
        f"reponse_{first.pk}": ["Choisissez une des réponses proposées."],
        f"reponse_{second.pk}": ["Choisissez une des réponses proposées."],
        "reponse_999999": [
            "Question inconnue ou qui n’est plus posée (n° 999999) : rechargez la page."
        ],
        "couts_0": [
            "Un montant ne peut pas être négatif : saisissez les dépenses en coûts et les "
            "économies ou recettes en gains."
        ],
        "couts_1": ["Saisissez un montant en euros (12 500 ou 12500,50)."],
        "gains_1": ["Ce montant est trop élevé (moins de mille milliards d’euros)."],
        "flux": [
            "L’horizon d’évaluation est de 5 ans : saisissez au plus 5 années de coûts et de gains."
        ],
        "commentaire": ["Le commentaire tient en 5000 caractères au plus."],
    }


def test_it_refuses_an_answer_to_a_question_no_longer_asked(
    grid, projet_pessac, agent_pessac, operateur
):
    question = question_axes(grid)[0].questions_grille[0]
    question.actif = False
    question.save(update_fields=["actif"])
    choice = question.choix.first()
    errors = _refused(
        acting_user=agent_pessac,
        projet=projet_pessac,
        kind="ex_ante",
        reponses={str(question.pk): choice.pk},
        flux=[],
    )
    assert list(errors) == [f"reponse_{question.pk}"]


def test_it_follows_a_shorter_horizon(grid, projet_pessac, agent_pessac, operateur):
    reglages_update(acting_user=operateur, horizon_annees=2, taux_actualisation="4,5")
    errors = _refused(
        acting_user=agent_pessac,
        projet=projet_pessac,
        kind="ex_ante",
        reponses={},
        flux=[{"couts": "1", "gains": "0"}] * 3,
    )
    assert errors == {
        "flux": [
            "L’horizon d’évaluation est de 2 ans : saisissez au plus 2 années de coûts et de gains."
        ]
    }


def test_it_refuses_flows_that_are_not_years(grid, projet_pessac, agent_pessac):
    errors = _refused(
        acting_user=agent_pessac,
        projet=projet_pessac,
        kind="ex_ante",
        reponses=["pas", "un", "dictionnaire"],
        flux="1000",
    )
    assert set(errors) == {"reponses", "flux"}
