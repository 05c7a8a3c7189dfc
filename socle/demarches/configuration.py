"""Configuring procedures: a member's procedures (create, adapt, publish, close), the structure's
templates (edit, publish), adopting a template and taking in its later versions.

The form builder and the workflow editor are pure functions: they take the schema (or the
workflow) as a dict and return the new, checked one (``formulaire.schema_check``,
``workflow.workflow_check``). ``formulaire_edit`` and ``workflow_edit`` are the one service that
runs them on either a member's procedure (``Demarche``) or a structure's template (``Modele``).

Template updates are three-way, part by part (title, summary, description, retention, the pages
— known by their key, else by the fields they hold — their order, title and text, each field by
its key path and the page it is on, each workflow status and transition): the template version
the copy was aligned with is the base; what the copy did not change since follows the template
(changed, added, moved or removed there); what the copy changed is kept and listed.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from socle.demarches import formulaire as fm
from socle.demarches import workflow as wf
from socle.demarches.models import Demarche, DemarcheVersion, Modele, ModeleVersion
from socle.demarches.selectors import demarches_on
from socle.membres.models import Membre, Service
from socle.membres.permissions import permission_check
from socle.membres.services import audit_record
from socle.territoires.models import Competence

Cible = Demarche | Modele
RETENTION_MAX = 360
# Template codes the structure's pages use as addresses.
RESERVED_MODELE_CODES = {"nouveau", "fournis"}
SLUG_MAX = 80

# Keys a field keeps, by type, after the common ones (anything else the form sends is dropped).
COMMON_KEYS = ("cle", "type", "libelle", "aide", "obligatoire", "condition", "prerempli")
TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "titre_section": (),
    "texte_explicatif": ("texte",),
    "texte": ("longueur_max", "motif", "motif_message"),
    "texte_long": ("longueur_max",),
    "nombre": ("min", "max", "decimales"),
    "date": ("min", "max"),
    "choix_unique": ("choix",),
    "liste": ("choix",),
    "choix_multiple": ("choix", "min_choix", "max_choix"),
    "fichier": ("formats", "taille_max_mo", "piece_type"),
    "bloc": ("champs", "min_repetitions", "max_repetitions", "libelle_element"),
}


# --- The form builder: schema in, checked schema out -------------------------------------------


def _error(key: str, message: str) -> ValidationError:
    return ValidationError({key: [message]})


def _pages(schema: dict[str, Any]) -> list[dict[str, Any]]:
    pages = schema.setdefault("pages", [])
    if not isinstance(pages, list):
        raise _error("formulaire", _("Le formulaire est mal formé."))
    return pages


def _page(schema: dict[str, Any], page: int) -> dict[str, Any]:
    pages = _pages(schema)
    if not 0 <= page < len(pages):
        raise _error("page", _("Cette page n’existe pas."))
    return pages[page]


def _container(schema: dict[str, Any], page: int, bloc: str = "") -> list[dict[str, Any]]:
    """Return the list of fields of a page, or of a repeated block on that page."""
    champs = _page(schema, page).setdefault("champs", [])
    if not bloc:
        return champs
    for champ in champs:
        if champ.get("cle") == bloc and champ.get("type") == "bloc":
            return champ.setdefault("champs", [])
    raise _error("bloc", _("Ce bloc répété n’existe pas sur cette page."))


def split_path(chemin: str) -> tuple[str, str]:
    """Return (bloc key, field key) of a field's key path ("cle" or "bloc.cle")."""
    parts = (chemin or "").split(".")
    if len(parts) == 1 and parts[0]:
        return "", parts[0]
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1]
    raise _error("chemin", _("Ce champ n’existe pas."))


def _find(schema: dict[str, Any], page: int, chemin: str) -> tuple[list[dict[str, Any]], int]:
    bloc, cle = split_path(chemin)
    container = _container(schema, page, bloc)
    for index, champ in enumerate(container):
        if champ.get("cle") == cle:
            return container, index
    raise _error("chemin", _("Ce champ n’existe pas."))


def walk(schema: dict[str, Any]) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """Yield (page index, key path, field) for every field, a block's sub-fields after it."""
    for number, page in enumerate((schema or {}).get("pages") or []):
        for champ in page.get("champs") or []:
            cle = str(champ.get("cle") or "")
            yield number, cle, champ
            if champ.get("type") == "bloc":
                for sub in champ.get("champs") or []:
                    yield number, f"{cle}.{sub.get('cle') or ''}", sub


def condition_target(schema: dict[str, Any], chemin: str, champ: dict[str, Any]) -> str | None:
    """Return the key path a field's condition reads (a sibling in its block first)."""
    condition = champ.get("condition")
    if not isinstance(condition, dict) or not condition.get("champ"):
        return None
    target = str(condition["champ"])
    bloc, _cle = split_path(chemin)
    if bloc:
        siblings = next(
            (
                c.get("champs") or []
                for _n, path, c in walk(schema)
                if path == bloc and c.get("type") == "bloc"
            ),
            [],
        )
        if any(s.get("cle") == target for s in siblings):
            return f"{bloc}.{target}"
    return target


def _users_of(schema: dict[str, Any], removed: set[str]) -> list[str]:
    """Return the labels of the fields, not removed themselves, whose condition reads one of
    the removed key paths."""
    users = []
    for _n, path, champ in walk(schema):
        if path in removed or path.split(".")[0] in removed:
            continue
        if condition_target(schema, path, champ) in removed:
            users.append(str(champ.get("libelle") or path))
    return users


def _refuse_if_used(schema: dict[str, Any], removed: set[str], what: str) -> None:
    users = _users_of(schema, removed)
    if users:
        raise _error(
            "chemin",
            _(
                "%(quoi)s : la condition de « %(champs)s » porte sur ce champ. Retirez d’abord "
                "cette condition."
            )
            % {"quoi": what, "champs": " », « ".join(users)},
        )


def champ_clean(raw: dict[str, Any]) -> dict[str, Any]:
    """Return a field definition with only the keys its type uses, empty options left out."""
    kind = str(raw.get("type") or "")
    cleaned: dict[str, Any] = {}
    for key in (*COMMON_KEYS, *TYPE_KEYS.get(kind, ())):
        value = raw.get(key)
        if key == "obligatoire":
            if value and kind not in fm.LAYOUT_TYPES:
                cleaned[key] = True
            continue
        if value is None or value == "" or value == [] or value == {}:
            continue
        if key == "condition" and not (isinstance(value, dict) and value.get("champ")):
            continue
        cleaned[key] = value
    if kind == "bloc":
        cleaned.setdefault("champs", [])
    return cleaned


def page_key_for(schema: dict[str, Any], titre: str) -> str:
    """Return a new page key made from its title (unique among the form's pages). A page keeps
    it for good: template updates know a page by it, whatever its title or fields become."""
    base = slugify(titre).replace("-", "_")[:40].strip("_") or "page"
    if not base[0].isalpha():
        base = f"p_{base}"
    taken = {p.get("cle") for p in (schema or {}).get("pages") or [] if isinstance(p, dict)}
    cle, number = base, 2
    while cle in taken:
        cle = f"{base}_{number}"
        number += 1
    return cle


def page_add(schema: dict[str, Any], *, titre: str, texte: str = "") -> dict[str, Any]:
    """Add a page at the end, with its stable key."""
    schema = copy.deepcopy(schema or {})
    titre = (titre or "").strip()
    if not titre:
        raise _error("titre", _("Donnez un titre à la page."))
    _pages(schema).append(
        {
            "cle": page_key_for(schema, titre),
            "titre": titre,
            "texte": (texte or "").strip(),
            "champs": [],
        }
    )
    return fm.schema_check(schema)


