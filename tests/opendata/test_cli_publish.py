"""`socle opendata publish` and `socle opendata schemas`: a structure publishes for its members
from a script; the exit code and the French report say what happened."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from socle.opendata.models import Jeu, Version
from socle.opendata.services import jeu_create

EXAMPLES = Path(__file__).resolve().parents[2] / "socle" / "opendata" / "schemas" / "subventions"
VALIDE = str(EXAMPLES / "exemple_valide.csv")
INVALIDE = str(EXAMPLES / "exemple_invalide_erreurs_cellules.csv")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _publish(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("opendata", "publish", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_declares_the_dataset_then_publishes_new_versions(demo_members):
    out, _err = _publish("--collectivite", "33318", "--schema", "scdl/subventions", VALIDE)
    assert out.strip() == "Publié : pessac / subventions, version 1 (29 lignes)."
    jeu = Jeu.objects.get(membre=demo_members.pessac)
    assert (jeu.titre, jeu.schema) == ("Subventions", "scdl/subventions")
    # The member's slug works too; the same dataset gets its next version.
    out, _err = _publish("--collectivite", "pessac", "--schema", "scdl/subventions", VALIDE)
    assert "version 2" in out
    assert Jeu.objects.filter(membre=demo_members.pessac).count() == 1


def test_it_publishes_into_the_dataset_named_with_the_title_given(demo_members):
    out, _err = _publish(
        "--collectivite",
        "pessac",
        "--schema",
        "scdl/subventions",
        "--jeu",
        "aides-2024",
        "--titre",
        "Aides aux associations 2024",
        VALIDE,
    )
    assert "pessac / aides-2024, version 1" in out
    assert Jeu.objects.get(slug="aides-2024").titre == "Aides aux associations 2024"


def test_it_prints_the_french_report_and_exits_1_when_refused(demo_members):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "opendata",
            "publish",
            "--collectivite",
            "33318",
            "--schema",
            "scdl/subventions",
            INVALIDE,
            stdout=io.StringIO(),
            stderr=err,
        )
    assert exited.value.code == 1
    report = err.getvalue()
    assert report.startswith("Fichier refusé : ")
    assert "[ligne 2, colonne « pourcentageSubvention »] Valeur trop grande" in report
    # Nothing half-published: not even the dataset declared for it.
    assert not Jeu.objects.exists() and not Version.objects.exists()


def test_it_refuses_an_unknown_member_schema_or_an_ambiguous_dataset(demo_members):
    with pytest.raises(CommandError, match="Aucun membre n’a le code ou l’adresse « 99999 »"):
        _publish("--collectivite", "99999", "--schema", "scdl/subventions", VALIDE)
    with pytest.raises(CommandError, match="Schéma inconnu : scdl/inconnu"):
        _publish("--collectivite", "pessac", "--schema", "scdl/inconnu", VALIDE)
    for titre in ("Subventions 2023", "Subventions 2024"):
        jeu_create(
            acting_user=None,
            membre=demo_members.pessac,
            titre=titre,
            schema="scdl/subventions",
        )
    with pytest.raises(CommandError, match="plusieurs jeux de ce schéma"):
        _publish("--collectivite", "pessac", "--schema", "scdl/subventions", VALIDE)


def test_it_lists_the_shipped_schemas(db):
    out = io.StringIO()
    call_command("opendata", "schemas", stdout=out)
    lines = out.getvalue().splitlines()
    assert "scdl/subventions\t2.1.1\tSubventions" in lines
    assert {line.split("\t")[0] for line in lines} >= {
        "scdl/deliberations",
        "scdl/budget",
        "scdl/prenoms",
        "scdl/equipements",
        "scdl/catalogue",
        "etalab/schema-irve-statique",
        "lieux-mediation-numerique",
    }


MEMBER = """
from socle.membres.models import Membre
from socle.territoires.models import Collectivite
pessac = Collectivite.objects.create(kind="commune", code="33318", nom="Pessac")
Membre.objects.create(collectivite=pessac, slug="pessac", modules=["opendata"])
"""


def test_it_exits_0_1_or_2_from_the_command_line(tmp_path):
    """The real `socle` program, on its own SQLite database in a temporary directory."""
    socle = Path(sys.executable).with_name("socle")
    env = {
        **os.environ,
        "SOCLE_DATA_DIR": str(tmp_path),
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "socle.settings",
    }
    env.pop("DATABASE_URL", None)

    def run(*args):
        return subprocess.run(  # noqa: S603 - our own program
            [str(socle), *args], env=env, capture_output=True, text=True, timeout=300
        )

    assert run("migrate", "--verbosity", "0").returncode == 0
    assert run("shell", "-c", MEMBER).returncode == 0
    publish = ("opendata", "publish", "--collectivite", "33318", "--schema", "scdl/subventions")
    published = run(*publish, VALIDE)
    assert (published.returncode, published.stdout.strip()) == (
        0,
        "Publié : pessac / subventions, version 1 (29 lignes).",
    )
    refused = run(*publish, INVALIDE)
    assert refused.returncode == 1
    assert refused.stderr.startswith("Fichier refusé : ")
    assert "Format Invalide : La valeur n'est pas conforme au format Siret." in refused.stderr
    unknown = run("opendata", "publish", "--collectivite", "0", "--schema", "x", VALIDE)
    assert unknown.returncode == 2
