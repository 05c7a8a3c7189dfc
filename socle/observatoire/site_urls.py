"""The observatory's pages for the whole structure (names observatoire-site:…): public pages
under /observatoire/, the structure's back office under /gestion/observatoire/."""

from django.urls import path, re_path

from socle.observatoire import (
    views_contrib,
    views_evaluation,
    views_feuilles,
    views_maturite,
    views_public,
)

urlpatterns = [
    # Public pages (views_public).
    path("observatoire/", views_public.accueil, name="accueil"),
    re_path(r"^observatoire/projets\.(?P<format>json|csv)$", views_public.export, name="export"),
    path("observatoire/projets/<slug:slug>/", views_public.projet, name="projet"),
    path(
        "observatoire/projets/<slug:slug>/mise-en-relation/",
        views_public.mise_en_relation,
        name="mise_en_relation",
    ),
    path("observatoire/acteurs/<slug:slug>/", views_public.acteur, name="acteur"),
    path("observatoire/logiciels/", views_public.logiciels, name="logiciels"),
    path("observatoire/logiciels/<slug:slug>/", views_public.logiciel, name="logiciel"),
    path("observatoire/pres-de-chez-moi/", views_public.pres, name="pres"),
    # Documents and contact people's consent (views_contrib).
    path(
        "observatoire/projets/<slug:slug>/documents/<int:pk>/",
        views_contrib.document,
        name="document",
    ),
    path(
        "observatoire/contact/accord/<str:token>/",
        views_contrib.contact_accord,
        name="contact_accord",
    ),
    path(
        "observatoire/contact/retrait/<str:token>/",
        views_contrib.contact_retrait,
        name="contact_retrait",
    ),
    # The structure's back office: review, actors, software (views_contrib).
    path("gestion/observatoire/relecture/", views_contrib.relecture, name="relecture"),
    path(
        "gestion/observatoire/relecture/<int:pk>/",
        views_contrib.relecture_projet,
        name="relecture_projet",
    ),
    path(
        "gestion/observatoire/modifications/<int:pk>/",
        views_contrib.relecture_revision,
        name="relecture_revision",
    ),
    path("gestion/observatoire/acteurs/", views_contrib.acteurs, name="acteurs"),
    path(
        "gestion/observatoire/logiciels/", views_contrib.logiciels_gestion, name="logiciels_gestion"
    ),
    # Configuration of the value analysis (views_evaluation).
    path(
        "gestion/observatoire/evaluation/",
        views_evaluation.configuration,
        name="configuration_evaluation",
    ),
    # Configuration of the maturity questionnaire (views_maturite).
    path(
        "gestion/observatoire/maturite/",
        views_maturite.configuration,
        name="configuration_maturite",
    ),
    # Roadmaps side by side (views_feuilles).
    path("gestion/observatoire/coherence/", views_feuilles.coherence, name="coherence"),
]
