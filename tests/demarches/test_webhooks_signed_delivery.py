"""A webhook receives a signed POST, with a uid and no personal data, for the events it asked."""

import hashlib
import hmac
import json

import pytest

from socle.comptes.totp import secret_decrypt
from socle.demarches.models import Livraison
from socle.demarches.tasks_webhooks import webhook_deliver
from socle.demarches.webhooks import signature_verify, webhook_create, webhooks_notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(demo_members, receiver, citizen, dossier_factory):
    admin = demo_members.admin_pessac
    hook, secret = webhook_create(
        acting_user=admin, membre=demo_members.pessac, url=receiver.url, evenements=[]
    )
    dossier = dossier_factory(usager=citizen)
    return hook, secret, dossier


def test_it_signs_the_post_with_the_secret(setup, receiver):
    hook, secret, dossier = setup
    assert secret not in hook.secret and secret_decrypt(hook.secret) == secret
    [livraison] = webhooks_notify(dossier=dossier, evenement="dossier.depose")

    assert webhook_deliver.call(livraison.pk) == "delivered"

    [(headers, body)] = receiver.received
    assert headers["X-Socle-Evenement"] == "dossier.depose"
    assert headers["X-Socle-Livraison"] == livraison.uid
    fields = dict(part.split("=", 1) for part in headers["X-Socle-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(fields["v1"], expected.hexdigest())
    assert signature_verify(secret, headers["X-Socle-Signature"], body)
    assert not signature_verify("autre-secret", headers["X-Socle-Signature"], body)
    livraison.refresh_from_db()
    assert livraison.etat == Livraison.Etat.LIVREE
    assert [essai["reponse"] for essai in livraison.essais] == [200]


def test_the_payload_has_no_personal_data(setup, receiver, citizen):
    _hook, _secret, dossier = setup
    [livraison] = webhooks_notify(dossier=dossier, evenement="dossier.depose")
    webhook_deliver.call(livraison.pk)

    [(_headers, body)] = receiver.received
    payload = json.loads(body)
    assert set(payload) == {"evenement", "livraison", "date", "dossier"}
    assert set(payload["dossier"]) == {"reference", "demarche", "statut", "url"}
    assert payload["dossier"]["reference"] == dossier.reference
    assert payload["dossier"]["url"].endswith(
        f"/api/v1/demarches/pessac/dossiers/{dossier.reference}"
    )
    text = body.decode()
    for personal in ("Dupont", "Camille", "camille", citizen.email, "@"):
        assert personal not in text


def test_it_queues_only_for_the_members_subscribed_active_webhooks(
    setup,
    demo_members,
    receiver,
):
    hook, _secret, dossier = setup
    only_messages, _ = webhook_create(
        acting_user=None,
        membre=demo_members.pessac,
        url=receiver.url,
        evenements=["dossier.message"],
    )
    webhook_create(acting_user=None, membre=demo_members.bordeaux, url=receiver.url, evenements=[])
    inactive, _ = webhook_create(
        acting_user=None, membre=demo_members.pessac, url=receiver.url, evenements=[]
    )
    inactive.actif = False
    inactive.save(update_fields=["actif"])

    statut = webhooks_notify(dossier=dossier, evenement="dossier.statut")
    message = webhooks_notify(dossier=dossier, evenement="dossier.message")

    assert [livraison.webhook for livraison in statut] == [hook]
    assert {livraison.webhook for livraison in message} == {hook, only_messages}
    with pytest.raises(ValueError):
        webhooks_notify(dossier=dossier, evenement="dossier.inconnu")
