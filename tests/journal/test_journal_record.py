"""Recording an access: every field is kept, and each entry's hash chains to the previous one."""

import hashlib
import json
from datetime import UTC

import pytest
from django.test import RequestFactory

from socle.journal.models import PersonalDataAccess
from socle.journal.services import GENESIS_HASH
from tests.helpers.journal import record_access

pytestmark = pytest.mark.django_db


def test_it_keeps_who_what_where_why_and_from_where(agent_pessac, citizen, demo_members):
    request = RequestFactory().get("/gestion/pessac/usagers/", REMOTE_ADDR="203.0.113.7")
    entry = record_access(
        agent_pessac, citizen, demo_members.pessac, request=request, action="export"
    )
    stored = PersonalDataAccess.objects.get(pk=entry.pk)
    assert stored.agent == agent_pessac
    assert stored.citizen == citizen
    assert stored.membre == demo_members.pessac
    assert stored.action == PersonalDataAccess.Action.EXPORT
    assert stored.data == "identité et coordonnées"
    assert stored.channel == "back-office : assistance aux usagers"
    assert stored.purpose == "Demande d'assistance au guichet"
    assert stored.ip == "203.0.113.7"
    assert stored.created_at == entry.created_at


def test_it_defaults_to_a_read_and_trims_the_texts(agent_pessac, citizen, demo_members):
    entry = record_access(agent_pessac, citizen, demo_members.pessac, purpose="  Guichet  ")
    assert entry.action == PersonalDataAccess.Action.READ
    assert entry.purpose == "Guichet"
    assert entry.ip is None


def test_it_starts_the_chain_from_64_zeros(agent_pessac, citizen, demo_members):
    first = record_access(agent_pessac, citizen, demo_members.pessac)
    assert first.previous_hash == GENESIS_HASH == "0" * 64


def test_it_chains_each_entry_to_the_previous_one(agent_pessac, citizen, demo_members):
    entries = [record_access(agent_pessac, citizen, demo_members.pessac) for _ in range(3)]
    assert entries[1].previous_hash == entries[0].entry_hash
    assert entries[2].previous_hash == entries[1].entry_hash
    assert len({entry.entry_hash for entry in entries}) == 3


def test_it_hashes_the_documented_canonical_form(agent_pessac, citizen, demo_members):
    request = RequestFactory().get("/", REMOTE_ADDR="2001:DB8:0:0:0:0:0:1")
    entry = record_access(agent_pessac, citizen, demo_members.pessac, request=request)
    stored = PersonalDataAccess.objects.get(pk=entry.pk)
    canonical = {
        "action": "lecture",
        "agent": agent_pessac.pk,
        "channel": "back-office : assistance aux usagers",
        "citizen": citizen.pk,
        "created_at": stored.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "data": "identité et coordonnées",
        "ip": "2001:db8::1",
        "membre": demo_members.pessac.pk,
        "previous_hash": GENESIS_HASH,
        "purpose": "Demande d'assistance au guichet",
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert stored.entry_hash == hashlib.sha256(text.encode()).hexdigest()
    assert canonical["created_at"].endswith("+00:00")
    assert "." in canonical["created_at"]  # microseconds are part of the hash


def test_it_ignores_an_address_that_is_not_an_ip(agent_pessac, citizen, demo_members):
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-address")
    entry = record_access(agent_pessac, citizen, demo_members.pessac, request=request)
    assert entry.ip is None
