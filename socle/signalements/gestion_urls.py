"""A member's back office of reports, under /gestion/<slug>/signalements/.

A reference is matched as any segment (`<str:reference>`): an unknown one is a 404 from the
selector, and the URL patterns stay walkable by the tenant-isolation test.
"""

from django.urls import path

from socle.signalements import views_gestion as views

urlpatterns = [
    path("", views.file, name="file"),
    path("carte/", views.carte, name="carte"),
    path("tableau-de-bord/", views.tableau, name="tableau"),
    path("export.csv", views.export_csv, name="export"),
    path("reglages/", views.reglages, name="reglages"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/coordonnees/", views.coordonnees, name="coordonnees"),
    path("<str:reference>/<slug:action>/", views.action, name="action"),
]
