"""Fixtures of the démarches tests: a published procedure in one call, and encrypted files kept
in the test's own folder."""

import pytest


@pytest.fixture(autouse=True)
def _citoyen_files(settings, tmp_path):
    """Store the encrypted files of each test in its temporary folder."""
    settings.CITOYEN_FILES_DIR = tmp_path / "chiffres"


@pytest.fixture
def demarche_factory(db):
    """`demarche_factory(membre, schema=..., workflow=None, competence="etat-civil", slug=...)`:
    a published Demarche and its DemarcheVersion 1, made directly."""
    from django.utils import timezone

    from socle.demarches.models import Demarche, DemarcheVersion
    from socle.demarches.workflow import default_workflow
    from socle.territoires.models import Competence

    made = {"n": 0}

    def make(
        membre,
        schema=None,
        workflow=None,
        *,
        competence="etat-civil",
        slug=None,
        titre="Inscription à la cantine",
    ):
        made["n"] += 1
        schema = schema or {
            "pages": [
                {"titre": "Vous", "champs": [{"cle": "nom", "type": "texte", "libelle": "Nom"}]}
            ]
        }
        workflow = workflow or default_workflow()
        demarche = Demarche.objects.create(
            membre=membre,
            slug=slug or f"demarche-{made['n']}",
            titre=titre,
            resume="Une démarche de test.",
            competence=Competence.objects.get(code=competence),
            formulaire=schema,
            workflow=workflow,
            etat=Demarche.Etat.PUBLIEE,
            version=1,
            publiee_le=timezone.now(),
        )
        DemarcheVersion.objects.create(
            demarche=demarche, numero=1, titre=titre, formulaire=schema, workflow=workflow
        )
        return demarche

    return make
