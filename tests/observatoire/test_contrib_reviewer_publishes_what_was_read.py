"""A reviewer publishes the page as read: a contributor's change in between stops the
publication, and the relecture page carries the version read."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from socle.observatoire.models import Projet
from socle.observatoire.services import projet_publish, projet_submit, projet_update, projet_version


def test_it_refuses_to_publish_a_page_changed_since_it_was_read(
    projet_pessac, agent_pessac, operateur
):
    projet_submit(acting_user=agent_pessac, projet=projet_pessac)
    projet_pessac.refresh_from_db()
    read = projet_version(projet_pessac)
    projet_update(
        acting_user=agent_pessac, projet=projet_pessac, resume="Changé après la relecture"
    )
    with pytest.raises(ValidationError):
        projet_publish(acting_user=operateur, projet=projet_pessac, version_vue=read)
    projet_pessac.refresh_from_db()
    assert projet_pessac.etat == Projet.Etat.SOUMIS
    projet_publish(
        acting_user=operateur, projet=projet_pessac, version_vue=projet_version(projet_pessac)
    )
    projet_pessac.refresh_from_db()
    assert projet_pessac.etat == Projet.Etat.PUBLIE


def test_it_sends_the_version_read_with_the_publish_button(
    client, projet_pessac, agent_pessac, operateur
):
    projet_submit(acting_user=agent_pessac, projet=projet_pessac)
    client.force_login(operateur)
    url = reverse("observatoire-site:relecture_projet", args=[projet_pessac.pk])
    page = client.get(url).content.decode()
    projet_pessac.refresh_from_db()
    read = projet_version(projet_pessac)
    assert f'name="vu" value="{read}"' in page
    projet_update(acting_user=agent_pessac, projet=projet_pessac, resume="Autre résumé")
    answer = client.post(url, {"action": "publier", "vu": read})
    assert answer.status_code == 400
    assert Projet.objects.get(pk=projet_pessac.pk).etat == Projet.Etat.SOUMIS
