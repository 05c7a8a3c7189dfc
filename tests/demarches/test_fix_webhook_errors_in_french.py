"""A failed delivery stores a French message for its kind of failure (what the member's
administrators read), the technical details going to the log only."""

import logging
import socket

import pytest
import urllib3
from cryptography.fernet import Fernet

from socle.demarches import webhooks
from socle.demarches.models import Livraison, Webhook
from socle.demarches.tasks_webhooks import webhook_deliver
from socle.demarches.webhooks import error_message, webhook_create, webhooks_notify
from tests.demarches.factories import make_demarche, make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def livraison(demo_members, receiver):
    webhook_create(acting_user=None, membre=demo_members.pessac, url=receiver.url, evenements=[])
    dossier = make_dossier(make_demarche(demo_members.pessac))
    [found] = webhooks_notify(dossier=dossier, evenement="dossier.statut")
    return found


def _attempt(livraison) -> str:
    assert webhook_deliver.call(livraison.pk) == "retry"
    livraison.refresh_from_db()
    assert livraison.essais[-1]["erreur"] == livraison.derniere_erreur
    return livraison.derniere_erreur


def test_an_http_status(livraison, receiver):
    receiver.statuses = [503]
    assert _attempt(livraison) == (
        "HTTP 503 : le serveur n’a pas accepté la livraison (réponse 2xx attendue)."
    )
    assert livraison.derniere_reponse == 503


def test_a_refused_connection(livraison, receiver, caplog):
    receiver.close()
    with caplog.at_level(logging.WARNING, logger="socle.demarches.webhooks"):
        assert _attempt(livraison) == "Le serveur a refusé la connexion."
    assert "Connection refused" in caplog.text  # the details, in the log only


def test_a_tls_failure(livraison):
    # An https address answered by a plain http server: the handshake fails.
    Webhook.objects.filter(pk=livraison.webhook_id).update(
        url=livraison.webhook.url.replace("http://", "https://")
    )
    assert _attempt(livraison).startswith("La connexion sécurisée (TLS) a échoué")


def test_a_timeout(livraison, monkeypatch):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 0.3)
    Webhook.objects.filter(pk=livraison.webhook_id).update(
        url=f"http://127.0.0.1:{silent.getsockname()[1]}/hook"
    )
    try:
        assert _attempt(livraison).startswith("Le serveur n’a pas répondu dans les")
    finally:
        silent.close()


def test_an_unknown_host(livraison, monkeypatch):
    def unknown(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    Webhook.objects.filter(pk=livraison.webhook_id).update(url="http://inconnu.example/hook")
    assert _attempt(livraison) == "L’adresse « inconnu.example » est introuvable."


def test_a_secret_no_key_opens(livraison, caplog):
    stray = Fernet(Fernet.generate_key()).encrypt(b"secret").decode()
    Webhook.objects.filter(pk=livraison.webhook_id).update(secret=stray)
    with caplog.at_level(logging.WARNING, logger="socle.demarches.webhooks"):
        assert _attempt(livraison).startswith("Le secret de signature ne peut pas être déchiffré")
    assert "SecretUndecryptable" in caplog.text


def test_a_refused_address(livraison, settings):
    settings.DEMARCHES_WEBHOOK_ALLOW_PRIVATE = False
    assert "réseau privé ou local" in _attempt(livraison)
    assert Livraison.objects.get(pk=livraison.pk).derniere_reponse is None


@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (urllib3.exceptions.ConnectTimeoutError("connect timed out"), "n’a pas répondu"),
        (urllib3.exceptions.ReadTimeoutError(None, "/", "Read timed out."), "n’a pas répondu"),
        (urllib3.exceptions.SSLError("CERTIFICATE_VERIFY_FAILED"), "(TLS) a échoué"),
        (urllib3.exceptions.ProtocolError("Connection aborted."), "interrompue"),
        (ConnectionResetError(104, "Connection reset by peer"), "interrompue"),
        (urllib3.exceptions.NewConnectionError(None, "No route to host"), "Connexion au serveur"),
        (OSError("No route to host"), "Erreur de communication"),
        (RuntimeError("boom"), "Erreur inattendue"),
    ],
)
def test_each_kind_has_its_french_message(exc, message):
    text = error_message(exc)
    assert message in text
    assert str(exc) not in text
