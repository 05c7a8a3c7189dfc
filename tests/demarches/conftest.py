"""Fixtures of the démarches tests: procedures and dossiers, a webhook receiver, the documents'
signing key, and a folder of encrypted files of the test's own.

The test data itself is made in factories.py. Encrypted files go to the run's folder
(tests/settings.py); a test that looks into the folder takes `citoyen_files_dir`.
"""

from pathlib import Path

import pytest

from tests.demarches.factories import DossierFactory, Receiver, make_demarche


@pytest.fixture
def demarche_factory(db):
    """`demarche_factory(membre, formulaire=None, workflow=None, *, titre=…, slug=…,
    competence="proprete", retention_mois=…)`: a published procedure (factories.make_demarche)."""
    return make_demarche


@pytest.fixture
def dossier_factory(demo_members):
    """`dossier_factory(demarche=None, *, membre=None, usager=None, statut=DEPOSE, service=…,
    nom=…, donnees=…, pieces=…, depose_le=…, **columns)`: a dossier of the procedure, or of the
    member's default one (Pessac's); `dossier_factory.procedure(membre=None)` is that one.
    See factories.make_dossier."""
    return DossierFactory(demo_members.pessac)


@pytest.fixture
def dossier(dossier_factory, citizen):
    """A dossier of Pessac's procedure, filed by the citizen an hour ago, in the service of its
    competence (Anne's « Propreté et espaces verts »)."""
    return dossier_factory(usager=citizen, nom="Camille Citoyenne")


@pytest.fixture
def citoyen_files_dir(settings, tmp_path) -> Path:
    """A folder of encrypted files for this test alone, for tests that look into it."""
    settings.CITOYEN_FILES_DIR = tmp_path / "chiffres"
    return settings.CITOYEN_FILES_DIR


@pytest.fixture
def receiver(settings):
    """A webhook receiver (factories.Receiver) answering 200, that webhooks may call (http and
    loopback allowed)."""
    settings.DEMARCHES_WEBHOOK_ALLOW_HTTP = True
    settings.DEMARCHES_WEBHOOK_ALLOW_PRIVATE = True
    server = Receiver()
    yield server
    server.close()


@pytest.fixture(scope="session")
def _signing_bundle(tmp_path_factory) -> Path:
    """One platform signing pair for the run's documents, made as the platform makes it."""
    from socle.demarches.documents import _signing_pair_create

    bundle = tmp_path_factory.mktemp("signature") / "documents.pem"
    _signing_pair_create(bundle)
    return bundle


@pytest.fixture
def documents_env(settings, tmp_path, _signing_bundle) -> Path:
    """Documents signed with the run's pair; the data folder (where the platform would make its
    own pair) is the test's, and returned."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DEMARCHES_SIGNING_KEY_FILE = str(_signing_bundle)
    settings.DEMARCHES_SIGNING_CERT_FILE = str(_signing_bundle)
    return settings.DATA_DIR
