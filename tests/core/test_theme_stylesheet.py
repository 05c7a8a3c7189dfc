"""The theme stylesheet gives each listed colour a readable class, and refuses anything else."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_writes_the_page_theme_and_a_class_per_colour(client):
    response = client.get("/theme/1f4e8c.ffdd00.css")
    css = response.content.decode()
    assert response.status_code == 200
    assert ":root{--theme:#1f4e8c;--on-theme:#ffffff;" in css
    # A light colour gets dark text on it and a darker shade for text on white.
    assert ".couleur-ffdd00{--theme:#ffdd00;--on-theme:#161616;" in css
    assert ".swatch.couleur-ffdd00{background:#ffdd00;}" in css
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize(
    "colours", ["red", "1f4e8c.}body{display:none", "1f4e8", "1f4e8c." + ".".join(["aaaaaa"] * 600)]
)
def test_it_refuses_what_is_not_a_list_of_colours(client, colours):
    assert client.get(f"/theme/{colours}.css").status_code == 404
