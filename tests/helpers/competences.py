"""Propose a competence rule on a member's competences page: the form, then its confirmation."""

import re


def preview(client, slug: str, data: dict):
    """Post the form (first step): the page that shows the effect, nothing saved."""
    return client.post(f"/gestion/{slug}/competences/", data)


def fingerprint_of(response) -> str:
    found = re.search(r'name="empreinte" value="([0-9a-f]+)"', response.content.decode())
    assert found, "no confirmation step on the page"
    return found.group(1)


def propose(client, slug: str, data: dict):
    """Post the form, then confirm the effect it showed; return the confirmation's response."""
    shown = preview(client, slug, data)
    assert shown.status_code == 200, shown.content.decode()[:2000]
    return client.post(
        f"/gestion/{slug}/competences/",
        {**data, "confirmer": "1", "empreinte": fingerprint_of(shown)},
    )
