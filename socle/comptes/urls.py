from django.urls import path

from socle.comptes import views

app_name = "comptes"
urlpatterns = [
    path("connexion/", views.Connexion.as_view(), name="connexion"),
    path("deconnexion/", views.Deconnexion.as_view(), name="deconnexion"),
    # Citizens' local accounts.
    path("inscription/", views.inscription, name="inscription"),
    path("inscription/envoyee/", views.inscription_envoyee, name="inscription_envoyee"),
    path("verification/renvoyer/", views.verification_renvoyer, name="verification_renvoyer"),
    path("verification/<str:uidb64>/<str:token>/", views.verification, name="verification"),
    # Passwords.
    path("mot-de-passe/oubli/", views.mot_de_passe_oubli, name="mot_de_passe_oubli"),
    path(
        "mot-de-passe/oubli/envoye/",
        views.mot_de_passe_oubli_envoye,
        name="mot_de_passe_oubli_envoye",
    ),
    path(
        "mot-de-passe/nouveau/<str:uidb64>/<str:token>/",
        views.MotDePasseNouveau.as_view(),
        name="mot_de_passe_nouveau",
    ),
    path("mot-de-passe/changer/", views.MotDePasseChanger.as_view(), name="mot_de_passe_changer"),
    path("mot-de-passe/definir/", views.mot_de_passe_definir, name="mot_de_passe_definir"),
    # Second factor.
    path("second-facteur/", views.second_facteur, name="second_facteur"),
    path("second-facteur/activer/", views.second_facteur_activer, name="second_facteur_activer"),
    path(
        "second-facteur/desactiver/",
        views.second_facteur_desactiver,
        name="second_facteur_desactiver",
    ),
    path(
        "second-facteur/reinitialiser/",
        views.second_facteur_reinitialiser,
        name="second_facteur_reinitialiser",
    ),
]
