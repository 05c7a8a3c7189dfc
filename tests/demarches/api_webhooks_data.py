"""Test data of the API and webhook tests (the lead moves it to shared factories): a procedure
with a published version, filed dossiers, API keys, and a real HTTP receiver on loopback."""

from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from socle.api.services import api_key_create
from socle.citoyen.chiffrement import fichier_store
from socle.demarches import workflow
from socle.demarches.models import DEPOSE, Demarche, DemarcheVersion, Dossier, PieceJointe
from socle.demarches.services import reference_new
from socle.membres.services import membre_update
from socle.territoires.models import Competence

FORMULAIRE = {
    "pages": [
        {
            "titre": "Vous",
            "champs": [
                {"cle": "nom", "type": "texte", "libelle": "Nom", "obligatoire": True},
                {"cle": "email", "type": "email", "libelle": "Courriel"},
            ],
        }
    ]
}


def demarches_on(membre):
    """Switch the démarches on for the member."""
    if "demarches" not in membre.modules:
        membre_update(
            acting_user=None,
            membre=membre,
            couleur=membre.couleur,
            modules=[*membre.modules, "demarches"],
            hostname=membre.hostname,
        )
        membre.refresh_from_db()
    return membre


def make_demarche(membre, slug: str = "cantine") -> Demarche:
    """A published procedure of the member (version 1, the default workflow)."""
    demarches_on(membre)
    demarche = Demarche.objects.create(
        membre=membre,
        slug=slug,
        titre=f"Inscription {slug}",
        competence=Competence.objects.order_by("pk").first(),
        formulaire=FORMULAIRE,
        workflow=workflow.default_workflow(),
        etat=Demarche.Etat.PUBLIEE,
        version=1,
        publiee_le=timezone.now(),
    )
    DemarcheVersion.objects.create(
        demarche=demarche,
        numero=1,
        titre=demarche.titre,
        formulaire=FORMULAIRE,
        workflow=workflow.default_workflow(),
    )
    return demarche


def make_dossier(demarche, *, usager=None, statut: str = DEPOSE, depose_le=None, **fields):
    """A dossier of the procedure, filed unless `statut` is brouillon."""
    filed = statut != "brouillon"
    return Dossier.objects.create(
        reference=reference_new(),
        demarche=demarche,
        version=demarche.versions.get(numero=demarche.version),
        membre=demarche.membre,
        usager=usager,
        usager_nom="Camille Dupont" if usager is not None else "",
        statut=statut,
        donnees={"nom": "Dupont", "email": "camille.dupont@example.fr"},
        depose_le=(depose_le or timezone.now() - timedelta(hours=1)) if filed else None,
        **fields,
    )


def make_piece(dossier, content: bytes = b"%PDF-1.4 justificatif", nom: str = "avis.pdf"):
    fichier = fichier_store(
        content=content, nom=nom, type_mime="application/pdf", proprietaire=dossier.usager
    )
    return PieceJointe.objects.create(dossier=dossier, fichier=fichier, champ="justificatif")


def make_key(membre, *, scopes=("demarches.lire",), acting_user=None):
    """(key, plaintext) made by `acting_user` (None: the platform, a key nobody answers for)."""
    return api_key_create(
        acting_user=acting_user,
        membre=membre,
        name="Logiciel métier",
        scopes=list(scopes),
        rate_per_minute=1000,
    )


def bearer(plaintext: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


class Receiver:
    """A real HTTP server on 127.0.0.1 that keeps every POST and answers the statuses given in
    turn (the last one repeats)."""

    def __init__(self, statuses=(200,)):
        self.statuses = list(statuses)
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.received.append((dict(self.headers.items()), body))
                index = min(len(receiver.received), len(receiver.statuses)) - 1
                self.send_response(receiver.statuses[index])
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/socle/webhook?x=1"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    """A receiver answering 200, that webhooks may call (http, loopback allowed)."""
    settings.DEMARCHES_WEBHOOK_ALLOW_HTTP = True
    settings.DEMARCHES_WEBHOOK_ALLOW_PRIVATE = True
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def files_dir(settings, tmp_path):
    settings.CITOYEN_FILES_DIR = tmp_path / "chiffres"
    return settings.CITOYEN_FILES_DIR
