from django.urls import path

from socle.territoires import views

app_name = "gestion"
urlpatterns = [
    path("", views.tableau, name="tableau"),
    path("membres/nouveau/", views.membre_nouveau, name="membre_nouveau"),
    path("<slug:slug>/", views.membre, name="membre"),
    path("<slug:slug>/reglages/", views.membre_reglages, name="membre_reglages"),
    path("<slug:slug>/competences/", views.competences, name="competences"),
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
]
