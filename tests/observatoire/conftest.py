"""Fixtures of the observatory's tests: a published project of Pessac, its contributors."""

import pytest

from socle.observatoire.services import (
    logiciel_ensure,
    projet_create,
    projet_logiciels_set,
    projet_publish,
    projet_submit,
)


@pytest.fixture
def elu_pessac(demo_members):
    return demo_members.elu_pessac


@pytest.fixture
def projet_pessac(demo_members, agent_pessac):
    """A draft project of Pessac, drafted by its agent."""
    return projet_create(
        acting_user=agent_pessac,
        membre=demo_members.pessac,
        titre="Application de signalement des problèmes de voirie",
        resume="Les habitants signalent nids-de-poule et dépôts sauvages depuis leur téléphone.",
        themes=["services-usagers"],
        statut="en_cours",
    )


@pytest.fixture
def projet_publie(projet_pessac, agent_pessac, operateur):
    """Pessac's project, using Publik, submitted then published by the structure."""
    publik = logiciel_ensure(acting_user=None, nom="Publik", libre=True, editeur="Entr'ouvert")
    projet_logiciels_set(acting_user=agent_pessac, projet=projet_pessac, logiciels=[publik])
    projet_submit(acting_user=agent_pessac, projet=projet_pessac)
    projet_publish(acting_user=operateur, projet=projet_pessac)
    projet_pessac.refresh_from_db()
    return projet_pessac


@pytest.fixture(autouse=True)
def _observatoire_defaults(request):
    """Put back the shipped evaluation grid and maturity questionnaire in every database test:
    a transactional test before this one (a browser test) flushed what the migrations wrote."""
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from socle.observatoire.defaults import defaults_ensure

    defaults_ensure()
