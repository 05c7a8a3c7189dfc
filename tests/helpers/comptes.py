"""Logging in, in the tests: the password step, and a second factor enrolled as its owner would."""

import time


def log_in(client, user, password: str, **extra):
    """Post the login form (email and password) as `user`; return the response."""
    return client.post(
        "/comptes/connexion/", {"username": user.email, "password": password, **extra}
    )


def enrol_totp(user) -> str:
    """Give the user a confirmed device (the current time step still unused); return the secret."""
    from socle.comptes import totp
    from socle.comptes.services import totp_device_confirm, totp_device_start

    secret = totp_device_start(user=user)
    assert totp_device_confirm(user=user, code=totp.code_at(secret, time.time() - 30))
    return secret


def wrong_code(right: str) -> str:
    """A six-digit code that is not `right`, half the range away."""
    return str((int(right) + 500_000) % 1_000_000).zfill(6)


def fill_login_form(page, base: str, email: str, password: str, next_url: str = "") -> None:
    """In the browser: open the login page and log in with a password."""
    page.goto(f"{base}/comptes/connexion/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter", exact=True).click()
