"""Test data of the instruction tests: a published procedure of Pessac and its dossiers.

Each test module declares two small fixtures on these helpers::

    @pytest.fixture(autouse=True)
    def _isolated(settings, tmp_path, monkeypatch):
        data.isolate(settings, tmp_path, monkeypatch)

    @pytest.fixture
    def dossier_factory(demo_members):
        return data.DossierFactory(demo_members)

TODO(merge): the lead folds them into the module's conftest with the other parts' fixtures.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from socle.demarches import services
from socle.demarches import workflow as wf
from socle.demarches.models import DEPOSE, Demarche, DemarcheVersion, Dossier
from socle.territoires.models import Competence

FORMULAIRE = {
    "pages": [
        {
            "titre": "Vous",
            "champs": [
                {"cle": "nom", "type": "texte", "libelle": "Nom", "obligatoire": True},
                {"cle": "quotient", "type": "nombre", "libelle": "Quotient familial"},
                {"cle": "justificatif", "type": "fichier", "libelle": "Justificatif"},
                {
                    "cle": "enfants",
                    "type": "bloc",
                    "libelle": "Enfants",
                    "champs": [{"cle": "prenom", "type": "texte", "libelle": "Prénom"}],
                },
            ],
        }
    ]
}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def isolate(settings, tmp_path, monkeypatch) -> None:
    """Encrypted files in a throwaway folder."""
    settings.CITOYEN_FILES_DIR = tmp_path / "chiffres"


class DossierFactory:
    """Make filed dossiers of Pessac (service « Propreté et espaces verts », Anne's), or as
    asked; the first call publishes the procedure."""

    def __init__(self, demo_members):
        self.pessac = demo_members.pessac
        self.state: dict = {}

    def procedure(self, membre=None) -> Demarche:
        membre = membre or self.pessac
        if membre.pk not in self.state:
            workflow = wf.default_workflow()
            demarche = Demarche.objects.create(
                membre=membre,
                slug="inscription-cantine",
                titre="Inscription à la cantine",
                competence=Competence.objects.order_by("pk").first(),
                formulaire=FORMULAIRE,
                workflow=workflow,
                retention_mois=12,
                etat=Demarche.Etat.PUBLIEE,
                version=1,
                publiee_le=timezone.now(),
            )
            version = DemarcheVersion.objects.create(
                demarche=demarche,
                numero=1,
                titre=demarche.titre,
                formulaire=FORMULAIRE,
                workflow=workflow,
            )
            self.state[membre.pk] = (demarche, version)
        return self.state[membre.pk][0]

    def __call__(
        self,
        *,
        usager=None,
        membre=None,
        service="Propreté et espaces verts",
        statut=DEPOSE,
        nom="Camille Martin",
        donnees=None,
        depose_le=None,
    ) -> Dossier:
        membre = membre or self.pessac
        demarche = self.procedure(membre)
        version = self.state[membre.pk][1]
        now = timezone.now()
        return Dossier.objects.create(
            reference=services.reference_new(),
            demarche=demarche,
            version=version,
            membre=membre,
            service=membre.services.get(nom=service) if isinstance(service, str) else service,
            usager=usager,
            usager_nom=nom,
            statut=statut,
            donnees=donnees if donnees is not None else {"nom": nom, "quotient": 640},
            depose_le=depose_le or (None if statut == "brouillon" else now - timedelta(hours=1)),
        )
