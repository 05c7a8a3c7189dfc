"""/api/v1/demarches/<member>/… (api.py): the member's procedures and dossiers, for its keys."""

from django.urls import path

from socle.demarches import api

urlpatterns = [
    path("<slug:slug>", api.demarches_list, name="demarches"),
    path("<slug:slug>/dossiers", api.dossiers_list, name="dossiers"),
    path("<slug:slug>/dossiers/<str:reference>", api.dossier_detail, name="dossier"),
    path("<slug:slug>/dossiers/<str:reference>/statut", api.dossier_statut, name="dossier-statut"),
    path(
        "<slug:slug>/dossiers/<str:reference>/pieces/<int:pk>",
        api.dossier_piece,
        name="dossier-piece",
    ),
]
