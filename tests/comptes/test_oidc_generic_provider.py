"""The standard flow against an independent OpenID provider: oidc-provider-mock (PyPI).

It is another implementation (Flask and Authlib, RS256, userinfo as plain JSON), run on
127.0.0.1 in a thread; our relying party drives it as it drives FranceConnect.
"""

import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from socle.comptes.models import Identity
from tests.helpers.oidc import (
    SITE,
    assert_rejected,
    forget_caches,
    logged_in_user,
    provider_settings,
    query,
    start_login,
)

pytestmark = [
    pytest.mark.django_db,
    # Authlib, inside the mock provider, warns about its own deprecations.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib"),
    pytest.mark.filterwarnings("ignore::authlib.deprecate.AuthlibDeprecationWarning"),
]
SUB = "alice-generique"
CLAIMS = {
    "email": "alice@example.org",
    "given_name": "Alice",
    "family_name": "Liddell",
    "birthdate": "1852-05-04",
    "gender": "female",
}


@pytest.fixture
def generic_provider(settings, monkeypatch):
    import oidc_provider_mock
    from werkzeug.serving import make_server

    # Authlib insists on HTTPS unless told it runs on a development loopback.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    app = oidc_provider_mock.app(
        require_nonce=True,
        user_claims=[oidc_provider_mock.User(sub=SUB, claims=CLAIMS)],
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # A short poll, so that shutdown() at teardown does not wait the default 0.5 s.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    issuer = f"http://127.0.0.1:{server.server_port}"
    settings.SITE_URL = SITE
    settings.OIDC_PROVIDERS = {
        **settings.OIDC_PROVIDERS,
        "franceconnect": provider_settings(
            issuer, scopes=["openid", "profile", "email"], userinfo_signed=False
        ),
    }
    forget_caches()
    yield issuer
    forget_caches()
    server.shutdown()
    server.server_close()
    thread.join(5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _authorize_as(authorize_url: str, sub: str) -> str:
    """What a person does on the provider's form: authorize `sub`; return the redirect."""
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(authorize_url, timeout=10) as page:  # noqa: S310 - loopback
        assert page.status == 200
    data = urllib.parse.urlencode({"sub": sub}).encode()
    try:
        opener.open(authorize_url, data=data, timeout=10)  # noqa: S310 - loopback
    except urllib.error.HTTPError as redirect:
        assert redirect.code in (302, 303), redirect.read()[:500]
        return redirect.headers["Location"]
    raise AssertionError("the provider did not redirect back")


def test_it_logs_in_through_an_independent_provider(client, generic_provider):
    authorize = start_login(client)
    assert authorize.startswith(generic_provider + "/oauth2/authorize?")
    assert "acr_values" not in query(authorize)

    response = client.get(_authorize_as(authorize, SUB))

    assert response.status_code == 302, response.content.decode()[:800]
    assert response["Location"] == "/comptes/apres-connexion/"
    user = logged_in_user(client)
    assert user.is_authenticated
    identity = Identity.objects.get(user=user)
    assert identity.sub == SUB
    assert (identity.given_name, identity.family_name) == ("Alice", "Liddell")
    assert identity.birthdate.isoformat() == "1852-05-04"


def test_it_still_demands_a_signed_userinfo_when_configured_so(client, generic_provider, settings):
    settings.OIDC_PROVIDERS["franceconnect"] = {
        **settings.OIDC_PROVIDERS["franceconnect"],
        "USERINFO_SIGNED": True,
    }

    response = client.get(_authorize_as(start_login(client), SUB))

    assert_rejected(response, "userinfo_not_signed")
    assert not logged_in_user(client).is_authenticated
