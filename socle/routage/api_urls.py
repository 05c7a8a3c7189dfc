"""The open routing API, at the root of /api/v1/ (in the `api` namespace, see socle.api.urls)."""

from django.urls import path

from socle.routage import api

urlpatterns = [
    path("", api.docs, name="docs"),
    path("routage", api.routage, name="routage"),
    path("competences", api.competences, name="competences"),
]
