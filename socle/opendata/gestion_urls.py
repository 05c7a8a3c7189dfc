"""A member's back office of open data, under /gestion/<slug>/donnees/."""

from django.urls import path

from socle.opendata import views_gestion as views

urlpatterns = [
    path("", views.jeux, name="jeux"),
    path("nouveau/", views.nouveau, name="nouveau"),
    path("<slug:jeu>/", views.jeu, name="jeu"),
    path("<slug:jeu>/deposer/", views.deposer, name="deposer"),
]
