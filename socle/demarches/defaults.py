"""The procedure templates shipped with Socle (``socle/demarches/modeles/*.json``), published
for the structure to offer its members: ``modeles_defaults_ensure()`` writes them where missing.

A seed file holds a template's code, title, summary, description (Markdown), competence code,
retention (months) and form; its workflow is ``workflow.default_workflow()``, plus the statuses
and transitions of ``workflow_ajouts`` when it has them. Prices and schools in the seeds are
samples, marked as such, for each collectivité to replace.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from socle.demarches import formulaire as fm
from socle.demarches import workflow as wf
from socle.demarches.models import Demarche, Modele, ModeleVersion
from socle.territoires.models import Competence

SEEDS_DIR = Path(__file__).resolve().parent / "modeles"
# The note of a version Socle wrote: a template whose versions all carry it is Socle's own.
SHIPPED_NOTE = "Version fournie avec Socle."


def seed_files() -> list[Path]:
    """Return the seed files, by name."""
    return sorted(SEEDS_DIR.glob("*.json"))


def seed_load(path: Path) -> dict[str, Any]:
    """Return a seed as the template's fields, its form and workflow checked (raises
    ValidationError on a broken seed)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    workflow = wf.default_workflow()
    extra = raw.get("workflow_ajouts") or {}
    statuts = workflow["statuts"]
    first_final = next(i for i, s in enumerate(statuts) if s["final"])
    for status in extra.get("statuts") or []:
        statuts.insert(len(statuts) if status.get("final") else first_final, status)
        first_final += 0 if status.get("final") else 1
    workflow["transitions"].extend(extra.get("transitions") or [])
    return {
        "code": raw["code"],
        "titre": raw["titre"],
        "resume": raw.get("resume", ""),
        "description": raw.get("description", ""),
        "competence": raw["competence"],
        "retention_mois": int(raw.get("retention_mois", 60)),
        "formulaire": fm.schema_check(raw["formulaire"]),
        "workflow": wf.workflow_check(workflow),
    }


def _content(source: Any) -> tuple:
    return (
        source.titre,
        source.resume,
        source.description,
        source.retention_mois,
        source.formulaire,
        source.workflow,
    )


def _competence(code: str) -> Competence:
    found = Competence.objects.filter(code=code).first()
    if found is None:
        # A database emptied by a test's flush: the catalogue first.
        from socle.territoires.services import competence_catalogue_sync

        competence_catalogue_sync()
        found = Competence.objects.get(code=code)
    return found


@transaction.atomic
def modeles_defaults_ensure() -> dict[str, str]:
    """Create the shipped templates where missing, published as version 1; bring a shipped
    template the structure never touched up to date with its seed (in place while no member
    adopted it, else as a new version). A template the structure edited or published is left
    alone. Return {code: "cree" | "mis_a_jour" | "inchange" | "garde"}."""
    done: dict[str, str] = {}
    now = timezone.now()
    for path in seed_files():
        seed = seed_load(path)
        competence = _competence(seed.pop("competence"))
        code = seed.pop("code")
        modele = Modele.objects.select_for_update().filter(code=code).first()
        if modele is None:
            modele = Modele.objects.create(
                code=code, competence=competence, version=1, publie_le=now, modifie_le=now, **seed
            )
            ModeleVersion.objects.create(
                modele=modele, numero=1, note=SHIPPED_NOTE, publie_le=now, **copy.deepcopy(seed)
            )
            done[code] = "cree"
            continue
        versions = list(modele.versions.order_by("numero"))
        latest = versions[-1] if versions else None
        ours = (
            latest is not None
            and all(v.note == SHIPPED_NOTE for v in versions)
            and _content(modele) == _content(latest)
        )
        if not ours or latest is None:
            done[code] = "garde"
            continue
        wanted = (
            seed["titre"],
            seed["resume"],
            seed["description"],
            seed["retention_mois"],
            seed["formulaire"],
            seed["workflow"],
        )
        if _content(latest) == wanted:
            done[code] = "inchange"
            continue
        for key, value in seed.items():
            setattr(modele, key, copy.deepcopy(value))
        modele.competence = competence
        modele.modifie_le = now
        if Demarche.objects.filter(modele=modele).exists():
            # Members adopted it: a new version, offered to them as a template update.
            ModeleVersion.objects.create(
                modele=modele,
                numero=latest.numero + 1,
                note=SHIPPED_NOTE,
                publie_le=now,
                **copy.deepcopy(seed),
            )
            modele.version = latest.numero + 1
        else:
            for key, value in seed.items():
                setattr(latest, key, copy.deepcopy(value))
            latest.publie_le = now
            latest.save(update_fields=[*seed, "publie_le"])
        modele.publie_le = now
        modele.save(update_fields=[*seed, "competence", "modifie_le", "version", "publie_le"])
        done[code] = "mis_a_jour"
    return done
