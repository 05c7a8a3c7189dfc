"""Saving a published project's form unchanged records nothing: the browser's « \\r\\n » line
breaks and the page's order of the themes are not changes that would wait for review."""

import re

from socle.observatoire.models import Revision
from socle.observatoire.services import projet_update
from tests.observatoire.fixtures_contrib import gestion, projet_post


def _posted_form(html: str) -> dict:
    """What the browser would send back from the form, untouched (the way it posts it)."""
    data: dict = {}
    for name, value in re.findall(
        r'<input type="(?:text|url|hidden|number|date)" name="([^"]+)"'
        r'(?:[^>]*?value="([^"]*)")?',
        html,
    ):
        data[name] = value
    for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', html, re.S):
        data[name] = value.replace("\n", "\r\n")
    data["themes"] = re.findall(r'name="themes" value="([^"]+)"[^>]*checked', html)
    data["statut"] = re.search(r'<option value="([^"]+)" selected>', html).group(1)
    for name in ("open_source", "specifications_partageables"):
        if re.search(rf'name="{name}"[^>]*checked', html):
            data[name] = "on"
    return data


def test_it_records_nothing_when_nothing_changed(client, demo_members, projet_publie, agent_pessac):
    import html as html_lib

    projet_update(
        acting_user=None,
        projet=projet_publie,
        description="Premier paragraphe.\n\nSecond paragraphe.",
        themes=["strategie", "services-usagers"][::-1],
        budget_investissement="12500",
        financements=[{"source": "État", "montant": "1000"}],
        savoir_faire=["SIG", "marchés publics"],
    )
    client.force_login(agent_pessac)
    url = gestion(demo_members.pessac, "projet_modifier", projet_publie.pk)
    page = client.get(url).content.decode()
    data = {
        key: html_lib.unescape(value) if isinstance(value, str) else value
        for key, value in _posted_form(page).items()
    }
    assert "\r\n" in data["description"]
    before = Revision.objects.count()
    response = client.post(url, data, follow=True)
    assert "Aucune modification à enregistrer." in response.content.decode()
    assert Revision.objects.count() == before
    assert not Revision.objects.filter(etat=Revision.Etat.EN_ATTENTE).exists()


def test_it_still_sees_a_real_change(client, demo_members, projet_publie, agent_pessac):
    client.force_login(agent_pessac)
    url = gestion(demo_members.pessac, "projet_modifier", projet_publie.pk)
    client.post(url, projet_post(titre=projet_publie.titre, description="Ligne 1\r\nLigne 2"))
    pending = Revision.objects.get(etat=Revision.Etat.EN_ATTENTE)
    assert pending.changements["description"]["apres"] == "Ligne 1\nLigne 2"