def page_update(
    schema: dict[str, Any], *, page: int, titre: str, texte: str = ""
) -> dict[str, Any]:
    """Change a page's title and text."""
    schema = copy.deepcopy(schema or {})
    titre = (titre or "").strip()
    if not titre:
        raise _error("titre", _("Donnez un titre à la page."))
    target = _page(schema, page)
    target["titre"] = titre
    target["texte"] = (texte or "").strip()
    return fm.schema_check(schema)


def page_delete(schema: dict[str, Any], *, page: int) -> dict[str, Any]:
    """Delete a page and its fields (not the last page, nor one whose fields others read)."""
    schema = copy.deepcopy(schema or {})
    target = _page(schema, page)
    if len(_pages(schema)) == 1:
        raise _error("page", _("Le formulaire garde au moins une page."))
    removed = {str(c.get("cle") or "") for c in target.get("champs") or []}
    _refuse_if_used(
        schema,
        removed,
        _("La page « %(page)s » ne peut pas être supprimée")
        % {"page": target.get("titre") or page + 1},
    )
    del _pages(schema)[page]
    return fm.schema_check(schema)


def page_move(schema: dict[str, Any], *, page: int, direction: int) -> dict[str, Any]:
    """Move a page up (-1) or down (+1)."""
    schema = copy.deepcopy(schema or {})
    pages = _pages(schema)
    _page(schema, page)
    other = page + (1 if direction > 0 else -1)
    if not 0 <= other < len(pages):
        return fm.schema_check(schema)
    pages[page], pages[other] = pages[other], pages[page]
    return fm.schema_check(schema)


def champ_add(
    schema: dict[str, Any], *, page: int, champ: dict[str, Any], bloc: str = ""
) -> dict[str, Any]:
    """Add a field at the end of a page (or of a repeated block on it)."""
    schema = copy.deepcopy(schema or {})
    champ = champ_clean(champ)
    if bloc and champ.get("type") == "bloc":
        raise _error("type", _("Un bloc répété ne peut pas en contenir un autre."))
    _container(schema, page, bloc).append(champ)
    return fm.schema_check(schema)


def champ_update(
    schema: dict[str, Any], *, page: int, chemin: str, champ: dict[str, Any]
) -> dict[str, Any]:
    """Replace a field's definition (its type stays; a block keeps its sub-fields). A key other
    fields' conditions read cannot change."""
    schema = copy.deepcopy(schema or {})
    container, index = _find(schema, page, chemin)
    old = container[index]
    champ = champ_clean({**champ, "type": old.get("type")})
    if old.get("type") == "bloc":
        champ["champs"] = old.get("champs") or []
    if champ.get("cle") != old.get("cle"):
        _refuse_if_used(
            schema,
            {chemin},
            _("La clé de « %(champ)s » ne peut pas changer")
            % {"champ": old.get("libelle") or chemin},
        )
    container[index] = champ
    return fm.schema_check(schema)


def champ_delete(schema: dict[str, Any], *, page: int, chemin: str) -> dict[str, Any]:
    """Delete a field (a block with its sub-fields), unless another field's condition reads it."""
    schema = copy.deepcopy(schema or {})
    container, index = _find(schema, page, chemin)
    removed = {chemin} | {
        f"{chemin}.{sub.get('cle')}" for sub in container[index].get("champs") or []
    }
    _refuse_if_used(
        schema,
        removed,
        _("Le champ « %(champ)s » ne peut pas être supprimé")
        % {"champ": container[index].get("libelle") or chemin},
    )
    del container[index]
    return fm.schema_check(schema)


def champ_move(schema: dict[str, Any], *, page: int, chemin: str, direction: int) -> dict[str, Any]:
    """Move a field up (-1) or down (+1); a page's first field moves up to the end of the page
    before, its last down to the start of the next (a block's sub-fields stay in it)."""
    schema = copy.deepcopy(schema or {})
    container, index = _find(schema, page, chemin)
    bloc, _cle = split_path(chemin)
    other = index + (1 if direction > 0 else -1)
    if 0 <= other < len(container):
        container[index], container[other] = container[other], container[index]
    elif not bloc:
        pages = _pages(schema)
        target = page + (1 if direction > 0 else -1)
        if 0 <= target < len(pages):
            moved = container.pop(index)
            champs = pages[target].setdefault("champs", [])
            if direction > 0:
                champs.insert(0, moved)
            else:
                champs.append(moved)
    return fm.schema_check(schema)


BUILDER: dict[str, Callable[..., dict[str, Any]]] = {
    "page_add": page_add,
    "page_update": page_update,
    "page_delete": page_delete,
    "page_move": page_move,
    "champ_add": champ_add,
    "champ_update": champ_update,
    "champ_delete": champ_delete,
    "champ_move": champ_move,
}


# --- The workflow editor: workflow in, checked workflow out -----------------------------------


def _statut(workflow: dict[str, Any], code: str) -> dict[str, Any]:
    for status in workflow.get("statuts") or []:
        if status.get("code") == code:
            return status
    raise _error("code", _("Ce statut n’existe pas."))


def status_code_for(workflow: dict[str, Any], libelle: str) -> str:
    """Return a new status code made from its label (unique in the workflow)."""
    base = slugify(libelle).replace("-", "_")[:36] or "statut"
    if not base[0].isalpha():
        base = f"s_{base}"
    taken = {s.get("code") for s in workflow.get("statuts") or []}
    code, number = base, 2
    while code in taken:
        code = f"{base}_{number}"
        number += 1
    return code


def statut_add(workflow: dict[str, Any], *, libelle: str, final: bool = False) -> dict[str, Any]:
    """Add a status of the administrator's own (before the final ones)."""
    workflow = copy.deepcopy(workflow or {})
    libelle = (libelle or "").strip()
    if not libelle:
        raise _error("libelle", _("Donnez un libellé au statut."))
    statuts = workflow.setdefault("statuts", [])
    if any(str(s.get("libelle") or "").lower() == libelle.lower() for s in statuts):
        raise _error("libelle", _("Un statut porte déjà ce libellé."))
    new = {"code": status_code_for(workflow, libelle), "libelle": libelle, "final": bool(final)}
    position = next((i for i, s in enumerate(statuts) if s.get("final")), len(statuts))
    statuts.insert(len(statuts) if final else position, new)
    return wf.workflow_check(workflow)


def statut_update(
    workflow: dict[str, Any], *, code: str, libelle: str, final: bool = False
) -> dict[str, Any]:
    """Rename a status; an administrator's own status may also become final or not."""
    workflow = copy.deepcopy(workflow or {})
    status = _statut(workflow, code)
    libelle = (libelle or "").strip()
    if not libelle:
        raise _error("libelle", _("Donnez un libellé au statut."))
    status["libelle"] = libelle
    if code not in wf.BUILT_IN:
        status["final"] = bool(final)
    return wf.workflow_check(workflow)


def statut_delete(workflow: dict[str, Any], *, code: str) -> dict[str, Any]:
    """Delete an administrator's own status that no transition uses."""
    workflow = copy.deepcopy(workflow or {})
    status = _statut(workflow, code)
    if code in wf.BUILT_IN:
        raise _error("code", _("Les statuts de base ne peuvent pas être supprimés."))
    if any(code in (t.get("de"), t.get("vers")) for t in workflow.get("transitions") or []):
        raise _error(
            "code",
            _("Le statut « %(statut)s » sert dans des transitions : supprimez-les d’abord.")
            % {"statut": status.get("libelle")},
        )
    workflow["statuts"] = [s for s in workflow["statuts"] if s.get("code") != code]
    return wf.workflow_check(workflow)


