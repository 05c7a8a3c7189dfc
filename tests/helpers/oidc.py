"""Fixtures and helpers of the OpenID Connect tests; this module holds no test.

The relying party talks over real HTTP, on loopback, to the fake FranceConnect/ProConnect
provider (socle.demo.fake_franceconnect) that each test starts in a thread. A test
module imports the fixtures it needs by name (like tests/helpers/pages.py).
"""

import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.utils.html import escape

from socle.comptes import oidc
from socle.comptes.models import SecurityEvent
from socle.comptes.oidc.views import DEFAULT_MESSAGE, MESSAGES
from socle.demo.fake_franceconnect import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    FakeProviderServer,
    pick_identity,
)

SITE = "http://testserver"
FRANCECONNECT_SCOPES = [
    "openid",
    "given_name",
    "family_name",
    "birthdate",
    "birthplace",
    "birthcountry",
    "gender",
    "email",
]
PROCONNECT_SCOPES = ["openid", "email", "given_name", "usual_name", "siret"]


def provider_settings(issuer: str, *, scopes, acr: str = "", userinfo_signed: bool = True):
    return {
        "ISSUER": issuer,
        "CLIENT_ID": DEMO_CLIENT_ID,
        "CLIENT_SECRET": DEMO_CLIENT_SECRET,
        "SCOPES": scopes,
        "ACR_VALUES": acr,
        "USERINFO_SIGNED": userinfo_signed,
    }


def forget_caches():
    for name in ("franceconnect", "proconnect"):
        oidc.forget_provider_cache(oidc.get_provider(name))


@pytest.fixture
def fake_server(settings):
    """The fake providers on 127.0.0.1, with Django's relying party configured for them."""
    with FakeProviderServer() as server:
        settings.SITE_URL = SITE
        settings.OIDC_PROVIDERS = {
            "franceconnect": provider_settings(
                server.franceconnect.issuer, scopes=FRANCECONNECT_SCOPES, acr="eidas1"
            ),
            "proconnect": provider_settings(server.proconnect.issuer, scopes=PROCONNECT_SCOPES),
        }
        forget_caches()
        yield server
        forget_caches()


@pytest.fixture
def fake_fc(fake_server):
    """The fake FranceConnect provider."""
    return fake_server.franceconnect


@pytest.fixture
def fake_pc(fake_server):
    """The fake ProConnect provider."""
    return fake_server.proconnect


def start_login(client, provider: str = "franceconnect", *, next_url: str | None = None) -> str:
    """Press « S’identifier avec … » and return the provider's authorization URL."""
    data = {"next": next_url} if next_url is not None else {}
    response = client.post(f"/comptes/oidc/{provider}/connexion/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def login_through(client, identity: str, provider: str = "franceconnect", **kwargs):
    """Log in through the fake provider as `identity`; return the callback's response."""
    back = pick_identity(start_login(client, provider, **kwargs), identity)
    assert back.startswith(SITE + "/comptes/oidc/"), back
    return client.get(back)


def query(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def with_query(url: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(url)
    values = {**dict(urllib.parse.parse_qsl(parts.query)), **params}
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(values)))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def provider_redirect(url: str) -> str:
    """GET a URL of the fake provider (a browser would) and return where it redirects."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        response = opener.open(url, timeout=10)  # noqa: S310 - the loopback fake provider
    except urllib.error.HTTPError as error:
        response = error
    with response:
        assert response.status == 303, response.read()[:500]
        return response.headers["Location"]


def rejections(reason: str | None = None):
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OIDC_REJECTED)
    return events.filter(details__reason=reason) if reason else events


def assert_rejected(response, reason: str, *, status: int = 400):
    """The refusal is a French page with the right status, journaled with its reason."""
    assert response.status_code == status, response.content.decode()[:800]
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Traceback" not in html
    assert reason in html  # the incident reference shown to the person
    assert escape(str(MESSAGES.get(reason, DEFAULT_MESSAGE))) in html  # and why, in French
    assert rejections(reason).count() == 1, list(rejections().values_list("details", flat=True))


def assert_login_refused(client, reason: str) -> None:
    """Angela's login through FranceConnect is refused for `reason`; nobody is logged in."""
    from socle.comptes.models import User

    response = login_through(client, "angela")
    assert_rejected(response, reason)
    assert not logged_in_user(client).is_authenticated
    assert not User.objects.exists()


def logged_in_user(client):
    from django.contrib.auth import get_user

    return get_user(client)
