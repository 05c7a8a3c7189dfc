"""After a key change, a second factor that no key decrypts gets a clear French page, not a 500."""

import logging
import time

from socle.comptes import totp
from tests.helpers.comptes import enrol_totp, log_in

OLD_KEY = "the-key-the-secret-was-encrypted-with-" + "x" * 20
NEW_KEY = "the-key-after-the-rotation-" + "y" * 30


def _code_step(client, user, password, secret):
    assert log_in(client, user, password)["Location"].startswith("/comptes/second-facteur/")
    return client.post("/comptes/second-facteur/", {"code": totp.code_at(secret, time.time())})


def test_it_tells_to_ask_an_operateur_when_no_key_decrypts_the_second_factor(
    client, settings, admin_pessac, password, caplog
):
    settings.SECRET_KEY = OLD_KEY
    secret = enrol_totp(admin_pessac)
    settings.SECRET_KEY = NEW_KEY

    with caplog.at_level(logging.ERROR, logger="socle.comptes.views"):
        response = _code_step(client, admin_pessac, password, secret)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Votre second facteur doit être réinitialisé" in page
    assert "opérateur" in page
    assert "_auth_user_id" not in client.session
    assert any("cannot be decrypted" in record.getMessage() for record in caplog.records)


def test_it_still_decrypts_with_the_former_key_in_secret_key_fallbacks(
    client, settings, admin_pessac, password
):
    settings.SECRET_KEY = OLD_KEY
    secret = enrol_totp(admin_pessac)
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]

    response = _code_step(client, admin_pessac, password, secret)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin_pessac.pk)
