"""A member's public pages of procedures: /<member>/demarches/… (views_usager.py)."""

from django.urls import path

from socle.demarches import views_usager

urlpatterns = [
    path("", views_usager.catalogue, name="accueil"),
    path("<slug:code>/", views_usager.demarche, name="demarche"),
]
