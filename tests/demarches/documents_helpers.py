"""A filed dossier for the documents' tests (the lead moves it to the shared factories)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.utils import timezone

from socle.demarches import workflow
from socle.demarches.models import DEPOSE, Demarche, DemarcheVersion, Dossier
from socle.territoires.models import Competence

FORMULAIRE = {
    "pages": [
        {
            "titre": "Votre demande",
            "champs": [
                {"cle": "motif", "type": "texte", "libelle": "Objet de la demande"},
                {"cle": "cantine", "type": "oui_non", "libelle": "Inscription à la cantine"},
            ],
        }
    ]
}


_BUNDLE: list[Path] = []


def _signing_bundle(tmp_path_factory) -> Path:
    """One platform signing pair for the session's documents (made as the platform makes it)."""
    from socle.demarches.documents import _signing_pair_create

    if not _BUNDLE:
        bundle = tmp_path_factory.mktemp("signature") / "documents.pem"
        _signing_pair_create(bundle)
        _BUNDLE.append(bundle)
    return _BUNDLE[0]


@pytest.fixture(name="documents_env")
def documents_env_fixture(settings, tmp_path, tmp_path_factory):
    """Encrypted files under the test's own folder; the session's signing pair."""
    bundle = _signing_bundle(tmp_path_factory)
    settings.DATA_DIR = tmp_path / "data"
    settings.CITOYEN_FILES_DIR = tmp_path / "chiffres"
    settings.DEMARCHES_SIGNING_KEY_FILE = str(bundle)
    settings.DEMARCHES_SIGNING_CERT_FILE = str(bundle)
    return tmp_path


@pytest.fixture(name="dossier")
def dossier_fixture(demo_members, citizen, documents_env) -> Dossier:
    """A dossier of Pessac's « Inscription scolaire », filed by the citizen."""
    demarche = Demarche.objects.create(
        membre=demo_members.pessac,
        slug="inscription-scolaire",
        titre="Inscription scolaire",
        competence=Competence.objects.get(code="proprete"),
        formulaire=FORMULAIRE,
        workflow=workflow.default_workflow(),
        etat=Demarche.Etat.PUBLIEE,
        version=1,
    )
    version = DemarcheVersion.objects.create(
        demarche=demarche,
        numero=1,
        titre=demarche.titre,
        formulaire=FORMULAIRE,
        workflow=demarche.workflow,
    )
    now = timezone.now()
    return Dossier.objects.create(
        reference="D-7K3M-Q9TZ",
        demarche=demarche,
        version=version,
        membre=demo_members.pessac,
        usager=citizen,
        usager_nom="Camille Citoyenne",
        statut=DEPOSE,
        donnees={"motif": "Rentrée de septembre", "cantine": True},
        depose_le=now,
        modifie_le=now,
    )


def pdf_reader(content: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(content))
