"""The structure configures the grid (axes, questions, answers, weights), the horizon and the
rate: new evaluations follow at once, a saved one keeps its result until it is saved again, and
every wrong value is refused in one round with nothing written."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socle.membres.models import AuditEvent
from socle.observatoire.evaluation import (
    axe_create,
    axe_deactivate,
    axe_update,
    axes_update,
    choix_create,
    choix_delete,
    choix_update,
    evaluation_save,
    grille,
    question_create,
    question_deactivate,
    question_update,
    reglages_courants,
    reglages_update,
)
from socle.observatoire.models import EvalAxe, EvalChoix, EvalQuestion, Evaluation
from tests.observatoire.helpers_evaluation import (
    FLUX,
    answers,
    question_axes,
)

pytest_plugins = ["tests.observatoire.fixtures_evaluation"]


def _axis(code: str) -> EvalAxe:
    return EvalAxe.objects.get(code=code)


def test_it_changes_new_scores_but_not_a_saved_one_until_saved_again(
    grid, projet_pessac, agent_pessac, operateur
):
    reponses = answers(grid, "first")
    before = evaluation_save(
        acting_user=agent_pessac, projet=projet_pessac, kind="ex_ante", reponses=reponses, flux=FLUX
    )
    old = before.resultat
    # The structure renames and doubles the financial axis, drops the risks axis and moves the
    # rate to 0 % over 3 years.
    axe_update(acting_user=operateur, axe=_axis("rentabilite"), nom="Retour financier", poids=2)
    axe_deactivate(acting_user=operateur, axe=_axis("maitrise-des-risques"))
    reglages_update(acting_user=operateur, horizon_annees="3", taux_actualisation="0")

    before.refresh_from_db()
    assert before.resultat == old  # the snapshot reads the same
    assert before.horizon_annees == 5 and before.taux_actualisation == Decimal("4.50")

    # Saved again (3 years at most now): recomputed with the new grid.
    after = evaluation_save(
        acting_user=agent_pessac,
        projet=projet_pessac,
        kind="ex_ante",
        reponses={k: v for k, v in reponses.items() if int(k) in _active_question_ids()},
        flux=FLUX[:3],
    )
    axes = {axe["code"]: axe for axe in after.resultat["axes"]}
    assert "maitrise-des-risques" not in axes
    assert axes["rentabilite"]["nom"] == "Retour financier" and axes["rentabilite"]["poids"] == 2
    # r = 0, nets −1000, +500, +500: VAN = 0, PV(costs) = 1400 → score 50; S = −1000, −500, 0
    # → payback 2 + 500/500 = 3 years.
    assert after.resultat["van"] == "0.00" and axes["rentabilite"]["score"] == 50.0
    assert after.resultat["delai_retour"] == 3.0
    assert after.horizon_annees == 3 and after.taux_actualisation == 0
    # Overall: the first answers are all worth 4, so 100 on three axes, 50 on the financial one
    # weighing 2: (100 + 100 + 100 + 2 × 50)/5 = 80.
    assert after.resultat["score"] == 80.0 and after.resultat["note"] == "A"


def _active_question_ids() -> set[int]:
    return {q.pk for axe in grille() for q in axe.questions_grille}


def test_it_asks_a_new_question_with_its_answers(grid, operateur):
    axe = _axis("gains-internes")
    question = question_create(
        acting_user=operateur,
        axe=axe,
        texte="Le projet réduit-il l’usage du papier ?",
        poids="1,5",
        choix=[
            {"libelle": "Oui, nettement", "points": "4"},
            {"libelle": "Un peu", "points": "2,5"},
            {"libelle": "", "points": ""},  # a blank line of the form
        ],
    )
    assert question.poids == Decimal("1.50") and question.ordre == 5
    assert [(c.libelle, c.points) for c in question.choix.all()] == [
        ("Oui, nettement", Decimal("4.00")),
        ("Un peu", Decimal("2.50")),
    ]
    assert AuditEvent.objects.filter(action="observatoire.configuration", membre=None).exists()


def test_it_edits_a_question_and_its_answers_in_one_go(grid, operateur):
    question = question_axes(grid)[0].questions_grille[0]
    first, second, third, fourth = question.choix.all()
    question_update(
        acting_user=operateur,
        question=question,
        texte="Le projet répond-il à une obligation légale ?",
        poids="2",
        choix=[
            {"id": first.pk, "libelle": "Oui, échéance dans l’année", "points": "4"},
            {"id": second.pk, "libelle": second.libelle, "points": "3"},
            {"id": third.pk, "supprimer": True},
            {"id": fourth.pk, "libelle": fourth.libelle, "points": "0"},
            {"libelle": "Je ne sais pas", "points": "1"},
        ],
    )
    question.refresh_from_db()
    assert question.texte == "Le projet répond-il à une obligation légale ?"
    assert question.poids == 2
    assert [c.libelle for c in question.choix.all()] == [
        "Oui, échéance dans l’année",
        second.libelle,
        fourth.libelle,
        "Je ne sais pas",
    ]
    choice = choix_create(acting_user=operateur, question=question, libelle="Bientôt", points=2)
    choix_update(acting_user=operateur, choix=choice, libelle="Bientôt (2 ans)", points="2,5")
    choice.refresh_from_db()
    assert choice.points == Decimal("2.50")
    choix_delete(acting_user=operateur, choix=choice)
    assert not EvalChoix.objects.filter(pk=choice.pk).exists()


def test_it_keeps_a_choice_an_evaluation_picked(grid, projet_pessac, agent_pessac, operateur):
    question = question_axes(grid)[0].questions_grille[0]
    picked = question.choix.first()
    evaluation_save(
        acting_user=agent_pessac,
        projet=projet_pessac,
        kind="ex_ante",
        reponses={str(question.pk): picked.pk},
        flux=[],
    )
    with pytest.raises(ValidationError) as error:
        choix_delete(acting_user=operateur, choix=picked)
    assert error.value.message_dict == {
        f"choix_{picked.pk}_supprimer": [
            "Cette réponse a été choisie dans 1 évaluation(s) : modifiez son libellé plutôt "
            "que de la supprimer."
        ]
    }
    assert EvalChoix.objects.filter(pk=picked.pk).exists()


def test_it_refuses_every_wrong_value_of_a_question_at_once(grid, operateur):
    question = question_axes(grid)[1].questions_grille[0]
    first, second, third = question.choix.all()
    texte = question.texte
    with pytest.raises(ValidationError) as error:
        question_update(
            acting_user=operateur,
            question=question,
            texte=" ",
            poids="-1",
            choix=[
                {"id": first.pk, "libelle": "", "points": "5"},
                {"id": second.pk, "supprimer": True},
                {"id": third.pk, "supprimer": True},
                {"libelle": "Nouvelle", "points": "beaucoup"},
            ],
        )
    assert error.value.message_dict == {
        "texte": ["Indiquez le texte de la question."],
        "poids": ["Le poids est un nombre de 0 à 100 (deux décimales au plus)."],
        f"choix_{first.pk}_libelle": ["Indiquez le libellé de la réponse."],
        f"choix_{first.pk}_points": ["Une réponse vaut de 0 à 4 points (deux décimales au plus)."],
        "nouveau_0_points": ["Une réponse vaut de 0 à 4 points (deux décimales au plus)."],
    }
    question.refresh_from_db()
    assert question.texte == texte and question.choix.count() == 3

    with pytest.raises(ValidationError) as error:
        question_update(
            acting_user=operateur,
            question=question,
            choix=[{"id": second.pk, "supprimer": True}, {"id": third.pk, "supprimer": True}],
        )
    assert error.value.message_dict == {
        "choix": ["Une question active propose au moins deux réponses."]
    }


def test_it_refuses_questions_on_the_financial_axis_and_too_few_answers(grid, operateur):
    with pytest.raises(ValidationError) as error:
        question_create(
            acting_user=operateur,
            axe=_axis("rentabilite"),
            texte="Combien ?",
            choix=[{"libelle": "Beaucoup", "points": 4}],
        )
    assert set(error.value.message_dict) == {"axe", "choix"}
    assert not EvalQuestion.objects.filter(texte="Combien ?").exists()


def test_it_keeps_an_active_weighted_axis(grid, operateur):
    codes = list(EvalAxe.objects.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as error:
        axes_update(acting_user=operateur, changes={pk: {"actif": False} for pk in codes})
    assert error.value.message_dict == {"axes": ["Gardez au moins un axe actif."]}
    with pytest.raises(ValidationError) as error:
        axes_update(
            acting_user=operateur,
            changes={pk: {"poids": "0", "nom": ""} for pk in codes[:1]}
            | {pk: {"actif": False} for pk in codes[1:]},
        )
    assert error.value.message_dict == {
        f"axe_{codes[0]}_nom": ["Indiquez le nom de l’axe."],
        "axes": ["Donnez un poids supérieur à 0 à au moins un axe actif."],
    }
    assert EvalAxe.objects.filter(actif=True).count() == 5


def test_it_adds_an_axis_scored_from_questions(grid, operateur):
    axe = axe_create(acting_user=operateur, nom="Développement durable", poids="0,5")
    assert axe.code == "developpement-durable" and not axe.financier and axe.ordre == 6
    with pytest.raises(ValidationError) as error:
        axe_create(acting_user=operateur, nom="", poids="101")
    assert set(error.value.message_dict) == {"nom", "poids"}


def test_it_checks_the_horizon_and_rate(grid, operateur):
    with pytest.raises(ValidationError) as error:
        reglages_update(acting_user=operateur, horizon_annees="0", taux_actualisation="4,555")
    assert error.value.message_dict == {
        "horizon_annees": ["L’horizon est un nombre entier d’années, de 1 à 30."],
        "taux_actualisation": [
            "Le taux d’actualisation est un pourcentage de 0 à 20 (4,5 par exemple)."
        ],
    }
    reglages = reglages_courants()
    assert reglages.horizon_annees == 5 and reglages.taux_actualisation == Decimal("4.5")
    reglages_update(acting_user=operateur, horizon_annees=" 10 ", taux_actualisation="3,25")
    reglages = reglages_courants()
    assert reglages.horizon_annees == 10 and reglages.taux_actualisation == Decimal("3.25")


def test_it_lets_only_the_structure_configure(grid, admin_pessac, agent_pessac, citizen):
    axe = _axis("necessite")
    question = axe.questions.first()
    for user in (admin_pessac, agent_pessac, citizen):
        for call in (
            lambda u: reglages_update(acting_user=u, horizon_annees=3, taux_actualisation=1),
            lambda u: axe_create(acting_user=u, nom="Axe"),
            lambda u: axe_update(acting_user=u, axe=axe, poids=3),
            lambda u: question_deactivate(acting_user=u, question=question),
        ):
            with pytest.raises(PermissionDenied):
                call(user)
    assert reglages_courants().horizon_annees == 5
    assert not AuditEvent.objects.filter(action="observatoire.configuration").exists()
    assert not Evaluation.objects.exists()
