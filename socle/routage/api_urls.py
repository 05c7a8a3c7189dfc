"""The public open API, under /api/v1/."""

from django.urls import path

from socle.routage import api

app_name = "api"
urlpatterns = [
    path("", api.docs, name="docs"),
    path("routage", api.routage, name="routage"),
    path("competences", api.competences, name="competences"),
    path("openapi.json", api.openapi, name="openapi"),
]
