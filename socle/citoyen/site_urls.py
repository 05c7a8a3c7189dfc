"""« Mon espace » pages of the citizen's file (URL names `citoyen-site:…`; views.py)."""

from django.urls import path

from socle.citoyen import views

ESPACE = "comptes/espace"

urlpatterns = [
    path(f"{ESPACE}/profil/", views.profil, name="profil"),
    path(f"{ESPACE}/foyer/", views.foyer, name="foyer"),
    path(f"{ESPACE}/foyer/<int:pk>/", views.proche_modifier, name="proche"),
    path(f"{ESPACE}/foyer/<int:pk>/supprimer/", views.proche_supprimer, name="proche_supprimer"),
    path(f"{ESPACE}/adresses/", views.adresses, name="adresses"),
    path(f"{ESPACE}/adresses/ajouter/", views.adresse_ajouter, name="adresse_ajouter"),
    path(f"{ESPACE}/adresses/<int:pk>/", views.adresse_modifier, name="adresse"),
    path(
        f"{ESPACE}/adresses/<int:pk>/supprimer/",
        views.adresse_supprimer,
        name="adresse_supprimer",
    ),
    path(f"{ESPACE}/documents/", views.pieces, name="pieces"),
    path(
        f"{ESPACE}/documents/<int:pk>/telecharger/",
        views.piece_telecharger,
        name="piece_telecharger",
    ),
    path(f"{ESPACE}/documents/<int:pk>/supprimer/", views.piece_supprimer, name="piece_supprimer"),
]
