"""A member's staff asks the structure to put them in touch with a project's team: the
structure's staff receive the request, the person an acknowledgement; citizens cannot."""

from django.urls import reverse

from socle.core.models import OutboxMessage
from socle.membres.models import AuditEvent
from socle.observatoire import services


def _url(projet):
    return reverse("observatoire-site:mise_en_relation", kwargs={"slug": projet.slug})


def test_it_mails_the_structure_and_acknowledges(client, projet_publie, demo_members, operateur):
    client.force_login(demo_members.elu_pessac)
    page = client.get(reverse("observatoire-site:projet", kwargs={"slug": projet_publie.slug}))
    assert "Demander une mise en relation" in page.content.decode()
    answer = client.post(_url(projet_publie), {"message": "Combien a coûté l’application ?"})
    assert answer.status_code == 302
    payloads = [m.payload for m in OutboxMessage.objects.order_by("pk")]
    to_structure = [p for p in payloads if operateur.email in p["to"]]
    assert to_structure and "Combien a coûté" in to_structure[-1]["body"]
    assert demo_members.elu_pessac.email in to_structure[-1]["body"]
    assert any(p["to"] == [demo_members.elu_pessac.email] for p in payloads)
    assert AuditEvent.objects.filter(action="projet.mise_en_relation").count() == 1


def test_it_asks_for_a_message_in_french(client, projet_publie, demo_members):
    client.force_login(demo_members.agent_pessac)
    answer = client.post(_url(projet_publie), {"message": "  "})
    assert answer.status_code == 400
    assert "Ce champ est obligatoire" in answer.content.decode()


def test_it_refuses_a_citizen_and_sends_the_anonymous_to_login(client, projet_publie, citizen):
    assert client.post(_url(projet_publie), {"message": "Bonjour"}).status_code == 302
    client.force_login(citizen)
    assert client.post(_url(projet_publie), {"message": "Bonjour"}).status_code == 403
    page = client.get(reverse("observatoire-site:projet", kwargs={"slug": projet_publie.slug}))
    assert "Demander une mise en relation" not in page.content.decode()


def test_it_limits_the_requests_of_one_person_per_day(projet_publie, demo_members, monkeypatch):
    import pytest
    from django.core.exceptions import ValidationError

    monkeypatch.setattr(services, "MISE_EN_RELATION_PAR_JOUR", 2)
    for _ in range(2):
        services.mise_en_relation_request(
            acting_user=demo_members.agent_pessac, projet=projet_publie, message="Question"
        )
    with pytest.raises(ValidationError):
        services.mise_en_relation_request(
            acting_user=demo_members.agent_pessac, projet=projet_publie, message="Question"
        )
