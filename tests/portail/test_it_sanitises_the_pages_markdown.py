"""What an opérateur writes in a page is Markdown made safe: no script, style or handler."""

import pytest

from socle.core.markdown import markdown_to_html
from socle.portail.models import PagePlateforme

pytestmark = pytest.mark.django_db

HOSTILE = (
    "Bonjour **tout le monde**\n\n"
    "<script>alert('x')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    '<p style="color:red" onclick="alert(2)">texte</p>\n\n'
    "[lien](javascript:alert(3)) [bon lien](https://www.cnil.fr/)\n"
)


def test_it_keeps_markdown_and_drops_what_could_run():
    html = markdown_to_html(HOSTILE)
    assert "<strong>tout le monde</strong>" in html
    assert '<a href="https://www.cnil.fr/" rel="noopener noreferrer">bon lien</a>' in html
    for bad in ("<script", "alert(", "onerror", "onclick", "style=", "<img", "javascript:"):
        assert bad not in html


def test_it_serves_the_sanitised_page(client):
    PagePlateforme.objects.filter(code="contact").update(contenu=HOSTILE)
    html = client.get("/contact/").content.decode()
    assert "<strong>tout le monde</strong>" in html
    assert "<script>alert" not in html
    assert "onerror" not in html
