"""Test data of the démarches tests, as plain functions and classes.

The tests take them through the fixtures of conftest.py (`demarche_factory`, `dossier_factory`,
`receiver`, `documents_env`); what is not a fixture is imported from here: an API key
(`make_key`, `bearer`), a small PDF (`PDF`), a PDF reader (`pdf_reader`).
"""

from __future__ import annotations

import io
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.utils import timezone

from socle.api.services import api_key_create
from socle.demarches import configuration
from socle.demarches import workflow as wf
from socle.demarches.codes import reference_new
from socle.demarches.models import BROUILLON, DEPOSE, Demarche, Dossier
from socle.demarches.services import piece_jointe_add
from socle.territoires.models import Competence

# The form of a procedure unless a test gives its own: text, e-mail, number, file and a block.
FORMULAIRE = {
    "pages": [
        {
            "titre": "Vous",
            "champs": [
                {"cle": "nom", "type": "texte", "libelle": "Nom", "obligatoire": True},
                {"cle": "email", "type": "email", "libelle": "Courriel"},
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

# A small PDF that the upload checks accept.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_demarche(
    membre,
    formulaire: dict | None = None,
    workflow: dict | None = None,
    *,
    titre: str = "Inscription à la cantine",
    slug: str | None = None,
    competence: str = "proprete",
    retention_mois: int | None = None,
) -> Demarche:
    """A published procedure of the member (its version 1), made as an administrator makes it:
    created, given its form and workflow, published (which checks both).

    `slug` defaults to the one made from the title (another one if taken); `competence` is a
    code (« proprete »: Pessac's « Propreté et espaces verts », Anne's service)."""
    demarche = configuration.demarche_create(
        acting_user=None,
        membre=membre,
        titre=titre,
        resume="Une démarche de test.",
        competence=Competence.objects.get(code=competence),
    )
    # The form and workflow whole, rather than one builder operation at a time.
    changes = {
        "formulaire": formulaire or FORMULAIRE,
        "workflow": workflow or wf.default_workflow(),
    }
    if slug is not None:
        changes["slug"] = slug
    if retention_mois is not None:
        changes["retention_mois"] = retention_mois
    Demarche.objects.filter(pk=demarche.pk).update(**changes)
    demarche.refresh_from_db()
    configuration.demarche_publish(acting_user=None, demarche=demarche)
    demarche.refresh_from_db()
    return demarche


# `service` of make_dossier when not given: the member's service of the procedure's competence.
ROUTED = object()


def make_dossier(
    demarche: Demarche,
    *,
    usager=None,
    statut: str = DEPOSE,
    service=ROUTED,
    nom: str = "Camille Dupont",
    donnees: dict | None = None,
    pieces: dict[str, tuple[str, bytes]] | None = None,
    depose_le=None,
    **fields,
) -> Dossier:
    """A dossier of the procedure's current version, filed an hour ago unless `statut` is
    brouillon (a row: no receipt, mail or history, which the filing tests make through depot).

    `usager` None is a dossier without an account; `service` is a Service, its name or None;
    `donnees` the answers (by default the name and a quotient); `pieces` attaches files as the
    answers of file fields, ``{"justificatif": ("avis.pdf", content)}``; `fields` are the
    Dossier's other columns (assigne_a…)."""
    membre = demarche.membre
    if service is ROUTED:
        service = membre.services.filter(competences=demarche.competence).order_by("pk").first()
    elif isinstance(service, str):
        service = membre.services.get(nom=service)
    filed = None if statut == BROUILLON else (depose_le or timezone.now() - timedelta(hours=1))
    # A filed row as if its filing had been completed (receipt, mails) by the worker too.
    fields.setdefault("depot_traite_le", filed)
    dossier = Dossier.objects.create(
        reference=reference_new(),
        demarche=demarche,
        version=demarche.versions.get(numero=demarche.version),
        membre=membre,
        service=service,
        usager=usager,
        usager_nom=nom,
        statut=statut,
        donnees=dict(donnees) if donnees is not None else {"nom": nom, "quotient": 640},
        depose_le=filed,
        **fields,
    )
    if pieces:
        for champ, (nom_fichier, content) in pieces.items():
            piece = piece_jointe_add(
                dossier=dossier,
                content=content,
                nom=nom_fichier,
                type_mime="application/pdf",
                champ=champ,
            )
            dossier.donnees[champ] = {"piece_jointe": piece.pk, "nom": nom_fichier}
        dossier.save(update_fields=["donnees"])
    return dossier


class DossierFactory:
    """`dossier_factory(demarche=None, *, membre=None, **make_dossier's)`: a dossier of the
    procedure given, or of the member's default procedure (Pessac's unless `membre`), published
    at its first use in the test; `procedure(membre=None)` returns that procedure."""

    def __init__(self, membre):
        self.membre = membre
        self.procedures: dict[int, Demarche] = {}

    def procedure(self, membre=None) -> Demarche:
        membre = membre or self.membre
        if membre.pk not in self.procedures:
            self.procedures[membre.pk] = make_demarche(membre)
        return self.procedures[membre.pk]

    def __call__(self, demarche: Demarche | None = None, *, membre=None, **fields) -> Dossier:
        return make_dossier(demarche or self.procedure(membre), **fields)


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
    """The client's keyword arguments that send the key."""
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


def pdf_reader(content: bytes):
    """pyHanko's reader of a PDF's bytes."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(content))
