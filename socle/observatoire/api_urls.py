"""The observatory's read API: /api/v1/observatoire/… (names api-observatoire:…)."""

from django.urls import path

from socle.observatoire import api

urlpatterns = [
    path("projets", api.projets, name="projets"),
    path("projets/<slug:slug>", api.projet, name="projet"),
]
