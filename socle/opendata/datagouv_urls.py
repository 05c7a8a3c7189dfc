"""The back office's data.gouv.fr page, included under `donnees/` by gestion_urls.py."""

from django.urls import path

from socle.opendata import views_datagouv

urlpatterns = [
    path("datagouv/", views_datagouv.datagouv, name="datagouv"),
    path(
        "datagouv/<int:pk>/relancer/",
        views_datagouv.datagouv_relancer,
        name="datagouv_relancer",
    ),
]
