"""A webhook calls only public https addresses: private, loopback and link-local ones are refused
when it is added and again when it is sent; http only when allowed."""

import pytest
from django.core.exceptions import ValidationError

from socle.demarches.models import Livraison
from socle.demarches.tasks_webhooks import webhook_deliver
from socle.demarches.webhooks import url_check, webhook_create, webhooks_notify

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://localhost/hook",
        "https://0.0.0.0/hook",
    ],
)
def test_it_refuses_private_addresses(settings, url):
    settings.DEMARCHES_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as refused:
        url_check(url)
    assert "url" in refused.value.message_dict


def test_it_refuses_http_and_odd_addresses_unless_allowed(settings):
    settings.DEBUG = False
    settings.DEMARCHES_WEBHOOK_ALLOW_HTTP = False
    settings.DEMARCHES_WEBHOOK_ALLOW_PRIVATE = True
    for url in ("http://127.0.0.1/hook", "ftp://127.0.0.1/x", "https://user:pw@127.0.0.1/"):
        with pytest.raises(ValidationError):
            url_check(url)
    settings.DEMARCHES_WEBHOOK_ALLOW_HTTP = True
    assert url_check(" http://127.0.0.1:8080/hook ") == "http://127.0.0.1:8080/hook"


def test_a_delivery_to_an_address_now_refused_sends_nothing(
    settings,
    demo_members,
    receiver,
    dossier_factory,
):
    webhook_create(acting_user=None, membre=demo_members.pessac, url=receiver.url, evenements=[])
    dossier = dossier_factory()
    [livraison] = webhooks_notify(dossier=dossier, evenement="dossier.depose")
    settings.DEMARCHES_WEBHOOK_ALLOW_PRIVATE = False

    assert webhook_deliver.call(livraison.pk) == "retry"
    assert receiver.received == []
    livraison.refresh_from_db()
    assert livraison.etat == Livraison.Etat.EN_ATTENTE
    assert "privé" in livraison.derniere_erreur
