"""The structure configures the questionnaire: a statement added is asked in the next
diagnostics, one taken out is no longer asked, and diagnostics already made keep their answers
and levels; a statement answered is taken out rather than deleted; errors come back in French;
only the structure may do it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socle.membres.models import AuditEvent
from socle.observatoire import maturite
from socle.observatoire.models import MaturiteEnonce
from tests.helpers.a11y import assert_accessible
from tests.observatoire.fixtures_feuilles import answers, diagnose

URL = "/gestion/observatoire/maturite/"


def test_it_asks_a_new_statement_and_leaves_old_diagnostics_alone(demo_members, operateur):
    before = diagnose(demo_members.pessac, 2)
    enonce = maturite.enonce_create(
        acting_user=operateur, theme="cybersecurite", texte="Les postes sont chiffrés."
    )
    assert enonce.ordre == 4  # after the four default statements of the theme
    with pytest.raises(ValidationError) as error:
        maturite.diagnostic_create(
            acting_user=None, membre=demo_members.pessac, reponses=before.reponses
        )
    assert f"enonce_{enonce.pk}" in error.value.message_dict
    given = answers(lambda e: 5 if e.pk == enonce.pk else 2)
    after = maturite.diagnostic_create(acting_user=None, membre=demo_members.pessac, reponses=given)
    # (2 + 2 + 2 + 2 + 5) / 5 = 2.6
    assert after.niveaux["cybersecurite"] == 2.6
    before.refresh_from_db()
    assert before.niveaux["cybersecurite"] == 2.0
    event = AuditEvent.objects.get(action="observatoire.configuration")
    assert event.membre is None and event.details == {"maturite": "ajout", "theme": "cybersecurite"}


def test_it_stops_asking_a_statement_taken_out(demo_members, operateur):
    enonce = MaturiteEnonce.objects.filter(theme="strategie").first()
    old = diagnose(demo_members.pessac, 1)
    maturite.enonce_update(
        acting_user=operateur,
        enonce=enonce,
        theme=enonce.theme,
        texte=enonce.texte,
        aide=enonce.aide,
        actif=False,
    )
    assert enonce not in maturite.enonces_actifs()
    new = diagnose(demo_members.pessac, 3)
    assert str(enonce.pk) not in new.reponses
    old.refresh_from_db()
    assert old.reponses[str(enonce.pk)] == 1


def test_it_deletes_only_a_statement_never_answered(demo_members, operateur):
    answered = MaturiteEnonce.objects.filter(theme="strategie").first()
    diagnose(demo_members.pessac, 1)
    with pytest.raises(ValidationError) as error:
        maturite.enonce_delete(acting_user=operateur, enonce=answered)
    assert "retirez-le du questionnaire" in error.value.messages[0]
    fresh = maturite.enonce_create(acting_user=operateur, theme="inclusion", texte="Nouveau")
    maturite.enonce_delete(acting_user=operateur, enonce=fresh)
    assert not MaturiteEnonce.objects.filter(pk=fresh.pk).exists()


def test_it_checks_a_statement_in_one_round(operateur):
    with pytest.raises(ValidationError) as error:
        maturite.enonce_create(
            acting_user=operateur, theme="inconnu", texte=" ", aide="x" * 2001, ordre="premier"
        )
    assert error.value.message_dict == {
        "theme": ["Choisissez un thème dans la liste."],
        "texte": ["Écrivez l’énoncé."],
        "aide": ["L’aide tient en 2000 caractères au plus."],
        "ordre": ["L’ordre est un nombre entier."],
    }


def test_it_lets_only_the_structure_configure(demo_members, admin_pessac):
    with pytest.raises(PermissionDenied):
        maturite.enonce_create(acting_user=admin_pessac, theme="inclusion", texte="Piraté")


def test_it_configures_through_the_page(client, demo_members, operateur):
    client.force_login(operateur)
    response = client.get(URL)
    assert response.status_code == 200
    assert_accessible(response)
    response = client.post(
        URL,
        {
            "action": "ajouter",
            "nouveau-theme": "inclusion",
            "nouveau-texte": "Un guichet d’aide existe dans chaque quartier.",
            "nouveau-actif": "on",
        },
    )
    enonce = MaturiteEnonce.objects.get(texte="Un guichet d’aide existe dans chaque quartier.")
    assert response["Location"] == f"{URL}#enonce-{enonce.pk}"
    response = client.post(
        URL,
        {
            "action": "modifier",
            "enonce": enonce.pk,
            f"e{enonce.pk}-theme": "inclusion",
            f"e{enonce.pk}-texte": "Un guichet d’aide dans chaque quartier.",
            f"e{enonce.pk}-ordre": "0",
        },
    )
    enonce.refresh_from_db()
    assert (enonce.texte, enonce.ordre, enonce.actif) == (
        "Un guichet d’aide dans chaque quartier.",
        0,
        False,
    )
    response = client.post(
        URL, {"action": "modifier", "enonce": enonce.pk, f"e{enonce.pk}-theme": "inclusion"}
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert_accessible(response)
    client.post(URL, {"action": "supprimer", "enonce": enonce.pk})
    assert not MaturiteEnonce.objects.filter(pk=enonce.pk).exists()


def test_it_tells_why_an_answered_statement_stays(client, demo_members, operateur):
    diagnose(demo_members.pessac, 1)
    answered = MaturiteEnonce.objects.filter(theme="strategie").first()
    client.force_login(operateur)
    html = client.get(URL).content.decode()
    item = html.split(f'id="enonce-{answered.pk}"')[1].split("</li>")[0]
    assert 'value="modifier"' in item and 'value="supprimer"' not in item
    response = client.post(URL, {"action": "supprimer", "enonce": answered.pk}, follow=True)
    assert "retirez-le du questionnaire" in response.content.decode()
    assert MaturiteEnonce.objects.filter(pk=answered.pk).exists()
