"""A member's open data, under /<slug>/donnees/: its portal, datasets, files and catalogue."""

from django.urls import path, re_path

from socle.opendata import views_public as views

urlpatterns = [
    path("", views.accueil, name="accueil"),
    re_path(r"^catalogue\.(?P<format>jsonld|ttl)$", views.catalogue, name="catalogue"),
    re_path(
        r"^(?P<jeu>[-a-zA-Z0-9_]+)\.(?P<format>csv|json|geojson)$",
        views.telecharger,
        name="telecharger",
    ),
    re_path(
        r"^(?P<jeu>[-a-zA-Z0-9_]+)/versions/(?P<numero>[0-9]+)\.(?P<format>csv|json|geojson)$",
        views.telecharger,
        name="telecharger_version",
    ),
    path("<slug:jeu>/", views.jeu_page, name="jeu"),
]
