"""A member's public pages of reports, under /<slug>/signalements/."""

from django.urls import path

from socle.signalements import views_citizen as views

urlpatterns = [
    path("", views.membre_liste, name="accueil"),
    path("signaler/", views.membre_signaler, name="signaler"),
]
