"""Instruction: /gestion/<member>/demarches/dossiers/… (`gestion:demarches:…`)."""

from django.urls import path

from socle.demarches import views_instruction as views

urlpatterns = [
    path("", views.file, name="file"),
    path("export/", views.export, name="export"),
    path("lot/", views.lot, name="lot"),
    path("<str:reference>/", views.dossier, name="dossier"),
    path("<str:reference>/pieces/<int:pk>/", views.piece, name="piece"),
    path("<str:reference>/documents/<int:pk>/", views.document, name="document"),
    path("<str:reference>/<slug:action>/", views.action, name="action"),
]