def transition_set(
    workflow: dict[str, Any],
    *,
    de: str,
    vers: str,
    roles: list[str] | tuple[str, ...],
    libelle: str,
    motif: str = "non",
    courriel_objet: str = "",
    courriel_texte: str = "",
    document: str = "",
) -> dict[str, Any]:
    """Add the move from one status to another, or replace it."""
    workflow = copy.deepcopy(workflow or {})
    errors: dict[str, list[str]] = {}
    if de == vers:
        errors["vers"] = [_("Choisissez un statut d’arrivée différent du statut de départ.")]
    if not (libelle or "").strip():
        errors["libelle"] = [_("Donnez un libellé au bouton de cette transition.")]
    if bool((courriel_objet or "").strip()) != bool((courriel_texte or "").strip()):
        errors["courriel_texte"] = [
            _("Donnez l’objet et le texte du courriel, ou ni l’un ni l’autre (pas de courriel).")
        ]
    if errors:
        raise ValidationError(errors)
    new = {
        "de": de,
        "vers": vers,
        "roles": [r for r in wf.ROLE_CHOICES if r in set(roles or ())],
        "libelle": libelle.strip(),
        "motif": motif or "non",
        "courriel": (
            {"objet": courriel_objet.strip(), "texte": courriel_texte.strip()}
            if (courriel_objet or "").strip()
            else {}
        ),
        "document": document or "",
    }
    found = workflow.setdefault("transitions", [])
    for index, raw in enumerate(found):
        if raw.get("de") == de and raw.get("vers") == vers:
            found[index] = new
            break
    else:
        found.append(new)
    return wf.workflow_check(workflow)


def transition_delete(workflow: dict[str, Any], *, de: str, vers: str) -> dict[str, Any]:
    """Delete a move."""
    workflow = copy.deepcopy(workflow or {})
    before = workflow.get("transitions") or []
    workflow["transitions"] = [t for t in before if (t.get("de"), t.get("vers")) != (de, vers)]
    if len(workflow["transitions"]) == len(before):
        raise _error("vers", _("Cette transition n’existe pas."))
    return wf.workflow_check(workflow)


WORKFLOW_EDITOR: dict[str, Callable[..., dict[str, Any]]] = {
    "statut_add": statut_add,
    "statut_update": statut_update,
    "statut_delete": statut_delete,
    "transition_set": transition_set,
    "transition_delete": transition_delete,
}


# --- Writing on a procedure or a template ------------------------------------------------------


def _permission(acting_user, cible: Cible) -> None:
    if isinstance(cible, Demarche):
        permission_check(acting_user, "demarches.configurer", cible.membre)
    else:
        permission_check(acting_user, "demarches.modeles")


def _audit(acting_user, cible: Cible, action: str, **details: Any) -> None:
    audit_record(
        acting_user=acting_user,
        membre=cible.membre if isinstance(cible, Demarche) else None,
        action=action,
        target=cible,
        details=details,
    )


def _locked(cible: Cible) -> Cible:
    model = type(cible)
    return model.objects.select_for_update().get(pk=cible.pk)  # type: ignore[attr-defined]


def _changed_action(cible: Cible) -> str:
    return "demarche.modification" if isinstance(cible, Demarche) else "modele.modification"


def _edit(acting_user, cible: Cible, operation: str, arguments: dict, *, part: str) -> dict:
    """Run one operation of the form builder (part "formulaire") or the workflow editor (part
    "workflow") on a procedure's or a template's part, save the checked result, return it."""
    registry = BUILDER if part == "formulaire" else WORKFLOW_EDITOR
    if operation not in registry:
        raise _error("operation", _("Opération inconnue."))
    _permission(acting_user, cible)
    locked = _locked(cible)
    new = registry[operation](getattr(locked, part), **arguments)
    setattr(locked, part, new)
    locked.modifie_le = timezone.now()
    locked.save(update_fields=[part, "modifie_le"])
    setattr(cible, part, new)
    cible.modifie_le = locked.modifie_le
    _audit(acting_user, cible, _changed_action(cible), partie=part, operation=operation)
    return new


@transaction.atomic
def formulaire_edit(*, acting_user, cible: Cible, operation: str, **arguments: Any) -> dict:
    """Run one form-builder operation (``BUILDER``) on a procedure's or a template's form and
    save the checked result; return it."""
    return _edit(acting_user, cible, operation, arguments, part="formulaire")


@transaction.atomic
def workflow_edit(*, acting_user, cible: Cible, operation: str, **arguments: Any) -> dict:
    """Run one workflow-editor operation (``WORKFLOW_EDITOR``) on a procedure's or a template's
    workflow and save the checked result; return it."""
    return _edit(acting_user, cible, operation, arguments, part="workflow")


def blank_formulaire() -> dict[str, Any]:
    """Return the form a new procedure starts with: one empty page."""
    return {
        "pages": [{"cle": "votre_demande", "titre": "Votre demande", "texte": "", "champs": []}]
    }


