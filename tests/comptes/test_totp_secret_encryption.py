"""TOTP secrets are encrypted at rest, with a key that can be rotated."""

import pytest
from cryptography.fernet import Fernet

from socle.comptes import totp


def test_it_encrypts_and_decrypts_with_the_key_derived_from_secret_key(settings):
    settings.SOCLE_ENCRYPTION_KEY = ""
    secret = totp.new_secret()
    stored = totp.secret_encrypt(secret)
    assert secret not in stored
    assert totp.secret_decrypt(stored) == secret
    # Another SECRET_KEY cannot read it...
    settings.SECRET_KEY = "une-autre-cle-secrete-de-test-0123456789"
    with pytest.raises(ValueError):
        totp.secret_decrypt(stored)


def test_it_still_reads_secrets_after_a_key_rotation(settings):
    old_key = Fernet.generate_key().decode()
    settings.SOCLE_ENCRYPTION_KEY = old_key
    stored = totp.secret_encrypt("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    new_key = Fernet.generate_key().decode()
    settings.SOCLE_ENCRYPTION_KEY = f"{new_key},{old_key}"
    assert totp.secret_decrypt(stored) == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    rotated = totp.secret_encrypt("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    settings.SOCLE_ENCRYPTION_KEY = new_key
    assert totp.secret_decrypt(rotated) == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_it_writes_the_secret_in_groups_of_four():
    assert totp.grouped("ABCDEFGHIJKL") == "ABCD EFGH IJKL"
