"""Publishing an uploaded file: all or nothing. A refused file (unreadable, invalid, or one
whose storing fails) leaves no version, no row and no file, and the last valid version online;
versions are numbered one after the other."""

import contextlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage

from socle.opendata.models import Jeu, Ligne, Version
from socle.opendata.selectors import version_courante
from socle.opendata.services import PublicationRefusee, jeu_create, version_publish

EXAMPLES = Path(__file__).resolve().parents[2] / "socle" / "opendata" / "schemas" / "subventions"
VALIDE = (EXAMPLES / "exemple_valide.csv").read_bytes()
INVALIDE = (EXAMPLES / "exemple_invalide_erreurs_cellules.csv").read_bytes()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def jeu(demo_members, admin_pessac, media):
    return jeu_create(
        acting_user=admin_pessac,
        membre=demo_members.pessac,
        titre="Subventions versées",
        schema="scdl/subventions",
    )


@pytest.fixture
def libre(demo_members, admin_pessac, media):
    """A dataset without a schema: only reading checks apply."""
    return jeu_create(acting_user=admin_pessac, membre=demo_members.pessac, titre="Arbres")


def _files(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def test_it_stores_the_normalised_file_and_its_rows(libre, admin_pessac, media):
    contenu = "espèce;quartier\r\nChêne;Saige\r\nÉrable;Cap de Bos\r\n".encode("cp1252")
    version = version_publish(acting_user=admin_pessac, jeu=libre, contenu=contenu, nom="a.csv")
    with version.fichier.open("rb") as handle:
        assert handle.read().decode("utf-8") == "espèce,quartier\nChêne,Saige\nÉrable,Cap de Bos\n"
    assert _files(media) == ["opendata/versions/pessac-arbres-v1.csv"]
    assert version.colonnes == ["espèce", "quartier"] and version.nb_lignes == 2
    assert [ligne.donnees for ligne in Ligne.objects.filter(version=version)] == [
        {"espèce": "Chêne", "quartier": "Saige"},
        {"espèce": "Érable", "quartier": "Cap de Bos"},
    ]
    # What the reading decided is kept with the version.
    assert "Windows-1252" in version.rapport["avertissements"][0]


def test_it_refuses_an_unreadable_file_with_a_report(libre, admin_pessac, media):
    with pytest.raises(PublicationRefusee) as refused:
        version_publish(acting_user=admin_pessac, jeu=libre, contenu=b"a;a\n1;2\n", nom="d.csv")
    assert refused.value.rapport.texte() == (
        "Fichier refusé : 1 erreur.\n- L’en-tête nomme plusieurs fois la même colonne : « a »."
    )
    assert not Version.objects.exists() and _files(media) == []


def test_it_refuses_a_file_over_the_limit(libre, admin_pessac, settings):
    settings.OPENDATA_MAX_BYTES = 10
    with pytest.raises(PublicationRefusee) as refused:
        version_publish(acting_user=admin_pessac, jeu=libre, contenu=b"a\n" * 6, nom="g.csv")
    assert "la limite est de 10 octets" in refused.value.rapport.texte()


def test_it_keeps_the_last_valid_version_online_when_a_new_one_is_refused(jeu, admin_pessac, media):
    first = version_publish(acting_user=admin_pessac, jeu=jeu, contenu=VALIDE, nom="v.csv")
    published_at = Jeu.objects.get(pk=jeu.pk).modifie_le
    with pytest.raises(PublicationRefusee):
        version_publish(acting_user=admin_pessac, jeu=jeu, contenu=INVALIDE, nom="i.csv")
    assert version_courante(jeu) == first
    assert Jeu.objects.get(pk=jeu.pk).modifie_le == published_at
    assert Ligne.objects.count() == 29
    assert _files(media) == ["opendata/versions/pessac-subventions-versees-v1.csv"]


def test_it_numbers_versions_one_after_the_other_refusals_taking_no_number(jeu, admin_pessac):
    numbers = []
    for contenu in (VALIDE, INVALIDE, VALIDE, INVALIDE, VALIDE):
        with contextlib.suppress(PublicationRefusee):
            numbers.append(
                version_publish(acting_user=admin_pessac, jeu=jeu, contenu=contenu).numero
            )
    assert numbers == [1, 2, 3]
    assert list(Version.objects.filter(jeu=jeu).values_list("numero", flat=True)) == [3, 2, 1]
    assert Ligne.objects.count() == 3 * 29


def test_it_writes_nothing_when_the_file_cannot_be_stored(jeu, admin_pessac, media, monkeypatch):
    def full_disk(self, name, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full_disk)
    with pytest.raises(OSError, match="No space left"):
        version_publish(acting_user=admin_pessac, jeu=jeu, contenu=VALIDE, nom="v.csv")
    assert not Version.objects.exists() and not Ligne.objects.exists()
    assert Jeu.objects.get(pk=jeu.pk).modifie_le is None
    assert _files(media) == []


def test_it_deletes_the_stored_file_when_the_transaction_fails_after_it(
    jeu, admin_pessac, media, monkeypatch
):
    # The last write after the file is stored: the version's file name. A database that
    # refuses it rolls everything back, and the file goes with it.
    real_save = Version.save

    def refused_update(self, *args, **kwargs):
        if kwargs.get("update_fields") == ["fichier"]:
            raise RuntimeError("database gone")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Version, "save", refused_update)
    with pytest.raises(RuntimeError):
        version_publish(acting_user=admin_pessac, jeu=jeu, contenu=VALIDE, nom="v.csv")
    assert not Version.objects.exists() and not Ligne.objects.exists()
    assert _files(media) == []


def test_it_lets_only_who_may_publish(jeu, demo_members):
    with pytest.raises(PermissionDenied):
        version_publish(acting_user=demo_members.agent_pessac, jeu=jeu, contenu=VALIDE)
    assert not Version.objects.exists()


def test_it_publishes_for_the_platform_itself(jeu):
    version = version_publish(acting_user=None, jeu=jeu, contenu=VALIDE, nom="v.csv")
    assert version.numero == 1 and version.publie_par is None