def _slug_free(membre: Membre, wanted: str) -> str:
    base = (slugify(wanted) or "demarche")[: SLUG_MAX - 4].strip("-") or "demarche"
    taken = set(
        Demarche.objects.filter(membre=membre, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _metadata_errors(
    *, titre: str, retention_mois: int | None = None, service: Service | None = None, membre=None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (titre or "").strip():
        errors["titre"] = [_("Donnez un titre à la démarche.")]
    if retention_mois is not None and not 1 <= retention_mois <= RETENTION_MAX:
        errors["retention_mois"] = [
            _("La durée de conservation va de 1 à %(max)d mois.") % {"max": RETENTION_MAX}
        ]
    if service is not None and membre is not None and service.membre_id != membre.pk:
        errors["service"] = [_("Choisissez un service de la collectivité.")]
    return errors


@transaction.atomic
def demarche_create(
    *,
    acting_user,
    membre: Membre,
    titre: str,
    competence: Competence,
    resume: str = "",
    service: Service | None = None,
) -> Demarche:
    """Create a member's own procedure, blank: one page, the default workflow, a draft."""
    permission_check(acting_user, "demarches.configurer", membre)
    errors = _metadata_errors(titre=titre, service=service, membre=membre)
    if errors:
        raise ValidationError(errors)
    demarche = Demarche.objects.create(
        membre=membre,
        slug=_slug_free(membre, titre),
        titre=titre.strip()[:200],
        resume=(resume or "").strip()[:300],
        competence=competence,
        service=service,
        formulaire=blank_formulaire(),
        workflow=wf.default_workflow(),
    )
    _audit(acting_user, demarche, "demarche.creation", slug=demarche.slug)
    return demarche


@transaction.atomic
def demarche_update(
    *,
    acting_user,
    demarche: Demarche,
    titre: str,
    resume: str,
    description: str,
    competence: Competence,
    service: Service | None,
    retention_mois: int,
) -> Demarche:
    """Change a procedure's title, texts, competence, service and retention."""
    permission_check(acting_user, "demarches.configurer", demarche.membre)
    errors = _metadata_errors(
        titre=titre, retention_mois=retention_mois, service=service, membre=demarche.membre
    )
    if errors:
        raise ValidationError(errors)
    demarche = _locked(demarche)  # type: ignore[assignment]
    demarche.titre = titre.strip()[:200]
    demarche.resume = (resume or "").strip()[:300]
    demarche.description = (description or "").strip()
    demarche.competence = competence
    demarche.service = service
    demarche.retention_mois = retention_mois
    demarche.modifie_le = timezone.now()
    demarche.save(
        update_fields=[
            "titre",
            "resume",
            "description",
            "competence",
            "service",
            "retention_mois",
            "modifie_le",
        ]
    )
    _audit(acting_user, demarche, "demarche.modification", partie="presentation")
    return demarche


def demarche_latest_version(demarche: Demarche) -> DemarcheVersion | None:
    """Return the procedure's last published version."""
    return demarche.versions.order_by("-numero").first()


def demarche_unpublished_changes(
    demarche: Demarche, *, latest: DemarcheVersion | None | bool = False
) -> bool:
    """Say whether the procedure's form, workflow or title changed since its last version
    (``latest``: that version, when the caller already read it)."""
    if latest is False:
        latest = demarche_latest_version(demarche)
    if not isinstance(latest, DemarcheVersion):
        return True
    return (latest.titre, latest.formulaire, latest.workflow) != (
        demarche.titre,
        demarche.formulaire,
        demarche.workflow,
    )


_Checked = tuple[dict[str, list[str]], dict[str, Any], dict[str, Any]]


def _checked(schema: dict[str, Any], workflow: dict[str, Any]) -> _Checked:
    """Return every problem of a form and a workflow, by part, with their checked copies."""
    errors: dict[str, list[str]] = {}
    checked_schema: dict[str, Any] = {}
    checked_workflow: dict[str, Any] = {}
    try:
        checked_schema = fm.schema_check(schema)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        checked_workflow = wf.workflow_check(workflow)
    except ValidationError as error:
        errors.update(error.message_dict)
    return errors, checked_schema, checked_workflow


def _check_errors(schema: dict[str, Any], workflow: dict[str, Any]) -> dict[str, list[str]]:
    """Return every problem of a form and a workflow, by part."""
    return _checked(schema, workflow)[0]


def _publishable(schema: dict[str, Any], workflow: dict[str, Any]) -> _Checked:
    """Return what keeps a form and a workflow from being published, with their checked copies."""
    errors, checked_schema, checked_workflow = _checked(schema, workflow)
    if "formulaire" in errors:
        return errors, checked_schema, checked_workflow
    empty = [page for page in fm.pages(schema) if not page.champs]
    if not any(c.a_reponse for c in fm.fields(schema)):
        errors["formulaire"] = [_("Ajoutez au moins un champ à remplir avant de publier.")]
    elif empty:
        errors["formulaire"] = [
            _(
                "La page « %(page)s » n’a aucun champ : ajoutez-en un ou supprimez la page avant "
                "de publier."
            )
            % {"page": page.titre or page.numero + 1}
            for page in empty
        ]
    return errors, checked_schema, checked_workflow


@transaction.atomic
def demarche_publish(*, acting_user, demarche: Demarche) -> DemarcheVersion:
    """Publish a procedure: its form, workflow and title become version N+1 (dossiers already
    filed keep theirs), and citizens can file it. Needs the member's démarches module on."""
    permission_check(acting_user, "demarches.configurer", demarche.membre)
    demarche = _locked(demarche)  # type: ignore[assignment]
    membre = demarche.membre
    if not demarches_on(membre):
        raise _error(
            "etat",
            _(
                "Le module « Démarches en ligne » n’est pas activé pour %(collectivite)s : "
                "activez-le dans les réglages de la collectivité avant de publier."
            )
            % {"collectivite": membre.collectivite.nom},
        )
    errors, formulaire, workflow = _publishable(demarche.formulaire, demarche.workflow)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    latest = demarche_latest_version(demarche)
    if latest is None or demarche_unpublished_changes(demarche, latest=latest):
        latest = DemarcheVersion.objects.create(
            demarche=demarche,
            numero=demarche.version + 1,
            titre=demarche.titre,
            formulaire=formulaire,
            workflow=workflow,
            publiee_le=now,
        )
        demarche.version = latest.numero
    demarche.etat = Demarche.Etat.PUBLIEE
    demarche.publiee_le = now
    demarche.save(update_fields=["version", "etat", "publiee_le"])
    _audit(acting_user, demarche, "demarche.publication", version=latest.numero)
    return latest


@transaction.atomic
def demarche_close(*, acting_user, demarche: Demarche) -> Demarche:
    """Stop offering a procedure; dossiers already filed go on being instructed."""
    permission_check(acting_user, "demarches.configurer", demarche.membre)
    demarche = _locked(demarche)  # type: ignore[assignment]
    if demarche.etat != Demarche.Etat.PUBLIEE:
        raise _error("etat", _("Seule une démarche publiée peut être fermée."))
    demarche.etat = Demarche.Etat.ARCHIVEE
    demarche.save(update_fields=["etat"])
    _audit(acting_user, demarche, "demarche.fermeture", version=demarche.version)
    return demarche


# --- The structure's templates ------------------------------------------------------------------


@transaction.atomic
def modele_create(*, acting_user, code: str, titre: str, competence: Competence) -> Modele:
    """Create a structure's template, blank (one page, the default workflow), unpublished."""
    permission_check(acting_user, "demarches.modeles")
    code = slugify(code or titre)[:SLUG_MAX]
    errors = _metadata_errors(titre=titre)
    if not code:
        errors["code"] = [_("Donnez un code au modèle (lettres, chiffres et tirets).")]
    elif code in RESERVED_MODELE_CODES:
        errors["code"] = [_("Ce code est réservé : choisissez-en un autre.")]
    elif Modele.objects.filter(code=code).exists():
        errors["code"] = [_("Un modèle porte déjà ce code.")]
    if errors:
        raise ValidationError(errors)
    modele = Modele.objects.create(
        code=code,
        titre=titre.strip()[:200],
        competence=competence,
        formulaire=blank_formulaire(),
        workflow=wf.default_workflow(),
    )
    _audit(acting_user, modele, "modele.creation", code=code)
    return modele


@transaction.atomic
def modele_update(
    *,
    acting_user,
    modele: Modele,
    titre: str,
    resume: str,
    description: str,
    competence: Competence,
    retention_mois: int,
) -> Modele:
    """Change a template's title, texts, competence and retention (its form and workflow change
    through ``formulaire_edit`` and ``workflow_edit``)."""
    permission_check(acting_user, "demarches.modeles")
    errors = _metadata_errors(titre=titre, retention_mois=retention_mois)
    if errors:
        raise ValidationError(errors)
    modele = _locked(modele)  # type: ignore[assignment]
    modele.titre = titre.strip()[:200]
    modele.resume = (resume or "").strip()[:300]
    modele.description = (description or "").strip()
    modele.competence = competence
    modele.retention_mois = retention_mois
    modele.modifie_le = timezone.now()
    modele.save(
        update_fields=[
            "titre",
            "resume",
            "description",
            "competence",
            "retention_mois",
            "modifie_le",
        ]
    )
    _audit(acting_user, modele, "modele.modification", partie="presentation")
    return modele


def modele_latest_version(modele: Modele) -> ModeleVersion | None:
    """Return the template's last published version."""
    return modele.versions.order_by("-numero").first()


def modele_unpublished_changes(
    modele: Modele, *, latest: ModeleVersion | None | bool = False
) -> bool:
    """Say whether the template changed since its last published version (``latest``: that
    version, when the caller already read it)."""
    if latest is False:
        latest = modele_latest_version(modele)
    if not isinstance(latest, ModeleVersion):
        return True
    return _parts_of(modele) != _parts_of(latest)


@transaction.atomic
def modele_publish(*, acting_user, modele: Modele, note: str = "") -> ModeleVersion:
    """Publish a template as version N+1, with a note for the members who adopted it."""
    permission_check(acting_user, "demarches.modeles")
    modele = _locked(modele)  # type: ignore[assignment]
    errors, formulaire, workflow = _publishable(modele.formulaire, modele.workflow)
    if modele.version and not modele_unpublished_changes(modele):
        errors.setdefault("note", []).append(
            _("Rien n’a changé depuis la version %(n)d.") % {"n": modele.version}
        )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    version = ModeleVersion.objects.create(
        modele=modele,
        numero=modele.version + 1,
        titre=modele.titre,
        resume=modele.resume,
        description=modele.description,
        formulaire=formulaire,
        workflow=workflow,
        retention_mois=modele.retention_mois,
        note=(note or "").strip(),
        publie_le=now,
    )
    modele.version = version.numero
    modele.publie_le = now
    modele.save(update_fields=["version", "publie_le"])
    _audit(acting_user, modele, "modele.publication", version=version.numero)
    return version


def modele_adoptions(modele: Modele) -> dict[int, int]:
    """Return how many members' procedures (closed ones left out) follow each version."""
    rows = (
        Demarche.objects.filter(modele=modele)
        .exclude(etat=Demarche.Etat.ARCHIVEE)
        .values("modele_version")
        .annotate(n=Count("pk"))
    )
    return {row["modele_version"] or 0: row["n"] for row in rows}


@transaction.atomic
def modele_adopt(*, acting_user, membre: Membre, modele: Modele) -> Demarche:
    """Copy a template's latest version into a member's draft procedure, to adapt and publish.
    A member keeps one copy of a template at a time: a second adoption is refused while a copy
    that is not closed exists (adapt that one); after closing it, a new copy gets a new slug."""
    permission_check(acting_user, "demarches.configurer", membre)
    version = modele_latest_version(modele)
    if version is None:
        raise _error("modele", _("Ce modèle n’est pas encore publié."))
    existing = (
        Demarche.objects.select_for_update()
        .filter(membre=membre, modele=modele)
        .exclude(etat=Demarche.Etat.ARCHIVEE)
        .first()
    )
    if existing is not None:
        raise _error(
            "modele",
            _(
                "Vous avez déjà adopté ce modèle : « %(titre)s ». Adaptez cette démarche, ou "
                "fermez-la avant d’en adopter une nouvelle copie."
            )
            % {"titre": existing.titre},
        )
    demarche = Demarche.objects.create(
        membre=membre,
        slug=_slug_free(membre, modele.code),
        titre=version.titre,
        resume=version.resume,
        description=version.description,
        competence=modele.competence,
        formulaire=copy.deepcopy(version.formulaire),
        workflow=copy.deepcopy(version.workflow),
        retention_mois=version.retention_mois,
        modele=modele,
        modele_version=version.numero,
    )
    _audit(acting_user, demarche, "demarche.adoption", modele=modele.code, version=version.numero)
    return demarche


# --- Taking in a template's new version (three-way, part by part) ------------------------------

METADATA = ("titre", "resume", "description", "retention_mois")
METADATA_LABELS = {
    "titre": "Titre",
    "resume": "Résumé",
    "description": "Description",
    "retention_mois": "Durée de conservation",
}


@dataclass(frozen=True)
class Changement:
    """One part of a procedure a template update touches."""

    partie: str
    # "modifie", "ajoute", "retire", "deplace" (follows the template) or "conserve" (the copy's
    # kept).
    action: str
    # What happens, when the action's usual words do not say it all.
    detail: str = ""

    @property
    def action_label(self) -> str:
        if self.detail:
            return self.detail
        return {
            "modifie": _("modifié"),
            "ajoute": _("ajouté"),
            "retire": _("retiré"),
            "deplace": _("déplacé"),
            "conserve": _("conservé : vous l’aviez modifié"),
        }[self.action]


@dataclass
class Plan:
    """What taking in a template's latest version would change."""

    de_version: int | None
    vers_version: int
    notes: list[tuple[int, str]]
    changements: list[Changement] = field(default_factory=list)
    conserves: list[Changement] = field(default_factory=list)
    resultat: dict[str, Any] = field(default_factory=dict)
    erreurs: list[str] = field(default_factory=list)

    @property
    def a_jour(self) -> bool:
        return self.de_version == self.vers_version

    @property
    def empreinte(self) -> str:
        """A short hash of what the plan says and does: the plan's page posts it back, and
        applying refuses a plan that is no longer the one read."""
        data = {
            "de": self.de_version,
            "vers": self.vers_version,
            "resultat": self.resultat,
            "changements": [(c.partie, c.action, c.detail) for c in self.changements],
            "conserves": [(c.partie, c.action, c.detail) for c in self.conserves],
        }
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _parts_of(source: Any) -> dict[str, Any]:
    """Return the parts compared by an update: metadata, form and workflow, as plain data."""
    return {
        **{key: getattr(source, key) for key in METADATA},
        "formulaire": copy.deepcopy(source.formulaire or {}),
        "workflow": copy.deepcopy(source.workflow or {}),
    }


def _field_parts(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return every field by key path, a block without its sub-fields (they are parts too)."""
    found = {}
    for _n, path, champ in walk(schema):
        found[path] = (
            {k: v for k, v in champ.items() if k != "champs"}
            if champ.get("type") == "bloc"
            else champ
        )
    return found


def _merge(base: Any, copie: Any, latest: Any) -> tuple[Any, str]:
    """Three-way merge of one part (None: absent). Return (result, what happened): "" nothing,
    "modifie"/"ajoute"/"retire" (follows the template), "conserve" (the copy's kept)."""
    if copie == base:
        if latest == base:
            return copie, ""
        if latest is None:
            return None, "retire"
        return latest, "ajoute" if copie is None else "modifie"
    if latest in (base, copie):
        return copie, ""
    return copie, "conserve"


def _field_label(path: str, champ: dict[str, Any] | None) -> str:
    label = str((champ or {}).get("libelle") or path)
    return _("Champ « %(libelle)s » (%(chemin)s)") % {"libelle": label, "chemin": path}


def _page_label(page: dict[str, Any]) -> str:
    return _("Page « %(titre)s »") % {"titre": page.get("titre") or "—"}


# Pages are known by their key ("cle", given by the builder and the seeds); a page without one
# (older schemas) by the fields it holds.


def _page_fields(page: dict[str, Any]) -> set[str]:
    return {str(c.get("cle")) for c in page.get("champs") or [] if c.get("cle")}


def _pages_match(left: list[dict[str, Any]], right: list[dict[str, Any]]) -> dict[int, int]:
    """Pair the pages of two versions of a form (index in left → index in right): the same page
    key; else, for a page without one, the page holding most of its fields (a majority of
    either page's fields, the largest overlaps first); else, for pages without fields, the
    same title. Two pages with different keys are never the same page."""
    pairs: dict[int, int] = {}
    by_key = {page.get("cle"): j for j, page in enumerate(right) if page.get("cle")}
    for i, page in enumerate(left):
        if page.get("cle") and page["cle"] in by_key:
            pairs[i] = by_key[page["cle"]]

    def free(i: int, j: int) -> bool:
        both_keyed = bool(left[i].get("cle") and right[j].get("cle"))
        return i not in pairs and j not in pairs.values() and not both_keyed

    fields_of = [_page_fields(page) for page in left], [_page_fields(page) for page in right]
    candidates = []
    for i, mine in enumerate(fields_of[0]):
        for j, theirs in enumerate(fields_of[1]):
            shared = len(mine & theirs)
            if shared and 2 * shared > min(len(mine), len(theirs)):
                candidates.append((-shared, i, j))
    for _shared, i, j in sorted(candidates):
        if free(i, j):
            pairs[i] = j
    for i, page in enumerate(left):
        for j, other in enumerate(right):
            if (
                free(i, j)
                and not (fields_of[0][i] and fields_of[1][j])
                and page.get("titre") == other.get("titre")
            ):
                pairs[i] = j
    return pairs


def _page_ids(
    base: list[dict[str, Any]], copie: list[dict[str, Any]], latest: list[dict[str, Any]]
) -> tuple[list[str], list[str], list[str]]:
    """Give each page of the three versions an identity shared across them: the latest
    version's pages are "l<index>"; a base page matched to one shares it, else is "b<index>";
    a copy's page matched to a base page shares that one's, else one of the latest version's
    new pages', else is "c<index>"."""
    base_latest = _pages_match(base, latest)
    copy_base = _pages_match(copie, base)
    b_ids = [f"l{base_latest[i]}" if i in base_latest else f"b{i}" for i in range(len(base))]
    l_ids = [f"l{j}" for j in range(len(latest))]
    c_ids = [b_ids[copy_base[k]] if k in copy_base else f"c{k}" for k in range(len(copie))]
    rest = [k for k in range(len(copie)) if k not in copy_base]
    new = [j for j in range(len(latest)) if j not in base_latest.values()]
    for r, n in _pages_match([copie[k] for k in rest], [latest[j] for j in new]).items():
        c_ids[rest[r]] = f"l{new[n]}"
    return b_ids, c_ids, l_ids


@dataclass
class _Page:
    """A page of the merged form while it is built."""

    ident: str
    page: dict[str, Any]
    retiree: bool = False  # the template removed it
    modifiee: bool = False  # ... and the copy had changed its title or text
    ajoutee: bool = False  # the template added it


def _field_pages(pages: list[dict[str, Any]], ids: list[str]) -> dict[str, str]:
    """Return, by top-level field key, the identity of its page."""
    return {
        str(champ.get("cle")): ident
        for ident, page in zip(ids, pages, strict=True)
        for champ in page.get("champs") or []
    }


def _insert_after(champs: list[dict[str, Any]], champ: dict[str, Any], order: list[str]) -> None:
    """Insert a field in a list after the nearest field before it in ``order`` (the template's
    order of that list) that the list holds, else first."""
    cle = champ.get("cle")
    before = order[: order.index(cle)] if cle in order else []
    for previous in reversed(before):
        for index, other in enumerate(champs):
            if other.get("cle") == previous:
                champs.insert(index + 1, champ)
                return
    champs.insert(0, champ)


def _sub_order(schema: dict[str, Any], bloc: str) -> list[str]:
    """Return the keys of a block's sub-fields, in order."""
    for _n, path, champ in walk(schema):
        if path == bloc and champ.get("type") == "bloc":
            return [str(sub.get("cle")) for sub in champ.get("champs") or []]
    return []


def _insert_near(
    champ: dict[str, Any], order: list[str], pages: list[dict[str, Any]]
) -> dict[str, Any]:
    """Insert a new top-level field whose page in the template the copy does not have: after the
    nearest field before it there that the pages hold, else first on the first page. Return
    the page it went to."""
    cle = champ.get("cle")
    before = order[: order.index(cle)] if cle in order else []
    for previous in reversed(before):
        for page in pages:
            champs = page.get("champs") or []
            for index, other in enumerate(champs):
                if other.get("cle") == previous:
                    champs.insert(index + 1, champ)
                    return page
    if not pages:
        pages.append({"titre": "", "texte": "", "champs": []})
    pages[0].setdefault("champs", []).insert(0, champ)
    return pages[0]


def _merge_pages(
    b_pages: list[dict[str, Any]],
    c_pages: list[dict[str, Any]],
    l_pages: list[dict[str, Any]],
    ids: tuple[list[str], list[str], list[str]],
    plan: Plan,
    changes: list[Changement],
) -> list[_Page]:
    """Merge the pages (which exist, their order, title and text), their fields still as the copy
    has them; return the pages, the ones the template removed marked."""
    b_ids, c_ids, l_ids = ids
    b_by = dict(zip(b_ids, b_pages, strict=True))
    l_by = dict(zip(l_ids, l_pages, strict=True))
    out: list[_Page] = []
    for ident, page in zip(c_ids, c_pages, strict=True):
        entry = _Page(ident, copy.deepcopy(page))
        out.append(entry)
        b, lt = b_by.get(ident), l_by.get(ident)
        if b is not None and lt is None:
            entry.retiree = True
            entry.modifiee = any(page.get(k, "") != b.get(k, "") for k in ("titre", "texte"))
            continue
        if lt is not None and lt.get("cle"):
            entry.page["cle"] = lt["cle"]
        for key in ("titre", "texte"):
            merged, action = _merge(
                None if b is None else b.get(key, ""),
                page.get(key, ""),
                None if lt is None else lt.get(key, ""),
            )
            if not action:
                continue
            label = _("%(page)s : %(partie)s") % {
                "page": _page_label(page),
                "partie": _("titre") if key == "titre" else _("texte"),
            }
            if action == "conserve":
                plan.conserves.append(Changement(label, action))
                continue
            entry.page[key] = merged
            changes.append(Changement(label, "modifie"))
    # The order of the pages all three have: the template's, unless the copy changed it.
    common = [e.ident for e in out if e.ident in b_by and e.ident in l_by]
    in_base = [ident for ident in b_ids if ident in common]
    in_latest = [ident for ident in l_ids if ident in common]
    if common != in_base and in_latest not in (in_base, common):
        plan.conserves.append(
            Changement(_("Ordre des pages"), "conserve", _("conservé : vous l’aviez changé"))
        )
    elif common == in_base and in_latest != in_base:
        slots = [n for n, e in enumerate(out) if e.ident in common]
        by_ident = {e.ident: e for e in out}
        for n, ident in zip(slots, in_latest, strict=True):
            out[n] = by_ident[ident]
        changes.append(Changement(_("Ordre des pages"), "modifie"))
    # The template's new pages, at their place (after the page before them there).
    present = {e.ident for e in out}
    for number, ident in enumerate(l_ids):
        lt = l_by[ident]
        if ident in present:
            continue
        if ident in b_by:
            if any(lt.get(k, "") != b_by[ident].get(k, "") for k in ("titre", "texte")):
                plan.conserves.append(
                    Changement(
                        _page_label(lt), "conserve", _("non reprise : vous aviez supprimé la page")
                    )
                )
            continue
        new: dict[str, Any] = {
            k: copy.deepcopy(lt[k]) for k in ("cle", "titre", "texte") if k in lt
        }
        position = 0
        for previous in reversed(l_ids[:number]):
            found = next((n for n, e in enumerate(out) if e.ident == previous), None)
            if found is not None:
                position = found + 1
                break
        out.insert(position, _Page(ident, {**new, "champs": []}, ajoutee=True))
    return out


def _settle_removed_pages(
    out: list[_Page], plan: Plan, changes: list[Changement], why_kept: Callable[[str], str]
) -> None:
    """Pages the template removed: gone, with the fields that followed it; the fields the copy
    changed (or added, or moved there) stay, on the page before (else after), and the plan says
    so. A page whose title or text the copy changed stays while it keeps fields."""
    for number, entry in enumerate(out):
        if not entry.retiree:
            continue
        label = _page_label(entry.page)
        kept = entry.page.get("champs") or []
        if not kept:
            changes.append(
                Changement(
                    label,
                    "retire",
                    _(
                        "retirée : vous aviez modifié son titre ou son texte, mais le modèle "
                        "l’a retirée avec tous ses champs"
                    )
                    if entry.modifiee
                    else _("retirée"),
                )
            )
            continue
        neighbours = [e for e in reversed(out[:number]) if not (e.retiree or e.ajoutee)]
        after = [e for e in out[number + 1 :] if not (e.retiree or e.ajoutee)]
        if entry.modifiee or not (neighbours or after):
            entry.retiree = False
            plan.conserves.append(
                Changement(
                    label,
                    "conserve",
                    _("conservée : le modèle l’a retirée, mais vous l’aviez modifiée")
                    if entry.modifiee
                    else _("conservée : le modèle l’a retirée, mais elle garde des champs à vous"),
                )
            )
            continue
        neighbour = neighbours[0] if neighbours else after[0]
        champs = neighbour.page.setdefault("champs", [])
        if neighbours:
            champs.extend(kept)
        else:
            champs[:0] = kept
        where = neighbour.page.get("titre")
        for champ in kept:
            path = str(champ.get("cle"))
            moved = Changement(
                _field_label(path, champ),
                "conserve",
                _(
                    "conservé (%(pourquoi)s) et placé sur la page « %(page)s » : sa page "
                    "« %(ancienne)s » est retirée par le modèle"
                )
                % {"pourquoi": why_kept(path), "page": where, "ancienne": entry.page.get("titre")},
            )
            plan.conserves[:] = [c for c in plan.conserves if c.partie != moved.partie]
            plan.conserves.append(moved)
        entry.page["champs"] = []
        changes.append(
            Changement(
                label,
                "retire",
                _("retirée ; les champs que vous y gardez passent sur la page « %(page)s »")
                % {"page": where},
            )
        )


def _merge_form(
    base: dict[str, Any], copie: dict[str, Any], latest: dict[str, Any], plan: Plan
) -> dict[str, Any]:
    """Merge the form: pages (known by their key, else their fields) and their order, title and
    text; each field by its key path; each top-level field's page."""
    base, copie, latest = base or {}, copie or {"pages": []}, latest or {}
    b_pages = [p for p in base.get("pages") or [] if isinstance(p, dict)]
    c_pages = [p for p in copie.get("pages") or [] if isinstance(p, dict)]
    l_pages = [p for p in latest.get("pages") or [] if isinstance(p, dict)]
    ids = _page_ids(b_pages, c_pages, l_pages)
    page_changes: list[Changement] = []
    field_changes: list[Changement] = []
    out = _merge_pages(b_pages, c_pages, l_pages, ids, plan, page_changes)
    result = {**copy.deepcopy(copie), "pages": [e.page for e in out]}
    by_ident = {e.ident: e for e in out}

    # Fields' definitions, by key path.
    b_parts, c_parts, l_parts = _field_parts(base), _field_parts(copie), _field_parts(latest)
    order = list(l_parts) + [p for p in c_parts if p not in l_parts]
    order += [p for p in b_parts if p not in order]
    additions: dict[str, Changement] = {}
    for path in order:
        merged, action = _merge(b_parts.get(path), c_parts.get(path), l_parts.get(path))
        if action == "retire" and any(
            c_parts[sub] != b_parts.get(sub) for sub in c_parts if sub.startswith(f"{path}.")
        ):
            # The template dropped a block whose sub-fields the copy changed: keep the block.
            action = "conserve"
        if not action:
            continue
        label = _field_label(path, l_parts.get(path) or c_parts.get(path) or b_parts.get(path))
        if action == "conserve":
            plan.conserves.append(Changement(label, action))
            continue
        change = Changement(label, action)
        field_changes.append(change)
        if action == "retire":
            _tree_remove(result, path)
        elif action == "modifie":
            _tree_replace(result, path, merged)
        else:
            additions[path] = change

    # Where fields go, in the template's order: its new fields at their place, and a field the
    # copy left on its page follows the template to another page.
    b_ids, c_ids, l_ids = ids
    b_place = _field_pages(b_pages, b_ids)
    c_place = _field_pages(c_pages, c_ids)
    l_place = _field_pages(l_pages, l_ids)
    l_order = {
        ident: [str(c.get("cle")) for c in page.get("champs") or []]
        for ident, page in zip(l_ids, l_pages, strict=True)
    }
    l_top = [p for p in l_parts if "." not in p]
    for path in l_top:
        target = by_ident.get(l_place[path])
        if target is not None and target.retiree:
            target = None
        if path in additions:
            champ = copy.deepcopy(l_parts[path])
            if champ.get("type") == "bloc":
                champ["champs"] = []
            if target is None:
                page = _insert_near(champ, l_top, [e.page for e in out if not e.retiree])
            else:
                page = target.page
                _insert_after(page.setdefault("champs", []), champ, l_order[l_place[path]])
            index = field_changes.index(additions[path])
            field_changes[index] = Changement(
                additions[path].partie,
                "ajoute",
                _("ajouté sur la page « %(page)s »") % {"page": page.get("titre")},
            )
            continue
        if path not in b_place or path not in c_place:
            continue
        merged, action = _merge(b_place[path], c_place[path], l_place[path])
        label = _field_label(path, l_parts[path])
        if action == "conserve":
            plan.conserves.append(
                Changement(label, action, _("conservé sur la page où vous l’aviez placé"))
            )
        found = _tree_locate(result, path)
        if action != "modifie" or target is None or found is None:
            continue
        champ = found[0].pop(found[1])
        _insert_after(target.page.setdefault("champs", []), champ, l_order[l_place[path]])
        field_changes.append(
            Changement(
                label,
                "deplace",
                _("déplacé sur la page « %(page)s »") % {"page": target.page.get("titre")},
            )
        )
    for path in additions:
        bloc, _cle = split_path(path)
        holder = _tree_locate(result, bloc) if bloc else None
        if holder is not None:
            _insert_after(
                holder[0][holder[1]].setdefault("champs", []),
                copy.deepcopy(l_parts[path]),
                _sub_order(latest, bloc),
            )

    def why_kept(path: str) -> str:
        if path not in b_parts:
            return _("vous l’aviez ajouté")
        if any(c_parts.get(p) != b_parts.get(p) for p in c_parts if p.split(".")[0] == path):
            return _("vous l’aviez modifié")
        if c_place.get(path) != b_place.get(path):
            return _("vous l’y aviez déplacé")
        return _("le modèle l’a mis sur une page que vous aviez supprimée")

    _settle_removed_pages(out, plan, page_changes, why_kept)

    # The template's new pages that got fields.
    for entry in out:
        if entry.ajoutee and entry.page.get("champs"):
            page_changes.append(
                Changement(
                    _page_label(entry.page), "ajoute", _("ajoutée à sa place dans le modèle")
                )
            )
    pages: list[dict[str, Any]] = []
    for entry in out:
        if entry.retiree or (entry.ajoutee and not entry.page.get("champs")):
            continue
        if entry.page.get("cle") and entry.page["cle"] in {p.get("cle") for p in pages}:
            entry.page["cle"] = page_key_for({"pages": [*pages, entry.page]}, entry.page["cle"])
        pages.append(entry.page)
    result["pages"] = pages
    plan.changements.extend([*page_changes, *field_changes])
    return result


def _tree_locate(schema: dict[str, Any], path: str) -> tuple[list[dict[str, Any]], int] | None:
    bloc, cle = split_path(path)
    for page in schema.get("pages") or []:
        champs = page.get("champs") or []
        if bloc:
            holder = next((c for c in champs if c.get("cle") == bloc), None)
            if holder is None:
                continue
            champs = holder.get("champs") or []
        for index, champ in enumerate(champs):
            if champ.get("cle") == cle:
                return champs, index
    return None


def _tree_remove(schema: dict[str, Any], path: str) -> None:
    found = _tree_locate(schema, path)
    if found is not None:
        del found[0][found[1]]


def _tree_replace(schema: dict[str, Any], path: str, champ: dict[str, Any]) -> None:
    found = _tree_locate(schema, path)
    if found is None:
        return
    container, index = found
    new = copy.deepcopy(champ)
    if new.get("type") == "bloc":
        new["champs"] = container[index].get("champs") or []
    container[index] = new


def _merge_workflow(
    base: dict[str, Any], copie: dict[str, Any], latest: dict[str, Any], plan: Plan
) -> dict[str, Any]:
    result = copy.deepcopy(copie or {})
    for kind, key_of, label_of in (
        (
            "statuts",
            lambda s: str(s.get("code")),
            lambda s: _("Statut « %(libelle)s »") % {"libelle": s.get("libelle") or s.get("code")},
        ),
        (
            "transitions",
            lambda t: f"{t.get('de')}→{t.get('vers')}",
            lambda t: (
                _("Transition « %(libelle)s » (%(de)s → %(vers)s)")
                % {"libelle": t.get("libelle"), "de": t.get("de"), "vers": t.get("vers")}
            ),
        ),
    ):
        b = {key_of(x): x for x in (base or {}).get(kind) or []}
        c = {key_of(x): x for x in (copie or {}).get(kind) or []}
        lt = {key_of(x): x for x in (latest or {}).get(kind) or []}
        items = result.setdefault(kind, [])
        for key in list(lt) + [k for k in c if k not in lt] + [k for k in b if k not in lt | c]:
            merged, action = _merge(b.get(key), c.get(key), lt.get(key))
            if not action:
                continue
            label = label_of(lt.get(key) or c.get(key) or b.get(key))
            if action == "conserve":
                plan.conserves.append(Changement(label, action))
                continue
            plan.changements.append(Changement(label, action))
            position = next((i for i, x in enumerate(items) if key_of(x) == key), None)
            if action == "retire" and position is not None:
                del items[position]
            elif action == "modifie" and position is not None:
                items[position] = copy.deepcopy(merged)
            elif action == "ajoute":
                if kind == "statuts" and not merged.get("final"):
                    position = next((i for i, s in enumerate(items) if s.get("final")), len(items))
                    items.insert(position, copy.deepcopy(merged))
                else:
                    items.append(copy.deepcopy(merged))
    return result


def modele_update_plan(demarche: Demarche) -> Plan:
    """Return what taking in the template's latest version would change in the procedure, and
    what it keeps because the member changed it (the plan's ``resultat`` is the new content)."""
    modele = demarche.modele
    if modele is None:
        raise _error("modele", _("Cette démarche n’a pas été adoptée d’un modèle."))
    latest = modele_latest_version(modele)
    if latest is None:
        raise _error("modele", _("Ce modèle n’est pas publié."))
    base_row = (
        modele.versions.filter(numero=demarche.modele_version).first()
        if demarche.modele_version
        else None
    )
    notes = list(
        modele.versions.filter(numero__gt=demarche.modele_version or 0)
        .order_by("numero")
        .values_list("numero", "note")
    )
    plan = Plan(de_version=demarche.modele_version, vers_version=latest.numero, notes=notes)
    copie = _parts_of(demarche)
    if plan.a_jour:
        plan.resultat = copie
        return plan
    # No base known: everything the copy has counts as its own (kept); only additions follow.
    base = (
        _parts_of(base_row)
        if base_row is not None
        else {
            **dict.fromkeys(METADATA),
            "formulaire": {},
            "workflow": {},
        }
    )
    theirs = _parts_of(latest)
    result: dict[str, Any] = {}
    for key in METADATA:
        merged, action = _merge(base[key], copie[key], theirs[key])
        result[key] = copie[key] if merged is None else merged
        if action == "conserve":
            plan.conserves.append(Changement(METADATA_LABELS[key], action))
        elif action:
            plan.changements.append(Changement(METADATA_LABELS[key], "modifie"))
    result["formulaire"] = _merge_form(
        base["formulaire"], copie["formulaire"], theirs["formulaire"], plan
    )
    result["workflow"] = _merge_workflow(
        base["workflow"], copie["workflow"], theirs["workflow"], plan
    )
    plan.resultat = result
    errors = _check_errors(result["formulaire"], result["workflow"])
    plan.erreurs = [message for messages in errors.values() for message in messages]
    return plan


@transaction.atomic
def modele_update_apply(
    *,
    acting_user,
    demarche: Demarche,
    version: int | None = None,
    empreinte: str | None = None,
) -> Plan:
    """Take in the template's latest version as the plan says, and record it as the version the
    procedure is aligned with. A published procedure stays published with its current version:
    the changes wait, like any other, until the administrator publishes again.

    ``version`` and ``empreinte`` are the template version and ``Plan.empreinte`` of the plan the
    administrator read (the plan's page posts them): when given, a plan that no longer matches
    them (the template or the procedure changed since) is refused, to be read again."""
    permission_check(acting_user, "demarches.configurer", demarche.membre)
    locked: Demarche = _locked(demarche)  # type: ignore[assignment]
    plan = modele_update_plan(locked)
    if plan.a_jour:
        raise _error("modele", _("Cette démarche suit déjà la dernière version du modèle."))
    if (version is not None and version != plan.vers_version) or (
        empreinte is not None and empreinte != plan.empreinte
    ):
        raise _error(
            "modele", _("Le modèle a changé depuis que vous avez lu ce plan : relisez-le.")
        )
    if plan.erreurs:
        raise ValidationError({"modele": plan.erreurs})
    for key in (*METADATA, "formulaire", "workflow"):
        setattr(locked, key, plan.resultat[key])
    locked.modele_version = plan.vers_version
    locked.modifie_le = timezone.now()
    locked.save(update_fields=[*METADATA, "formulaire", "workflow", "modele_version", "modifie_le"])
    _audit(
        acting_user,
        locked,
        "demarche.mise_a_jour_modele",
        de=plan.de_version,
        vers=plan.vers_version,
        conserves=[c.partie for c in plan.conserves],
    )
    for key in (*METADATA, "formulaire", "workflow", "modele_version", "modifie_le"):
        setattr(demarche, key, getattr(locked, key))
    return plan


def modele_update_available(demarche: Demarche) -> bool:
    """Say whether the procedure's template has a version the procedure has not taken in."""
    return bool(
        demarche.modele_id
        and demarche.modele is not None
        and demarche.modele.version > (demarche.modele_version or 0)
    )


@transaction.atomic
def modeles_defaults_install(*, acting_user) -> dict[str, str]:
    """Install (or bring up to date) the templates shipped with Socle, for the structure."""
    from socle.demarches.defaults import modeles_defaults_ensure

    permission_check(acting_user, "demarches.modeles")
    done = modeles_defaults_ensure()
    audit_record(
        acting_user=acting_user,
        membre=None,
        action="modele.creation",
        details={"modeles_fournis": done},
    )
    return done
