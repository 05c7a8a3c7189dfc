"""The back office under /gestion/: the members' pages, then each module's (from the registry)."""

from django.urls import include, path

from socle.core.modules import registered_modules
from socle.membres import views

app_name = "gestion"
urlpatterns = [
    path("", views.tableau, name="tableau"),
    path("membres/nouveau/", views.membre_nouveau, name="membre_nouveau"),
    path("<slug:slug>/", views.membre, name="membre"),
    path("<slug:slug>/reglages/", views.membre_reglages, name="membre_reglages"),
    path("<slug:slug>/historique/", views.historique, name="historique"),
    path("<slug:slug>/services/nouveau/", views.service_nouveau, name="service_nouveau"),
    path("<slug:slug>/services/<int:pk>/", views.service_modifier, name="service_modifier"),
    path(
        "<slug:slug>/services/<int:pk>/supprimer/",
        views.service_supprimer,
        name="service_supprimer",
    ),
    path("<slug:slug>/agents/inviter/", views.agent_inviter, name="agent_inviter"),
    path("<slug:slug>/roles/<int:pk>/retirer/", views.role_terminer, name="role_terminer"),
    path(
        "<slug:slug>/invitations/<int:pk>/annuler/",
        views.invitation_annuler,
        name="invitation_annuler",
    ),
    *[
        path(
            f"<slug:slug>/{module.prefix}",
            include((module.gestion_urls, module.code), namespace=module.code),
        )
        for module in registered_modules()
        if module.gestion_urls
    ],
]
