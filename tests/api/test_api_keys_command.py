"""`socle api_keys create|list|revoke`: the key printed once, only its hash kept."""

import hashlib

import pytest
from django.core.management import CommandError, call_command

from socle.api.models import ApiKey
from socle.api.services import api_key_authenticate

pytestmark = pytest.mark.django_db


def test_it_creates_lists_and_revokes_a_key(demo_members, capsys):
    call_command(
        "api_keys",
        "create",
        "--membre",
        "pessac",
        "--name",
        "SIG",
        "--scope",
        "jardins.lire",
        "--rate",
        "10",
    )
    plaintext = capsys.readouterr().out.strip()
    key = ApiKey.objects.get()
    assert key.membre == demo_members.pessac and key.rate_per_minute == 10
    assert key.secret_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert api_key_authenticate(plaintext) == key

    call_command("api_keys", "list")
    listing = capsys.readouterr().out
    assert key.prefix in listing and "pessac" in listing and "active" in listing
    assert plaintext not in listing

    call_command("api_keys", "revoke", key.prefix)
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_it_creates_a_platform_key(db, capsys):
    call_command(
        "api_keys", "create", "--platform", "--name", "Open data", "--scope", "jardins.lire"
    )
    assert ApiKey.objects.get().membre is None


@pytest.mark.parametrize(
    "args",
    [
        ["create", "--membre", "inconnu", "--name", "X", "--scope", "jardins.lire"],
        ["create", "--platform", "--name", "X", "--scope", "nimporte.quoi"],
        ["create", "--platform", "--name", "X", "--scope", "jardins.lire", "--rate", "0"],
        ["revoke", "absent"],
    ],
)
def test_it_refuses_bad_input(db, args):
    with pytest.raises(CommandError):
        call_command("api_keys", *args)
    assert not ApiKey.objects.filter(revoked_at__isnull=True).exists()
