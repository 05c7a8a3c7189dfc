"""Inputs a contributor could abuse are bounded: long Markdown, line breaks in a title (mail
subjects), consent requests mailed to strangers."""

import pytest
from django.core.exceptions import ValidationError

from socle.observatoire.models import Contact
from socle.observatoire.services import (
    TEXT_MAX,
    acteur_ensure_membre,
    contact_consent_withdraw,
    contact_create,
    projet_update,
)


def test_it_refuses_a_description_longer_than_ten_pages(projet_pessac, agent_pessac):
    with pytest.raises(ValidationError) as error:
        projet_update(
            acting_user=agent_pessac, projet=projet_pessac, description="[" * (TEXT_MAX + 1)
        )
    assert "description" in error.value.message_dict


def test_it_keeps_a_title_on_one_line(projet_pessac, agent_pessac):
    projet_update(acting_user=agent_pessac, projet=projet_pessac, titre="Deux\r\nlignes")
    projet_pessac.refresh_from_db()
    assert projet_pessac.titre == "Deux lignes"


def test_it_asks_a_person_once_and_never_again_after_withdrawal(demo_members, agent_pessac):
    acteur = acteur_ensure_membre(membre=demo_members.pessac)
    first = contact_create(
        acting_user=agent_pessac, acteur=acteur, nom="Léa", email="lea@example.fr"
    )
    again = contact_create(
        acting_user=agent_pessac, acteur=acteur, nom="Léa", email="LEA@example.fr"
    )
    assert first.pk == again.pk and Contact.objects.count() == 1
    contact_consent_withdraw(contact=first)
    with pytest.raises(ValidationError):
        contact_create(acting_user=agent_pessac, acteur=acteur, nom="Léa", email="lea@example.fr")


def test_it_limits_consent_requests_per_day(demo_members, agent_pessac, monkeypatch):
    from socle.observatoire import services

    monkeypatch.setattr(services, "CONSENT_REQUESTS_PER_DAY", 2)
    acteur = acteur_ensure_membre(membre=demo_members.pessac)
    for number in range(2):
        contact_create(
            acting_user=agent_pessac, acteur=acteur, nom="X", email=f"x{number}@example.fr"
        )
    with pytest.raises(ValidationError):
        contact_create(acting_user=agent_pessac, acteur=acteur, nom="X", email="x9@example.fr")
