"""FranceConnect and ProConnect login and logout, under /comptes/oidc/."""

from django.urls import path

from socle.comptes import oidc_views

app_name = "oidc"
urlpatterns = [
    path("deconnexion/", oidc_views.deconnexion, name="deconnexion"),
    path("identites/", oidc_views.identites, name="identites"),
    path("<slug:provider>/connexion/", oidc_views.connexion, name="connexion"),
    path("<slug:provider>/lier/", oidc_views.lier, name="lier"),
    path("<slug:provider>/retour/", oidc_views.retour, name="retour"),
    path(
        "<slug:provider>/deconnexion/retour/",
        oidc_views.deconnexion_retour,
        name="deconnexion_retour",
    ),
]
