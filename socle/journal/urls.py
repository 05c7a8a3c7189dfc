"""The journal's screens, served under /gestion/ (before the back office's <slug>/ pages)."""

from django.urls import path

from socle.journal import views

app_name = "journal"
urlpatterns = [
    path("journal/", views.journal_structure, name="structure"),
    path("journal/export/", views.journal_structure_export, name="structure_export"),
    path("journal/points-de-controle/", views.journal_checkpoints, name="checkpoints"),
    path("mes-acces/", views.mes_acces, name="mes_acces"),
    path("<slug:slug>/usagers/", views.usagers, name="usagers"),
    path("<slug:slug>/usagers/<str:token>/", views.usager, name="usager"),
    path("<slug:slug>/journal/", views.journal_membre, name="membre"),
    path("<slug:slug>/journal/export/", views.journal_membre_export, name="membre_export"),
]
