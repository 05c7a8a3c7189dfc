"""`socle open311 create-key|list|revoke`: a key printed once, that posts reports, then stops."""

import io

import pytest
from django.core.management import CommandError, call_command

from socle.api.models import ApiKey
from tests.helpers.open311 import V2
from tests.signalements.conftest import PESSAC


def _run(*args) -> str:
    out = io.StringIO()
    call_command("open311", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _post(client, key):
    return client.post(
        f"{V2}requests.json",
        {
            "api_key": key,
            "service_code": "nid-de-poule",
            "lat": str(PESSAC[0]),
            "long": str(PESSAC[1]),
            "description": "Trou.",
        },
    )


def test_it_creates_lists_and_revokes_a_platform_key(client, demo_members):
    plaintext = _run("create-key", "--name", "Appli Mairie Mobile").strip()
    assert plaintext.startswith("socle_")
    key = ApiKey.objects.get()
    assert key.scopes == ["signalements.open311"] and key.membre is None
    assert _post(client, plaintext).status_code == 200

    listing = _run("list")
    assert f"{key.pk}\t{key.prefix}\t(plateforme)\tAppli Mairie Mobile" in listing
    assert "active" in listing
    assert plaintext not in listing

    assert "révoquée" in _run("revoke", "--id", str(key.pk))
    assert "révoquée" in _run("list")
    assert _post(client, plaintext).status_code == 403


def test_it_creates_a_members_key_by_code_or_address(client, demo_members):
    by_code = _run("create-key", "--name", "GMAO", "--collectivite", "243300316").strip()
    by_slug = _run("create-key", "--name", "GMAO 2", "--collectivite", "pessac").strip()
    owners = {key.name: key.membre for key in ApiKey.objects.all()}
    assert owners == {"GMAO": demo_members.metropole, "GMAO 2": demo_members.pessac}
    assert _post(client, by_code).status_code == 200
    assert _post(client, by_slug).status_code == 403  # roads are the Métropole's
    assert "243300316\tGMAO" in _run("list")


def test_it_refuses_an_unknown_collectivite_or_key(demo_members):
    with pytest.raises(CommandError, match="Aucun membre"):
        _run("create-key", "--name", "X", "--collectivite", "99999")
    with pytest.raises(CommandError, match="Aucune clé Open311"):
        _run("revoke", "--id", "12345")
    assert not ApiKey.objects.exists()
