"""Every page carries a strict Content-Security-Policy and needs no inline script nor style."""

import re

import pytest

PUBLIC_PAGES = [
    "/",
    "/?q=pessac",
    "/pessac/",
    "/comptes/connexion/",
    "/comptes/inscription/",
    "/api/v1/",
    "/gestion/kit/",
]
AGENT_PAGES = ["/gestion/", "/gestion/pessac/", "/comptes/espace/"]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.IGNORECASE)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def _assert_strict(response, url):
    assert response.status_code == 200, url
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"], url
    assert policy["script-src"] == ["'self'"], url
    assert policy["style-src"] == ["'self'"], url
    assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
    page = response.content.decode()
    assert not INLINE_SCRIPT.search(page), (url, INLINE_SCRIPT.search(page))
    assert not INLINE_STYLE.search(page), (url, INLINE_STYLE.search(page))
    assert not EVENT_HANDLER.search(page), (url, EVENT_HANDLER.search(page))


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_it_serves_public_pages_with_a_strict_policy_and_no_inline_code(client, demo_members, url):
    _assert_strict(client.get(url), url)


@pytest.mark.parametrize("url", AGENT_PAGES)
def test_it_serves_back_office_pages_with_a_strict_policy_and_no_inline_code(
    client, admin_pessac, url
):
    client.force_login(admin_pessac)
    _assert_strict(client.get(url), url)


def test_it_gives_the_page_the_members_theme_through_a_stylesheet(client, demo_members):
    pessac = demo_members.pessac
    page = client.get("/pessac/").content.decode()
    colour = pessac.couleur.lower().lstrip("#")
    assert f'href="/theme/{colour}' in page
    href = re.search(r'href="(/theme/[^"]+\.css)"', page).group(1)
    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert "immutable" in response["Cache-Control"]
    assert f":root{{--theme:#{colour};" in response.content.decode()
