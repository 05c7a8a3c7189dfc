"""Every change to a member's set-up is audited with its actor, in the change's transaction,
and the services refuse a caller without the permission, whichever way they are called."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socle.membres.models import AuditEvent, Role
from socle.membres.services import (
    invitation_create,
    invitation_revoke,
    membre_update,
    role_end,
    service_create,
    service_delete,
    service_update,
)
from socle.routage.services import competence_override_set
from socle.territoires.models import Competence


def _actions(membre):
    return list(
        AuditEvent.objects.filter(membre=membre).order_by("id").values_list("action", "actor")
    )


def test_it_audits_each_change_with_its_actor(demo_members):
    pessac, admin = demo_members.pessac, demo_members.admin_pessac
    AuditEvent.objects.all().delete()
    voirie = Competence.objects.get(code="voirie")
    service = service_create(acting_user=admin, membre=pessac, nom="Espaces verts", competences=[])
    service_update(acting_user=admin, service=service, nom="Parcs et jardins", competences=[voirie])
    invitation, _token = invitation_create(
        acting_user=admin, email="x@pessac.example.fr", kind=Role.Kind.AGENT, membre=pessac
    )
    invitation_revoke(acting_user=admin, invitation=invitation)
    role_end(acting_user=admin, role=demo_members.agent_pessac.roles.get(membre=pessac))
    competence_override_set(acting_user=admin, membre=pessac, competence=voirie, holder=None)
    membre_update(acting_user=admin, membre=pessac, couleur="#2a6f3b", modules=[])
    service_delete(acting_user=admin, service=service)

    assert _actions(pessac) == [
        ("service.create", admin.pk),
        ("service.update", admin.pk),
        ("invitation.create", admin.pk),
        ("invitation.revoke", admin.pk),
        ("role.end", admin.pk),
        ("competence.override", admin.pk),
        ("membre.update", admin.pk),
        ("service.delete", admin.pk),
    ]
    update = AuditEvent.objects.get(action="service.update")
    assert update.details["nom"] == {"avant": "Espaces verts", "apres": "Parcs et jardins"}
    assert update.details["competences"] == {"avant": [], "apres": ["voirie"]}
    assert AuditEvent.objects.get(action="membre.update").details["couleur"]["apres"] == "#2a6f3b"


def test_it_refuses_a_caller_without_the_permission_and_writes_nothing(demo_members):
    pessac, bordeaux = demo_members.pessac, demo_members.bordeaux
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        service_create(
            acting_user=demo_members.admin_pessac, membre=bordeaux, nom="Intrus", competences=[]
        )
    with pytest.raises(PermissionDenied):
        service_create(
            acting_user=demo_members.agent_pessac, membre=pessac, nom="Intrus", competences=[]
        )
    with pytest.raises(PermissionDenied):
        # Only the structure gives a member its own host name.
        membre_update(
            acting_user=demo_members.admin_pessac,
            membre=pessac,
            couleur=pessac.couleur,
            modules=[],
            hostname="services.pessac.fr",
        )
    with pytest.raises(ValidationError):
        competence_override_set(
            acting_user=demo_members.admin_pessac,
            membre=pessac,
            competence=Competence.objects.get(code="voirie"),
            holder=pessac.collectivite.departement,
        )
    assert AuditEvent.objects.count() == before
    assert not pessac.services.filter(nom="Intrus").exists()


def test_it_shows_the_audit_trail_to_administrators_and_operateurs_only(
    client, demo_members, operateur
):
    admin = demo_members.admin_pessac
    service = service_create(
        acting_user=admin, membre=demo_members.pessac, nom="Propreté", competences=[]
    )
    service_update(acting_user=admin, service=service, nom="Propreté urbaine", competences=[])
    for user, status in [
        (admin, 200),
        (operateur, 200),
        (demo_members.agent_pessac, 403),
        (demo_members.elu_pessac, 403),
    ]:
        client.force_login(user)
        response = client.get("/gestion/pessac/historique/")
        assert response.status_code == status
        if status == 200:
            html = response.content.decode()
            assert "Service créé" in html
            # A change reads as before → after, in words, with who made it.
            assert "nom : Propreté → Propreté urbaine" in html
            assert str(admin) in html
