"""A questionnaire with a level out of the scale, an unknown statement, a missing answer or
nothing but « non concerné » is refused as a whole, every error reported at once, in French;
another member's agent cannot record a diagnostic for Pessac."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socle.observatoire import maturite
from socle.observatoire.models import Diagnostic, MaturiteEnonce
from tests.helpers.a11y import assert_accessible
from tests.observatoire.fixtures_feuilles import answers

URL = "/gestion/pessac/observatoire/diagnostic/nouveau/"


def test_it_reports_every_error_at_once(demo_members, agent_pessac):
    first, second, third, fourth, fifth = MaturiteEnonce.objects.filter(actif=True)[:5]
    given = answers()
    given[str(first.pk)] = 6
    given[str(second.pk)] = -1
    del given[str(third.pk)]
    given[str(fourth.pk)] = "beaucoup"
    given[str(fifth.pk)] = True
    given["999999"] = 3
    with pytest.raises(ValidationError) as error:
        maturite.diagnostic_create(
            acting_user=agent_pessac, membre=demo_members.pessac, reponses=given
        )
    errors = error.value.message_dict
    assert errors[f"enonce_{first.pk}"] == ["Le niveau est compris entre 0 et 5 (reçu : 6)."]
    assert errors[f"enonce_{second.pk}"] == ["Le niveau est compris entre 0 et 5 (reçu : -1)."]
    assert errors[f"enonce_{third.pk}"][0].startswith(f"Répondez à « {third.texte} »")
    assert errors[f"enonce_{fourth.pk}"] == ["Choisissez un niveau de 0 à 5, ou « Non concerné »."]
    assert errors[f"enonce_{fifth.pk}"] == ["Choisissez un niveau de 0 à 5, ou « Non concerné »."]
    assert errors["__all__"] == ["Énoncé inconnu ou retiré du questionnaire : 999999."]
    assert not Diagnostic.objects.exists()


def test_it_refuses_an_answer_to_a_statement_taken_out(demo_members, agent_pessac):
    enonce = MaturiteEnonce.objects.filter(actif=True).first()
    given = answers()
    enonce.actif = False
    enonce.save(update_fields=["actif"])
    with pytest.raises(ValidationError) as error:
        maturite.diagnostic_create(
            acting_user=agent_pessac, membre=demo_members.pessac, reponses=given
        )
    assert str(enonce.pk) in error.value.message_dict["__all__"][0]


def test_it_refuses_a_diagnostic_without_any_level(demo_members, agent_pessac):
    with pytest.raises(ValidationError) as error:
        maturite.diagnostic_create(
            acting_user=agent_pessac,
            membre=demo_members.pessac,
            reponses=answers(lambda _e: "nc"),
        )
    assert "tout est « Non concerné »" in error.value.messages[0]


def test_it_refuses_another_members_agent(demo_members, agent_bordeaux, citizen):
    for user in (agent_bordeaux, citizen):
        with pytest.raises(PermissionDenied):
            maturite.diagnostic_create(
                acting_user=user, membre=demo_members.pessac, reponses=answers()
            )


def test_it_shows_the_missing_answers_on_the_page(client, demo_members, agent_pessac):
    client.force_login(agent_pessac)
    given = {f"enonce_{key}": value for key, value in answers().items()}
    missing = MaturiteEnonce.objects.filter(actif=True).order_by("pk").last()
    del given[f"enonce_{missing.pk}"]
    given[f"enonce_{MaturiteEnonce.objects.order_by('pk').first().pk}"] = "6"
    response = client.post(URL, given)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Erreur :" in html
    assert "Choisissez un niveau de 0 à 5, ou « Non concerné »." in html
    assert "Le niveau est compris entre 0 et 5 ; sinon, choisissez « Non concerné »." in html
    assert f'href="#id_enonce_{missing.pk}_0"' in html  # the summary links to the scale
    assert not Diagnostic.objects.exists()
    assert_accessible(response)
