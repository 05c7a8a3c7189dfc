"""A member's procedures: /gestion/<member>/demarches/… (names `gestion:demarches:…`)."""

from django.urls import path

from socle.demarches import views_configuration as views

urlpatterns = [
    path("", views.liste, name="liste"),
    path("modeles/", views.modeles, name="modeles"),
    path("modeles/<slug:modele>/adopter/", views.adopter, name="adopter"),
    path("nouvelle/", views.nouvelle, name="nouvelle"),
    path("configurer/<slug:code>/", views.fiche, name="fiche"),
    path("configurer/<slug:code>/formulaire/", views.formulaire, name="formulaire"),
    path("configurer/<slug:code>/formulaire/champ/", views.champ, name="champ"),
    path("configurer/<slug:code>/circuit/", views.workflow, name="workflow"),
    path("configurer/<slug:code>/apercu/", views.apercu, name="apercu"),
    path("configurer/<slug:code>/publier/", views.publier, name="publier"),
    path("configurer/<slug:code>/fermer/", views.fermer, name="fermer"),
    path("configurer/<slug:code>/mise-a-jour/", views.mise_a_jour, name="mise_a_jour"),
]
