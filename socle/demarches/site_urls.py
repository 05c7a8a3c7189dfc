"""The module's pages for the whole site (URL names `demarches-site:…`): the citizen's dossiers,
the public verification of documents, the structure's templates."""

from django.urls import include, path

urlpatterns = [
    # The citizen's dossiers: filling, filing, following (views_usager.py).
    path("demarches/", include("socle.demarches.urls_usager")),
    # Public check of a receipt or attestation (views_verifier.py).
    path("verifier/", include("socle.demarches.urls_verifier")),
    # The structure's procedure templates (views_modeles.py).
    path("gestion/modeles-demarches/", include("socle.demarches.urls_modeles")),
]
