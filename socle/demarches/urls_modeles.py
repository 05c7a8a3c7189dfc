"""The structure's procedure templates: /gestion/modeles-demarches/… (names
`demarches-site:modeles…`)."""

from django.urls import path

from socle.demarches import views_modeles as views

urlpatterns = [
    path("", views.modeles, name="modeles"),
    path("fournis/", views.fournis, name="modeles_fournis"),
    path("<slug:code>/", views.modele, name="modele"),
    path("<slug:code>/formulaire/", views.modele_formulaire, name="modele_formulaire"),
    path("<slug:code>/formulaire/champ/", views.modele_champ, name="modele_champ"),
    path("<slug:code>/circuit/", views.modele_workflow, name="modele_workflow"),
    path("<slug:code>/apercu/", views.modele_apercu, name="modele_apercu"),
]
