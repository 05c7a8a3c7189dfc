"""A contact person appears only with their consent: oneself ticks « c'est moi et j'accepte »;
anyone else gets a mail whose link shows the text on GET (a mail scanner changes nothing) and
records it on POST; an expired or forged link is a French error page; withdrawal hides them."""

import re
import time
from unittest import mock

from django.core import signing

from socle.observatoire.models import Contact
from socle.observatoire.selectors import contacts_visibles
from socle.observatoire.services import CONSENT_SALT, contact_token
from tests.helpers.a11y import assert_accessible
from tests.helpers.mail import path_in
from tests.observatoire.fixtures_contrib import gestion

ACCORD = re.compile(r"(/observatoire/contact/accord/[^/\s]+/)")
RETRAIT = re.compile(r"(/observatoire/contact/retrait/[^/\s]+/)")


def _add(client, membre, projet, **data):
    return client.post(
        gestion(membre, "projet_contacts", projet.pk),
        {"action": "ajouter", "fonction": "", "telephone": "", "role": "", **data},
    )


def test_it_records_ones_own_consent_at_once(client, demo_members, projet_pessac, agent_pessac):
    client.force_login(agent_pessac)
    response = _add(
        client,
        demo_members.pessac,
        projet_pessac,
        nom="Anne Agent",
        email=agent_pessac.email.upper(),
        fonction="Cheffe de projet",
        moi="on",
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.visible and contact.user == agent_pessac
    assert contacts_visibles(projet=projet_pessac) == [contact]
    page = client.get(gestion(demo_members.pessac, "projet_contacts", projet_pessac.pk))
    assert "Accord donné le" in page.content.decode()
    assert_accessible(page)


def test_it_asks_another_person_by_mail(
    client, demo_members, projet_pessac, agent_pessac, smtp_server
):
    client.force_login(agent_pessac)
    smtp_server.clear()
    _add(
        client,
        demo_members.pessac,
        projet_pessac,
        nom="Zoé Martin",
        email="zoe.martin@pessac.example.fr",
        role="Pilotage",
    )
    contact = Contact.objects.get()
    assert not contact.visible
    assert contacts_visibles(projet=projet_pessac) == []
    page = client.get(gestion(demo_members.pessac, "projet_contacts", projet_pessac.pk))
    assert "pas encore visible" in page.content.decode()

    mail = smtp_server.wait_for(1)[0]
    assert mail["To"] == "zoe.martin@pessac.example.fr"
    accord = path_in(mail, ACCORD)
    retrait = path_in(mail, RETRAIT)

    client.logout()
    # A mail scanner (or the person) opening the link: the text and a button, nothing recorded.
    shown = client.get(accord)
    assert shown.status_code == 200
    assert "J’accepte que mon nom" in shown.content.decode()
    assert projet_pessac.titre in shown.content.decode()
    assert_accessible(shown)
    client.head(accord)
    contact.refresh_from_db()
    assert contact.consentement_le is None

    given = client.post(accord)
    assert given.status_code == 200
    assert "votre accord est enregistré" in given.content.decode()
    contact.refresh_from_db()
    assert contact.visible and "J’accepte" in contact.consentement_texte
    assert contacts_visibles(projet=projet_pessac) == [contact]

    # Withdrawal: GET asks, POST hides them at once.
    asked = client.get(retrait)
    assert asked.status_code == 200 and "Retirer mon accord" in asked.content.decode()
    assert_accessible(asked)
    contact.refresh_from_db()
    assert contact.visible
    assert client.post(retrait).status_code == 200
    contact.refresh_from_db()
    assert not contact.visible
    assert contacts_visibles(projet=projet_pessac) == []


def test_it_refuses_an_expired_or_forged_link(client, demo_members, projet_pessac, agent_pessac):
    client.force_login(agent_pessac)
    _add(client, demo_members.pessac, projet_pessac, nom="Zoé Martin", email="zoe@exemple.fr")
    contact = Contact.objects.get()
    client.logout()

    # A link sent 31 days ago (it lasts 30).
    with mock.patch("time.time", return_value=time.time() - 31 * 24 * 3600):
        token = contact_token(contact, "accord")
    assert signing.loads(token, salt=CONSENT_SALT)["c"] == contact.pk
    for method in (client.get, client.post):
        expired = method(f"/observatoire/contact/accord/{token}/")
        assert expired.status_code == 400
        assert "Ce lien a expiré" in expired.content.decode()
    assert_accessible(client.get(f"/observatoire/contact/accord/{token}/"))

    forged = client.post("/observatoire/contact/accord/nimporte-quoi/")
    assert forged.status_code == 404
    assert "Ce lien n’est pas valide" in forged.content.decode()
    # A withdrawal token does not give consent.
    retrait = contact_token(contact, "retrait")
    assert client.post(f"/observatoire/contact/accord/{retrait}/").status_code == 404
    contact.refresh_from_db()
    assert contact.consentement_le is None


def test_it_lets_a_contributor_withdraw_and_remove_a_contact(
    client, demo_members, projet_pessac, agent_pessac, admin_pessac
):
    client.force_login(agent_pessac)
    _add(
        client,
        demo_members.pessac,
        projet_pessac,
        nom="Anne Agent",
        email=agent_pessac.email,
        moi="on",
    )
    contact = Contact.objects.get()
    client.force_login(admin_pessac)
    url = gestion(demo_members.pessac, "projet_contacts", projet_pessac.pk)
    assert client.post(url, {"action": "retirer_accord", "contact": contact.pk}).status_code == 302
    contact.refresh_from_db()
    assert not contact.visible
    assert client.post(url, {"action": "retirer", "contact": contact.pk}).status_code == 302
    assert not projet_pessac.contacts.exists()
    # Someone else's contact (not on this project) is a 404.
    assert client.post(url, {"action": "retirer", "contact": 9999}).status_code == 404
