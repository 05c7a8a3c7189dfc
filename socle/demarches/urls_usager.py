"""The citizen's dossiers: /demarches/… (URL names `demarches-site:…`, views_usager.py)."""

from django.urls import path

from socle.demarches import views_usager as views

urlpatterns = [
    path("dossiers/", views.mes_dossiers, name="mes-dossiers"),
    path("adresses/", views.adresses, name="adresses"),
    path("dossiers/<str:reference>/", views.dossier, name="dossier"),
    path("dossiers/<str:reference>/page/<int:numero>/", views.page, name="page"),
    path("dossiers/<str:reference>/brouillon/", views.brouillon, name="brouillon"),
    path("dossiers/<str:reference>/recapitulatif/", views.recapitulatif, name="recapitulatif"),
    path("dossiers/<str:reference>/supprimer/", views.supprimer, name="supprimer"),
    path("dossiers/<str:reference>/message/", views.message, name="message"),
    path("dossiers/<str:reference>/demandes/<int:pk>/", views.demande, name="demande"),
    path("dossiers/<str:reference>/documents/<str:kind>/", views.document, name="document"),
    path("dossiers/<str:reference>/pieces/<int:pk>/", views.piece, name="piece"),
]
