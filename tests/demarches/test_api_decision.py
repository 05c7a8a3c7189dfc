"""A key with demarches.decider moves a dossier through its workflow: the move must exist from the
current status, a refusal needs its motif; the history, the audit and the webhook name the key."""

import json

import pytest

from socle.demarches.models import Evenement, Livraison
from socle.demarches.webhooks import webhook_create
from socle.membres.models import AuditEvent
from tests.demarches.factories import bearer, make_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(dossier_factory):
    """Filed without an account (conftest's `dossier` has one)."""
    return dossier_factory(usager=None)


@pytest.fixture
def decider(demo_members):
    return make_key(demo_members.pessac, scopes=["demarches.decider"])


def _post(client, dossier, plaintext, body, content_type="application/json"):
    return client.post(
        f"/api/v1/demarches/pessac/dossiers/{dossier.reference}/statut",
        body if isinstance(body, str) else json.dumps(body),
        content_type=content_type,
        **bearer(plaintext),
    )


def test_a_refusal_needs_its_motif_and_is_applied_as_the_key(
    client,
    demo_members,
    dossier,
    decider,
    receiver,
):
    key, plaintext = decider
    webhook_create(acting_user=None, membre=demo_members.pessac, url=receiver.url, evenements=[])

    missing = _post(client, dossier, plaintext, {"statut": "refuse"})
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "motif_obligatoire"

    done = _post(client, dossier, plaintext, {"statut": "refuse", "motif": "Hors délai."})
    assert done.status_code == 200
    assert done.json()["statut"] == "refuse"
    dossier.refresh_from_db()
    assert (dossier.statut, dossier.motif) == ("refuse", "Hors délai.")
    event = Evenement.objects.get(dossier=dossier, kind=Evenement.Kind.STATUT)
    assert event.acteur is None and event.details == {"cle_api": key.prefix}
    audit = AuditEvent.objects.get(action="dossier.statut", membre=demo_members.pessac)
    assert audit.details["cle_api"] == key.prefix and audit.actor is None
    assert Livraison.objects.get(dossier=dossier).evenement == "dossier.statut"

    impossible = _post(client, dossier, plaintext, {"statut": "accepte"})
    assert impossible.status_code == 409
    assert impossible.json()["error"]["details"]["statut_actuel"] == "refuse"


def test_unknown_status_malformed_json_and_scope(client, demo_members, dossier, decider):
    _key, plaintext = decider
    unknown = _post(client, dossier, plaintext, {"statut": "envole"})
    assert unknown.status_code == 409
    assert unknown.json()["error"]["code"] == "transition_impossible"
    for body in ("{pas du json", "[]", {"motif": "x"}, {"statut": "accepte", "motif": 3}):
        malformed = _post(client, dossier, plaintext, body)
        assert malformed.status_code == 400, body
        assert malformed.json()["error"]["code"] == "json_invalide"

    _key, reader = make_key(demo_members.pessac, scopes=["demarches.lire"])
    refused = _post(client, dossier, reader, {"statut": "accepte"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "portee_insuffisante"
    url = f"/api/v1/demarches/pessac/dossiers/{dossier.reference}/statut"
    assert client.get(url, **bearer(plaintext)).status_code == 405
    dossier.refresh_from_db()
    assert dossier.statut == "depose"

    accepted = _post(client, dossier, plaintext, {"statut": "en_instruction"})
    assert accepted.status_code == 200
