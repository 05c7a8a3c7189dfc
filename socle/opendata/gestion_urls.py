"""A member's back office of open data, under /gestion/<slug>/donnees/."""

from django.urls import path

from socle.opendata import views_gestion as views
from socle.opendata.datagouv_urls import urlpatterns as datagouv_urlpatterns

urlpatterns = [
    path("", views.jeux, name="jeux"),
    path("nouveau/", views.nouveau, name="nouveau"),
    # Before <slug:jeu>/: « datagouv » is a page, not a dataset.
    *datagouv_urlpatterns,
    path("<slug:jeu>/", views.jeu, name="jeu"),
    path("<slug:jeu>/deposer/", views.deposer, name="deposer"),
]
