"""Documents are encrypted at rest: unreadable on disk, tamper-evident, keys rotated."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from socle.citoyen.chiffrement import FichierIllisible, fichier_read, files_dir
from socle.citoyen.models import FichierChiffre
from tests.citoyen.helpers import PDF, add_piece

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def _on_disk(fichier: FichierChiffre) -> bytes:
    return (files_dir() / fichier.chemin).read_bytes()


def test_it_keeps_no_clear_byte_on_disk(citizen):
    piece = add_piece(citizen)
    raw = _on_disk(piece.fichier)
    assert raw.startswith(b"SOCLE-AEAD-1")
    assert b"%PDF" not in raw
    assert b"Camille" not in raw and b"rue des Lilas" not in raw
    assert PDF[20:60] not in raw
    assert fichier_read(piece.fichier) == PDF
    assert piece.fichier.taille == len(PDF)


def test_it_refuses_an_altered_ciphertext(citizen):
    piece = add_piece(citizen)
    path = files_dir() / piece.fichier.chemin
    raw = bytearray(path.read_bytes())
    raw[-5] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(FichierIllisible):
        fichier_read(piece.fichier)


def test_it_refuses_a_ciphertext_moved_to_another_files_place(citizen):
    first, second = add_piece(citizen), add_piece(citizen)
    (files_dir() / second.fichier.chemin).write_bytes(_on_disk(first.fichier))
    with pytest.raises(FichierIllisible):
        fichier_read(second.fichier)


def test_it_reads_old_files_after_a_new_key_and_rotates_them_to_it(citizen, settings):
    settings.SOCLE_ENCRYPTION_KEY = OLD_KEY
    piece = add_piece(citizen)
    before = _on_disk(piece.fichier)

    settings.SOCLE_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    assert fichier_read(piece.fichier) == PDF
    settings.SOCLE_ENCRYPTION_KEY = NEW_KEY
    with pytest.raises(FichierIllisible):
        fichier_read(piece.fichier)

    settings.SOCLE_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    out = io.StringIO()
    call_command("citoyen", "cles", "--rotation", stdout=out)
    assert "1 clé(s) de fichier rechiffrée(s)" in out.getvalue()

    settings.SOCLE_ENCRYPTION_KEY = NEW_KEY
    fichier = FichierChiffre.objects.get(pk=piece.fichier.pk)
    assert Fernet(NEW_KEY.encode()).decrypt(fichier.cle_chiffree.encode())
    assert fichier_read(fichier) == PDF
    # The file itself was not rewritten: only its data key was re-wrapped.
    assert _on_disk(fichier) == before
