"""An administrator adds a webhook (its secret shown once, stored encrypted), sees its deliveries,
relaunches an abandoned one and deletes it, each change audited; an agent cannot."""

import pytest
from django.urls import reverse

from socle.demarches.models import Livraison, Webhook
from socle.demarches.webhooks import webhooks_notify
from socle.membres.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_administrator_manages_the_webhooks(client, demo_members, receiver, dossier_factory):
    pessac = demo_members.pessac
    dossier_factory.procedure()  # Pessac publishes a procedure
    client.force_login(demo_members.admin_pessac)
    page = reverse("gestion:demarches:webhooks", kwargs={"slug": pessac.slug})

    response = client.post(page, {"url": receiver.url, "evenements": ["dossier.statut"]})
    assert response.status_code == 200
    hook = Webhook.objects.get(membre=pessac)
    secret = response.context["created"]["secret"]
    assert secret in response.content.decode()
    assert hook.secret != secret and hook.evenements == ["dossier.statut"]
    assert secret not in client.get(page).content.decode()

    refused = client.post(page, {"url": "ftp://x", "evenements": ["inconnu"]})
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {"url", "evenements"}

    [livraison] = webhooks_notify(dossier=dossier_factory(), evenement="dossier.statut")
    Livraison.objects.filter(pk=livraison.pk).update(etat=Livraison.Etat.ECHEC, tentatives=8)
    kwargs = {"slug": pessac.slug, "pk": hook.pk}
    listing = client.get(reverse("gestion:demarches:webhook_livraisons", kwargs=kwargs))
    assert "Abandonnée" in listing.content.decode() and "Relancer" in listing.content.decode()
    client.post(
        reverse(
            "gestion:demarches:livraison_relancer", kwargs={**kwargs, "livraison": livraison.pk}
        )
    )
    livraison.refresh_from_db()
    assert livraison.etat == Livraison.Etat.EN_ATTENTE

    client.post(reverse("gestion:demarches:webhook_supprimer", kwargs=kwargs))
    assert not Webhook.objects.filter(membre=pessac).exists()
    actions = set(AuditEvent.objects.filter(membre=pessac).values_list("action", flat=True))
    assert {"webhook.creation", "webhook.relance", "webhook.suppression"} <= actions


def test_an_agent_cannot_see_them(client, demo_members):
    client.force_login(demo_members.agent_pessac)
    page = reverse("gestion:demarches:webhooks", kwargs={"slug": demo_members.pessac.slug})
    assert client.get(page).status_code == 403
    assert client.post(page, {"url": "https://example.org/"}).status_code == 403
    assert not Webhook.objects.exists()
