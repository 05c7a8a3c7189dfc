"""A project's carrier and partners, its software (and whether the member is their referent),
and a contact person already known, set through the project's pages."""

from socle.observatoire.models import Acteur, Contact, LogicielUsage
from socle.observatoire.services import (
    acteur_create,
    contact_create,
    logiciel_ensure,
    projet_create,
    projet_logiciels_set,
)
from tests.helpers.a11y import assert_accessible
from tests.observatoire.fixtures_contrib import gestion


def test_it_sets_the_carrier_and_the_partners(
    client, demo_members, projet_pessac, agent_pessac, operateur
):
    gironde_numerique = acteur_create(
        acting_user=operateur, kind="public", nom="Gironde Numérique", siren=""
    )
    client.force_login(agent_pessac)
    url = gestion(demo_members.pessac, "projet_acteurs", projet_pessac.pk)
    # Found without its accent, by name.
    found = client.get(url, {"q": "gironde numerique"})
    assert "Gironde Numérique" in found.content.decode()
    response = client.post(
        url, {"action": "porteur", "acteur": gironde_numerique.pk, "q": "gironde numérique"}
    )
    assert response.status_code == 302 and "q=gironde+num" in response["Location"]
    projet_pessac.refresh_from_db()
    assert projet_pessac.porteur == gironde_numerique
    assert projet_pessac.departement_code == ""  # the carrier's place follows

    client.post(url, {"action": "ajouter", "acteur": gironde_numerique.pk, "role": "inconnu"})
    assert not projet_pessac.participations.exists()
    client.post(
        url, {"action": "ajouter", "acteur": gironde_numerique.pk, "role": "partenaire_public"}
    )
    link = projet_pessac.participations.get()
    page = client.get(url)
    assert "Partenaire public" in page.content.decode()
    assert_accessible(page)
    client.post(url, {"action": "retirer", "participation": link.pk})
    assert not projet_pessac.participations.exists()

    client.post(url, {"action": "porteur_membre"})
    projet_pessac.refresh_from_db()
    assert projet_pessac.porteur.nom == "Pessac" and projet_pessac.departement_code == "33"
    assert client.post(url, {"action": "retirer", "participation": "x"}).status_code == 400


def test_it_marks_the_member_as_referent_of_a_software(
    client, demo_members, projet_pessac, agent_pessac
):
    publik = logiciel_ensure(acting_user=None, nom="Publik")
    projet_logiciels_set(acting_user=agent_pessac, projet=projet_pessac, logiciels=[publik])
    client.force_login(agent_pessac)
    url = gestion(demo_members.pessac, "projet_logiciels", projet_pessac.pk)
    client.post(url, {"action": "referent", "logiciel": publik.pk, "referent": "1"})
    usage = LogicielUsage.objects.get(logiciel=publik)
    assert usage.referent and usage.acteur.nom == "Pessac"
    assert "Vous êtes référents" in client.get(url).content.decode()
    client.post(url, {"action": "referent", "logiciel": publik.pk, "referent": "0"})
    usage.refresh_from_db()
    assert not usage.referent
    # « publik » is the same software, whatever its letter case.
    client.post(url, {"action": "ajouter", "nom": "PUBLIK"})
    assert list(projet_pessac.logiciels.all()) == [publik]
    client.post(url, {"action": "retirer", "logiciel": publik.pk})
    assert not projet_pessac.logiciels.exists()
    # A software the project does not use cannot be acted on.
    assert client.post(url, {"action": "retirer", "logiciel": publik.pk}).status_code == 404


def test_it_names_a_known_person_on_another_project(
    client, demo_members, projet_pessac, agent_pessac
):
    pessac = Acteur.objects.get(membre=demo_members.pessac)
    contact = contact_create(
        acting_user=agent_pessac,
        acteur=pessac,
        nom="Anne Agent",
        email=agent_pessac.email,
        consent_now=True,
    )
    other = projet_create(acting_user=agent_pessac, membre=demo_members.pessac, titre="Autre")
    client.force_login(agent_pessac)
    url = gestion(demo_members.pessac, "projet_contacts", other.pk)
    assert "Une personne déjà connue" in client.get(url).content.decode()
    response = client.post(url, {"action": "existant", "contact": contact.pk, "role": "Pilotage"})
    assert response.status_code == 302
    assert other.contacts.get().role == "Pilotage"
    assert Contact.objects.count() == 1
    # A contact of another actor is not offered, nor accepted.
    bordeaux = Acteur.objects.create(kind="collectivite", nom="Ailleurs", slug="ailleurs")
    stranger = Contact.objects.create(acteur=bordeaux, nom="X", email="x@exemple.fr")
    assert client.post(url, {"action": "existant", "contact": stranger.pk}).status_code == 404
