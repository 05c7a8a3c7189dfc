from django.urls import path

from socle.portail import views, views_rgpd

app_name = "portail"
urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("comptes/espace/", views.espace, name="espace"),
    path("comptes/espace/mes-donnees/", views_rgpd.export, name="rgpd_export"),
    path(
        "comptes/espace/supprimer-mon-compte/",
        views_rgpd.supprimer_compte,
        name="rgpd_supprimer",
    ),
    path("comptes/apres-connexion/", views.apres_connexion, name="apres_connexion"),
    path("mentions-legales/", views.page, {"code": "mentions-legales"}, name="mentions_legales"),
    path("accessibilite/", views.page, {"code": "accessibilite"}, name="accessibilite"),
    path(
        "donnees-personnelles/",
        views.page,
        {"code": "donnees-personnelles"},
        name="donnees_personnelles",
    ),
    path("contact/", views.page, {"code": "contact"}, name="contact"),
    path("<slug:slug>/", views.membre, name="membre"),
]
