"""The structure's open data, under /donnees/: every member's datasets and its own."""

from django.urls import path, re_path

from socle.opendata import views_public as views

# The structure's own datasets: the same views, with no member.
STRUCTURE = {"slug": None}

urlpatterns = [
    path("donnees/", views.site_accueil, name="accueil"),
    re_path(
        r"^donnees/catalogue\.(?P<format>jsonld|ttl)$", views.catalogue, STRUCTURE, "catalogue"
    ),
    re_path(
        r"^donnees/structure/(?P<jeu>[-a-zA-Z0-9_]+)\.(?P<format>csv|json|geojson)$",
        views.telecharger,
        STRUCTURE,
        "telecharger",
    ),
    re_path(
        r"^donnees/structure/(?P<jeu>[-a-zA-Z0-9_]+)/versions/(?P<numero>[0-9]+)"
        r"\.(?P<format>csv|json|geojson)$",
        views.telecharger,
        STRUCTURE,
        "telecharger_version",
    ),
    path("donnees/structure/<slug:jeu>/", views.jeu_page, STRUCTURE, "jeu"),
]
