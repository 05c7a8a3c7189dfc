"""Fixtures of the public pages' tests: published projects of Pessac, Bordeaux and Dunkerque
(out of the loaded territory), a draft, a contact person who consented and one who did not."""

from types import SimpleNamespace

import pytest

from socle.observatoire.models import Acteur
from socle.observatoire.services import (
    acteur_create,
    acteur_ensure_membre,
    contact_consent_give,
    contact_create,
    logiciel_ensure,
    logiciel_usage_set,
    projet_contact_add,
    projet_create,
    projet_logiciels_set,
    projet_participations_set,
    projet_publish,
    projet_submit,
    projet_update,
)


def publish(projet, author, operateur):
    """Submit then publish a project (the structure's review)."""
    projet_submit(acting_user=author, projet=projet)
    projet_publish(acting_user=operateur, projet=projet)
    projet.refresh_from_db()
    return projet


@pytest.fixture
def observatoire(demo_members, agent_pessac, agent_bordeaux, operateur):
    """Three published projects, one draft, contacts, software and their users."""
    return build_observatoire(
        pessac=demo_members.pessac,
        bordeaux=demo_members.bordeaux,
        agent_pessac=agent_pessac,
        agent_bordeaux=agent_bordeaux,
        operateur=operateur,
    )


def build_observatoire(*, pessac, bordeaux, agent_pessac, agent_bordeaux, operateur):
    """Make the observatory of these tests (also in a transactional test, for the browser)."""
    publik = logiciel_ensure(acting_user=None, nom="Publik", libre=True, editeur="Entr'ouvert")
    dansmarue = logiciel_ensure(acting_user=None, nom="DansMaRue", libre=True)
    dunkerque = acteur_create(
        acting_user=operateur,
        kind=Acteur.Kind.COLLECTIVITE,
        nom="Dunkerque",
        type_collectivite="commune",
        code_insee="59183",
        population=86_000,
        departement_code="59",
        region_code="32",
        latitude=51.0344,
        longitude=2.3768,
        site_web="https://www.ville-dunkerque.fr",
        email="accueil@ville-dunkerque.example.fr",
    )
    voirie = projet_create(
        acting_user=agent_pessac,
        membre=pessac,
        titre="Application de signalement des problèmes de voirie",
        resume="Les habitants signalent nids-de-poule et dépôts sauvages depuis leur téléphone.",
        description="Une **application** pour la voirie.\n\n<script>alert('x')</script>\n\n"
        "[un lien](javascript:alert(1)) et [le site](https://www.pessac.fr)",
        themes=["services-usagers"],
        statut="en_cours",
        date_debut="2024-03-01",
        budget_investissement="45000",
        budget_fonctionnement="6000",
        financements=[{"source": '=HYPERLINK("https://evil.example")', "montant": "20000"}],
        savoir_faire=["marchés publics", "SIG"],
        resultats="1 200 signalements la première année.",
        enseignements="Associer les agents de terrain dès le début.",
        open_source=True,
        depot_code="https://git.example.org/pessac/voirie",
    )
    projet_logiciels_set(acting_user=agent_pessac, projet=voirie, logiciels=[publik])
    projet_participations_set(
        acting_user=agent_pessac,
        projet=voirie,
        participations=[(acteur_ensure_membre(membre=bordeaux), "concernee")],
    )
    voirie = publish(voirie, agent_pessac, operateur)
    # A contact who consented (the agent herself), and one whose consent is only asked.
    pessac_acteur = acteur_ensure_membre(membre=pessac)
    anne = contact_create(
        acting_user=agent_pessac,
        acteur=pessac_acteur,
        nom="Anne Agent",
        fonction="Cheffe de projet voirie",
        email=agent_pessac.email,
        telephone="05 56 00 00 00",
        consent_now=True,
    )
    silencieux = contact_create(
        acting_user=agent_pessac,
        acteur=pessac_acteur,
        nom="Sylvain Silencieux",
        email="sylvain@pessac.example.fr",
    )
    projet_contact_add(acting_user=agent_pessac, projet=voirie, contact=anne, role="Cheffe")
    projet_contact_add(acting_user=agent_pessac, projet=voirie, contact=silencieux)
    logiciel_usage_set(
        acting_user=agent_pessac, logiciel=publik, acteur=pessac_acteur, referent=True, contact=anne
    )

    dkcl = projet_create(
        acting_user=operateur,
        membre=None,
        porteur=dunkerque,
        titre="DK'CL! : signaler un problème dans l'espace public",
        resume="L'application de Dunkerque pour signaler les problèmes de voirie et de propreté.",
        themes=["services-usagers", "donnee"],
        statut="realise",
    )
    projet_logiciels_set(acting_user=operateur, projet=dkcl, logiciels=[dansmarue])
    dkcl = publish(dkcl, operateur, operateur)

    ecoles = projet_create(
        acting_user=agent_bordeaux,
        membre=bordeaux,
        titre="Tablettes dans les écoles",
        resume="Des tablettes pour les écoles élémentaires.",
        themes=["inclusion"],
        statut="en_projet",
    )
    ecoles = publish(ecoles, agent_bordeaux, operateur)

    brouillon = projet_create(
        acting_user=agent_pessac,
        membre=pessac,
        titre="Projet secret de voirie",
        resume="Pas encore relu.",
        themes=["services-usagers"],
        statut="idee",
        slug="projet-secret",
    )
    return SimpleNamespace(
        voirie=voirie,
        dkcl=dkcl,
        ecoles=ecoles,
        brouillon=brouillon,
        anne=anne,
        silencieux=silencieux,
        publik=publik,
        dansmarue=dansmarue,
        dunkerque=dunkerque,
        pessac_acteur=pessac_acteur,
    )


def give_consent(contact):
    return contact_consent_give(contact=contact)


def update(projet, user, **fields):
    return projet_update(acting_user=user, projet=projet, **fields)
