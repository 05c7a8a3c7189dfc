"""A member's back office of reports, under /gestion/<slug>/signalements/."""

from django.urls import path, re_path

from socle.signalements import views_gestion as views

REFERENCE = r"(?P<reference>[0-9A-Z]{8})"

urlpatterns = [
    path("", views.file, name="file"),
    path("carte/", views.carte, name="carte"),
    path("tableau-de-bord/", views.tableau, name="tableau"),
    path("export.csv", views.export_csv, name="export"),
    path("reglages/", views.reglages, name="reglages"),
    re_path(rf"^{REFERENCE}/$", views.detail, name="detail"),
    re_path(rf"^{REFERENCE}/coordonnees/$", views.coordonnees, name="coordonnees"),
    re_path(rf"^{REFERENCE}/(?P<action>[a-z-]+)/$", views.action, name="action"),
]
