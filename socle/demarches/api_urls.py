"""/api/v1/demarches/… (api.py)."""

from django.urls import path

from socle.demarches import api

urlpatterns = [
    path("", api.demarches_list, name="demarches"),
    path("dossiers", api.dossiers_list, name="dossiers"),
    path("dossiers/<str:reference>", api.dossier_detail, name="dossier"),
    path("dossiers/<str:reference>/statut", api.dossier_statut, name="dossier-statut"),
    path("dossiers/<str:reference>/pieces/<int:pk>", api.dossier_piece, name="dossier-piece"),
]
