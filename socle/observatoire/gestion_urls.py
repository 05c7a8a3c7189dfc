"""A member's observatory back office: /gestion/<member>/observatoire/… (gestion:observatoire:…)."""

from django.urls import path

from socle.observatoire import views_contrib, views_evaluation, views_feuilles, views_maturite

urlpatterns = [
    # Projects the member contributes (views_contrib).
    path("", views_contrib.projets, name="projets"),
    path("projets/nouveau/", views_contrib.projet_nouveau, name="projet_nouveau"),
    path("projets/<int:pk>/", views_contrib.projet, name="projet"),
    path("projets/<int:pk>/modifier/", views_contrib.projet_modifier, name="projet_modifier"),
    path("projets/<int:pk>/soumettre/", views_contrib.projet_soumettre, name="projet_soumettre"),
    path("projets/<int:pk>/retirer/", views_contrib.projet_retirer, name="projet_retirer"),
    path("projets/<int:pk>/acteurs/", views_contrib.projet_acteurs, name="projet_acteurs"),
    path("projets/<int:pk>/logiciels/", views_contrib.projet_logiciels, name="projet_logiciels"),
    path("projets/<int:pk>/contacts/", views_contrib.projet_contacts, name="projet_contacts"),
    path("projets/<int:pk>/documents/", views_contrib.projet_documents, name="projet_documents"),
    path(
        "projets/<int:pk>/documents/<int:document>/supprimer/",
        views_contrib.projet_document_supprimer,
        name="projet_document_supprimer",
    ),
    path("projets/<int:pk>/historique/", views_contrib.projet_historique, name="projet_historique"),
    # Evaluation and follow-up (views_evaluation).
    # kind: "ex-ante" or "ex-post" (any other is a 404, after the member's permission check;
    # a plain path lets tests/membres/test_tenant_isolation_every_endpoint.py walk it).
    path(
        "projets/<int:pk>/evaluation/<slug:kind>/",
        views_evaluation.evaluation,
        name="evaluation",
    ),
    path("projets/<int:pk>/suivi/", views_evaluation.suivi, name="suivi"),
    # The roadmap (views_feuilles).
    path("feuille-de-route/", views_feuilles.feuille, name="feuille"),
    path("feuille-de-route/adopter/", views_feuilles.feuille_adopter, name="feuille_adopter"),
    path(
        "feuille-de-route/versions/<int:numero>/",
        views_feuilles.feuille_version,
        name="feuille_version",
    ),
    # The maturity diagnostic (views_maturite).
    path("diagnostic/", views_maturite.diagnostics, name="diagnostics"),
    path("diagnostic/nouveau/", views_maturite.diagnostic_nouveau, name="diagnostic_nouveau"),
    path("diagnostic/<int:pk>/", views_maturite.diagnostic, name="diagnostic"),
]
