"""FranceConnect and ProConnect login and logout, under /comptes/oidc/."""

from django.urls import path

from socle.comptes.oidc import views

app_name = "oidc"
urlpatterns = [
    path("deconnexion/", views.deconnexion, name="deconnexion"),
    path("identites/", views.identites, name="identites"),
    path("<slug:provider>/connexion/", views.connexion, name="connexion"),
    path("<slug:provider>/lier/", views.lier, name="lier"),
    path("<slug:provider>/retour/", views.retour, name="retour"),
    path(
        "<slug:provider>/deconnexion/retour/",
        views.deconnexion_retour,
        name="deconnexion_retour",
    ),
]
