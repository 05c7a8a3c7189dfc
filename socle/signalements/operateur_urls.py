"""The opérateur's page of reports whose competent collectivité is not a member."""

from django.urls import path

from socle.signalements import views_gestion as views

urlpatterns = [
    path("gestion/signalements/hors-membres/", views.hors_membres, name="hors_membres"),
]
