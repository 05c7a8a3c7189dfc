"""A member's webhooks: /gestion/<member>/demarches/webhooks/… (views_webhooks.py)."""

from django.urls import path

from socle.demarches import views_webhooks

urlpatterns = [
    path("", views_webhooks.webhooks, name="webhooks"),
    path("<int:pk>/supprimer/", views_webhooks.webhook_supprimer, name="webhook_supprimer"),
    path("<int:pk>/livraisons/", views_webhooks.livraisons, name="webhook_livraisons"),
    path(
        "<int:pk>/livraisons/<int:livraison>/relancer/",
        views_webhooks.livraison_relancer,
        name="livraison_relancer",
    ),
]
