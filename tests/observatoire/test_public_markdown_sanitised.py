"""A project's texts are Markdown rendered through nh3: a script, an event handler or a
javascript: link written by a contributor never reaches the public page."""

import pytest
from django.urls import reverse

from socle.observatoire.services import projet_update

pytest_plugins = ["tests.observatoire.fixtures_public"]

pytestmark = pytest.mark.django_db


def test_it_drops_scripts_handlers_and_javascript_links(client, observatoire, operateur):
    projet_update(
        acting_user=operateur,
        projet=observatoire.voirie,
        resultats='<img src="x" onerror="alert(1)"> **Bilan** positif',
        enseignements="<style>body{display:none}</style>*Écouter* les agents",
        reutilisation='<a href="javascript:alert(2)" onclick="alert(3)">code</a>',
    )
    page = client.get(reverse("observatoire-site:projet", args=[observatoire.voirie.slug]))
    html = page.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "<strong>application</strong>" in main
    assert "<strong>Bilan</strong> positif" in main
    assert "<em>Écouter</em> les agents" in main
    for bad in ("<script", "alert(", "onerror", "onclick", "javascript:", "<style", "<img"):
        assert bad not in main, bad
    assert '<a href="https://www.pessac.fr" rel="noopener noreferrer">le site</a>' in main


def test_it_escapes_plain_fields(client, observatoire, operateur):
    projet_update(
        acting_user=operateur, projet=observatoire.ecoles, resume="<b>gras</b><script>x</script>"
    )
    html = client.get(reverse("observatoire-site:projet", args=[observatoire.ecoles.slug]))
    html = html.content.decode()
    assert "&lt;b&gt;gras&lt;/b&gt;&lt;script&gt;" in html
    assert "<script>x" not in html


def test_it_links_only_web_addresses(client, observatoire):
    from socle.observatoire.models import Acteur, Logiciel

    Acteur.objects.filter(pk=observatoire.dunkerque.pk).update(site_web="javascript:alert(4)")
    Logiciel.objects.filter(pk=observatoire.publik.pk).update(
        site_web="javascript:alert(5)", comptoir_url="https://comptoir-du-libre.org/fr/softwares/1"
    )
    for url in (
        reverse("observatoire-site:acteur", args=["dunkerque"]),
        reverse("observatoire-site:projet", args=[observatoire.dkcl.slug]),
        reverse("observatoire-site:logiciel", args=["publik"]),
    ):
        html = client.get(url).content.decode()
        assert "javascript:" not in html, url
    html = client.get(reverse("observatoire-site:logiciel", args=["publik"])).content.decode()
    assert 'href="https://comptoir-du-libre.org/fr/softwares/1"' in html
