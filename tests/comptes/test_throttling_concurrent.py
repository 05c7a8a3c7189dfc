"""Throttling holds against parallel requests: at most the limit of passwords (and of second-
factor codes) are checked, however many requests arrive at once, on a live server."""

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

from socle.comptes import totp
from socle.comptes.models import User
from tests.helpers.comptes import enrol_totp, wrong_code

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Un-mot-de-passe-solide-2026!"
PARALLEL_PASSWORDS = 50
PARALLEL_CODES = 30
_checks = {"count": 0}
_checks_lock = threading.Lock()


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how many passwords it checks."""

    def verify(self, password, encoded):
        with _checks_lock:
            _checks["count"] += 1
        time.sleep(0.05)  # as long as a real hasher takes, more or less
        return super().verify(password, encoded)


@pytest.fixture
def counted_passwords(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    _checks["count"] = 0
    return _checks


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    """One browser's cookies, over real HTTP."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, dict[str, str]]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - loopback
        req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        for attempt in range(20):
            try:
                response = self.opener.open(req, timeout=60)
            except urllib.error.HTTPError as error:
                response = error
            except (urllib.error.URLError, ConnectionError):
                # The live server's listen queue is short: a refused connection never reached
                # the application; send it again.
                time.sleep(0.05 * (attempt + 1))
                continue
            break
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie(header)
                self.cookies.update({name: morsel.value for name, morsel in cookie.items()})
            return response.status, response.read().decode(), dict(response.headers)

    def csrf(self, path: str) -> str:
        _status, html, _headers = self.request(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def in_parallel(count: int, send) -> list[int]:
    barrier = threading.Barrier(count)
    statuses: list[int] = []

    def run():
        barrier.wait()
        statuses.append(send())

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(statuses) == count
    return statuses


def test_it_checks_at_most_the_limit_of_parallel_passwords(live_server, counted_passwords):
    user = User.objects.create_user(email="cible@example.fr", password=PASSWORD)
    browser = Browser(live_server.url)
    token = browser.csrf("/comptes/connexion/")

    def wrong():
        data = {"username": user.email, "password": "pas-le-bon", "csrfmiddlewaretoken": token}
        return browser.request("/comptes/connexion/", data)[0]

    statuses = in_parallel(PARALLEL_PASSWORDS, wrong)

    assert counted_passwords["count"] <= 5, statuses
    assert statuses.count(429) >= PARALLEL_PASSWORDS - 5
    # The right password, now, is refused without being checked.
    status, _html, _headers = browser.request(
        "/comptes/connexion/",
        {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert status == 429
    assert counted_passwords["count"] <= 5


def test_it_checks_at_most_the_limit_of_parallel_codes(live_server, monkeypatch):
    user = User.objects.create_user(email="agent@example.fr", password=PASSWORD)
    secret = enrol_totp(user)
    checked = {"count": 0}
    real_matching_step = totp.matching_step

    def counting(*args, **kwargs):
        with _checks_lock:
            checked["count"] += 1
        return real_matching_step(*args, **kwargs)

    monkeypatch.setattr(totp, "matching_step", counting)
    browser = Browser(live_server.url)
    token = browser.csrf("/comptes/connexion/")
    status, _html, headers = browser.request(
        "/comptes/connexion/",
        {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert status == 302 and headers["Location"] == "/comptes/second-facteur/"
    token = browser.csrf("/comptes/second-facteur/")
    bad = wrong_code(totp.code_at(secret, time.time()))

    def wrong():
        data = {"code": bad, "csrfmiddlewaretoken": token}
        return browser.request("/comptes/second-facteur/", data)[0]

    statuses = in_parallel(PARALLEL_CODES, wrong)

    assert checked["count"] <= 5, statuses
    assert statuses.count(429) >= PARALLEL_CODES - 5
    right = {"code": totp.code_at(secret, time.time()), "csrfmiddlewaretoken": token}
    assert browser.request("/comptes/second-facteur/", right)[0] == 429
    assert checked["count"] <= 5
