"""`socle citoyen cles --rotation` re-encrypts with the new key every value made with
SOCLE_ENCRYPTION_KEY — files' data keys, second factors' secrets, webhooks' secrets,
data.gouv.fr API keys — in batches; a row no key opens is listed, not fatal."""

import io
import re

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models

from socle.citoyen.chiffrement import ENCRYPTED_COLUMNS, fichier_read, keys_rotate
from socle.citoyen.models import FichierChiffre
from socle.comptes import totp
from socle.comptes.models import TOTPDevice
from socle.comptes.totp import SecretUndecryptable, secret_decrypt, secret_encrypt, secrets_rotate
from socle.demarches.models import Webhook
from socle.opendata.datagouv import cle_chiffrer, cle_dechiffrer
from socle.opendata.models import CompteDataGouv
from tests.citoyen.helpers import PDF, add_piece

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
STRAY_KEY = Fernet.generate_key().decode()  # a key nobody configured any more
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def encrypted(settings, citizen, operateur, demo_members):
    """One value of each kind, encrypted with the old key."""
    settings.SOCLE_ENCRYPTION_KEY = OLD_KEY
    piece = add_piece(citizen)
    device = TOTPDevice.objects.create(user=operateur, secret=secret_encrypt(TOTP_SECRET))
    hooks = [
        Webhook.objects.create(
            membre=demo_members.pessac,
            url=f"https://example.org/{n}",
            secret=secret_encrypt(f"s{n}"),
        )
        for n in range(3)
    ]
    compte = CompteDataGouv.objects.create(
        membre=demo_members.pessac, organisation="a" * 24, cle_chiffree=cle_chiffrer("k" * 20)
    )
    return piece.fichier, device, hooks, compte


def _readable_with_new_key_alone(settings, fichier, device, hooks, compte) -> None:
    settings.SOCLE_ENCRYPTION_KEY = NEW_KEY
    assert fichier_read(FichierChiffre.objects.get(pk=fichier.pk)) == PDF
    assert secret_decrypt(TOTPDevice.objects.get(pk=device.pk).secret) == TOTP_SECRET
    for n, hook in enumerate(hooks):
        assert secret_decrypt(Webhook.objects.get(pk=hook.pk).secret) == f"s{n}"
    assert cle_dechiffrer(CompteDataGouv.objects.get(pk=compte.pk)) == "k" * 20


def test_the_command_rotates_every_kind_and_reports_each(settings, encrypted):
    settings.SOCLE_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    out = io.StringIO()
    call_command("citoyen", "cles", "--rotation", "--lot", "2", stdout=out)
    report = out.getvalue()
    assert "1 clé(s) de fichier rechiffrée(s)" in report
    assert "1 secret(s) de second facteur rechiffré(s)" in report
    assert "3 secret(s) de signature de webhook rechiffré(s)" in report
    assert "1 clé(s) d’API data.gouv.fr rechiffrée(s)" in report
    _readable_with_new_key_alone(settings, *encrypted)


def test_rows_no_key_opens_are_listed_and_the_others_rotated(settings, encrypted, citizen):
    settings.SOCLE_ENCRYPTION_KEY = STRAY_KEY
    stray = TOTPDevice.objects.create(user=citizen, secret=secret_encrypt(TOTP_SECRET))
    settings.SOCLE_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 valeur"):
        call_command("citoyen", "cles", "--rotation", stdout=out, stderr=err)
    assert re.search(rf"comptes\.TOTPDevice, identifiant\(s\) {stray.pk}\)", err.getvalue())
    assert "réinitialiser le second facteur" in err.getvalue()
    _readable_with_new_key_alone(settings, *encrypted)
    with pytest.raises(SecretUndecryptable):
        secret_decrypt(TOTPDevice.objects.get(pk=stray.pk).secret)


def test_keys_rotate_goes_through_every_batch(settings, encrypted):
    settings.SOCLE_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    report = {part.column.model: (part.rotated, part.unreadable) for part in keys_rotate(batch=1)}
    assert report["demarches.Webhook"] == (3, [])
    assert report["comptes.TOTPDevice"] == (1, [])
    _readable_with_new_key_alone(settings, *encrypted)


def test_a_secret_written_during_the_rotation_is_kept(settings, encrypted, monkeypatch):
    _fichier, _device, hooks, _compte = encrypted
    settings.SOCLE_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    multi = totp.fernet()
    fresh = secret_encrypt("nouveau")

    class Racing:
        """Another request gives the first webhook a new secret just after it is read."""

        def rotate(self, token: bytes) -> bytes:
            Webhook.objects.filter(pk=hooks[0].pk).update(secret=fresh)
            return multi.rotate(token)

    monkeypatch.setattr(totp, "fernet", lambda: Racing())
    result = secrets_rotate(Webhook, "secret")
    assert result.rotated == 2
    assert Webhook.objects.get(pk=hooks[0].pk).secret == fresh


def test_every_encrypted_column_is_rotated():
    """A column named like an encrypted one (`secret`, `…chiffr…`) must be in ENCRYPTED_COLUMNS
    (add yours there when you encrypt with comptes.totp.fernet / secret_encrypt)."""
    known = {(column.model, column.column) for column in ENCRYPTED_COLUMNS}
    found = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        if model.__module__.startswith("socle.")
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField | models.CharField)
        and re.search(r"^secret$|chiffr", field.name)
    }
    assert found and found <= known
