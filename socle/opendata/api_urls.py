"""The open data API, under /api/v1/donnees/: the catalogue, and each dataset's rows."""

from django.urls import path

from socle.opendata import api

urlpatterns = [
    path("catalogue", api.catalogue, name="catalogue"),
    # <slug>: a member's address, or « structure » for the structure's own datasets.
    path("<slug:slug>/<slug:jeu>/lignes", api.lignes, name="lignes"),
]
