"""Configuring procedures: a member's procedures (create, adapt, publish, close), the structure's
templates (edit, publish), adopting a template and taking in its later versions.

The form builder and the workflow editor are pure functions: they take the schema (or the
workflow) as a dict and return the new, checked one (``formulaire.schema_check``,
``workflow.workflow_check``). ``formulaire_edit`` and ``workflow_edit`` are the one service that
runs them on either a member's procedure (``Demarche``) or a structure's template (``Modele``).

Template updates are three-way, part by part (title, summary, description, retention, each page's
title and text, each field by its key path, each workflow status and transition): the template
version the copy was aligned with is the base; what the copy did not change since follows the
template (changed, added or removed there); what the copy changed is kept and listed.
"""

from __future__ import annotations

import copy
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


def page_add(schema: dict[str, Any], *, titre: str, texte: str = "") -> dict[str, Any]:
    """Add a page at the end."""
    schema = copy.deepcopy(schema or {})
    titre = (titre or "").strip()
    if not titre:
        raise _error("titre", _("Donnez un titre à la page."))
    _pages(schema).append({"titre": titre, "texte": (texte or "").strip(), "champs": []})
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


@transaction.atomic
def formulaire_edit(*, acting_user, cible: Cible, operation: str, **arguments: Any) -> dict:
    """Run one form-builder operation (``BUILDER``) on a procedure's or a template's form and
    save the checked result; return it."""
    if operation not in BUILDER:
        raise _error("operation", _("Opération inconnue."))
    _permission(acting_user, cible)
    locked = _locked(cible)
    new = BUILDER[operation](locked.formulaire, **arguments)
    locked.formulaire = new
    locked.modifie_le = timezone.now()
    locked.save(update_fields=["formulaire", "modifie_le"])
    cible.formulaire, cible.modifie_le = locked.formulaire, locked.modifie_le
    _audit(acting_user, cible, _changed_action(cible), partie="formulaire", operation=operation)
    return new


@transaction.atomic
def workflow_edit(*, acting_user, cible: Cible, operation: str, **arguments: Any) -> dict:
    """Run one workflow-editor operation (``WORKFLOW_EDITOR``) on a procedure's or a template's
    workflow and save the checked result; return it."""
    if operation not in WORKFLOW_EDITOR:
        raise _error("operation", _("Opération inconnue."))
    _permission(acting_user, cible)
    locked = _locked(cible)
    new = WORKFLOW_EDITOR[operation](locked.workflow, **arguments)
    locked.workflow = new
    locked.modifie_le = timezone.now()
    locked.save(update_fields=["workflow", "modifie_le"])
    cible.workflow, cible.modifie_le = locked.workflow, locked.modifie_le
    _audit(acting_user, cible, _changed_action(cible), partie="workflow", operation=operation)
    return new


def blank_formulaire() -> dict[str, Any]:
    """Return the form a new procedure starts with: one empty page."""
    return {"pages": [{"titre": "Votre demande", "texte": "", "champs": []}]}


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


def demarche_unpublished_changes(demarche: Demarche) -> bool:
    """Say whether the procedure's form, workflow or title changed since its last version."""
    latest = demarche_latest_version(demarche)
    if latest is None:
        return True
    return (latest.titre, latest.formulaire, latest.workflow) != (
        demarche.titre,
        demarche.formulaire,
        demarche.workflow,
    )


def _check_errors(schema: dict[str, Any], workflow: dict[str, Any]) -> dict[str, list[str]]:
    """Return every problem of a form and a workflow, by part."""
    errors: dict[str, list[str]] = {}
    try:
        fm.schema_check(schema)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        wf.workflow_check(workflow)
    except ValidationError as error:
        errors.update(error.message_dict)
    return errors


def _publishable(schema: dict[str, Any], workflow: dict[str, Any]) -> dict[str, list[str]]:
    errors = _check_errors(schema, workflow)
    if "formulaire" not in errors and not any(c.a_reponse for c in fm.fields(schema)):
        errors["formulaire"] = [_("Ajoutez au moins un champ à remplir avant de publier.")]
    return errors


@transaction.atomic
def demarche_publish(*, acting_user, demarche: Demarche) -> DemarcheVersion:
    """Publish a procedure: its form, workflow and title become version N+1 (dossiers already
    filed keep theirs), and citizens can file it. Needs the member's démarches module on."""
    permission_check(acting_user, "demarches.configurer", demarche.membre)
    demarche = _locked(demarche)  # type: ignore[assignment]
    membre = demarche.membre
    if "demarches" not in (membre.modules or []):
        raise _error(
            "etat",
            _(
                "Le module « Démarches en ligne » n’est pas activé pour %(collectivite)s : "
                "activez-le dans les réglages de la collectivité avant de publier."
            )
            % {"collectivite": membre.collectivite.nom},
        )
    errors = _publishable(demarche.formulaire, demarche.workflow)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    latest = demarche_latest_version(demarche)
    if latest is None or demarche_unpublished_changes(demarche):
        latest = DemarcheVersion.objects.create(
            demarche=demarche,
            numero=demarche.version + 1,
            titre=demarche.titre,
            formulaire=fm.schema_check(demarche.formulaire),
            workflow=wf.workflow_check(demarche.workflow),
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


def modele_unpublished_changes(modele: Modele) -> bool:
    """Say whether the template changed since its last published version."""
    latest = modele_latest_version(modele)
    return latest is None or _parts_of(modele) != _parts_of(latest)


@transaction.atomic
def modele_publish(*, acting_user, modele: Modele, note: str = "") -> ModeleVersion:
    """Publish a template as version N+1, with a note for the members who adopted it."""
    permission_check(acting_user, "demarches.modeles")
    modele = _locked(modele)  # type: ignore[assignment]
    errors = _publishable(modele.formulaire, modele.workflow)
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
        formulaire=fm.schema_check(modele.formulaire),
        workflow=wf.workflow_check(modele.workflow),
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
    # "modifie", "ajoute", "retire" (follows the template) or "conserve" (the copy's kept).
    action: str

    @property
    def action_label(self) -> str:
        return {
            "modifie": _("modifié"),
            "ajoute": _("ajouté"),
            "retire": _("retiré"),
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


def _field_places(schema: dict[str, Any]) -> dict[str, tuple[int, str | None]]:
    """Return, by key path, the page index and the key path of the field just before it in the
    same list (None: first)."""
    places: dict[str, tuple[int, str | None]] = {}
    for number, page in enumerate(schema.get("pages") or []):
        before: str | None = None
        for champ in page.get("champs") or []:
            cle = str(champ.get("cle") or "")
            places[cle] = (number, before)
            before = cle
            sub_before: str | None = None
            for sub in champ.get("champs") or [] if champ.get("type") == "bloc" else []:
                path = f"{cle}.{sub.get('cle')}"
                places[path] = (number, sub_before)
                sub_before = path
    return places


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


def _merge_form(
    base: dict[str, Any], copie: dict[str, Any], latest: dict[str, Any], plan: Plan
) -> dict[str, Any]:
    result = copy.deepcopy(copie or {"pages": []})
    pages = result.setdefault("pages", [])
    base_pages = (base or {}).get("pages") or []
    copy_pages = (copie or {}).get("pages") or []
    latest_pages = (latest or {}).get("pages") or []
    # Pages' title and text, by index; the template's new pages are added at the end.
    for index in range(max(len(copy_pages), len(latest_pages))):
        for key in ("titre", "texte"):
            b = base_pages[index].get(key, "") if index < len(base_pages) else None
            c = copy_pages[index].get(key, "") if index < len(copy_pages) else None
            lt = latest_pages[index].get(key, "") if index < len(latest_pages) else None
            merged, action = _merge(b, c, lt)
            if not action:
                continue
            label = _("Page %(n)d : %(partie)s") % {
                "n": index + 1,
                "partie": _("titre") if key == "titre" else _("texte"),
            }
            if action == "conserve":
                plan.conserves.append(Changement(label, action))
                continue
            if index >= len(pages):
                pages.append({"titre": "", "texte": "", "champs": []})
            if merged is not None:
                pages[index][key] = merged
            plan.changements.append(Changement(label, action))
    # Fields, by key path.
    b_parts, c_parts, l_parts = _field_parts(base), _field_parts(copie), _field_parts(latest)
    latest_places = _field_places(latest or {})
    order = list(l_parts) + [p for p in c_parts if p not in l_parts]
    order += [p for p in b_parts if p not in order]
    additions: list[str] = []
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
        plan.changements.append(Changement(label, action))
        if action == "retire":
            _tree_remove(result, path)
        elif action == "modifie":
            _tree_replace(result, path, merged)
        else:
            additions.append(path)
    for path in additions:
        _tree_insert(result, path, copy.deepcopy(l_parts[path]), latest_places.get(path))
    # A page the template removed, untouched and left empty by the copy, goes too.
    for index in range(len(pages) - 1, len(latest_pages) - 1, -1):
        if index < len(base_pages) and not pages[index].get("champs"):
            same = all(
                pages[index].get(k, "") == base_pages[index].get(k, "") for k in ("titre", "texte")
            )
            if same:
                plan.changements.append(Changement(_("Page %(n)d") % {"n": index + 1}, "retire"))
                del pages[index]
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


def _tree_insert(
    schema: dict[str, Any], path: str, champ: dict[str, Any], place: tuple[int, str | None] | None
) -> None:
    """Insert a field the template added after the one before it there, else at the start of
    the same page (or of its block), else at the end of the last page."""
    bloc, _cle = split_path(path)
    page_index, before = place or (0, None)
    if champ.get("type") == "bloc":
        champ = {**champ, "champs": []}
    if before is not None:
        found = _tree_locate(schema, before)
        if found is not None:
            found[0].insert(found[1] + 1, champ)
            return
    pages = schema.setdefault("pages", [])
    if bloc:
        holder = _tree_locate(schema, bloc)
        if holder is not None:
            holder[0][holder[1]].setdefault("champs", []).insert(0, champ)
        return
    if not pages:
        pages.append({"titre": "", "texte": "", "champs": []})
    if page_index < len(pages):
        pages[page_index].setdefault("champs", []).insert(0, champ)
    else:
        pages[-1].setdefault("champs", []).append(champ)


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
def modele_update_apply(*, acting_user, demarche: Demarche) -> Plan:
    """Take in the template's latest version as the plan says, and record it as the version the
    procedure is aligned with. A published procedure stays published with its current version:
    the changes wait, like any other, until the administrator publishes again."""
    permission_check(acting_user, "demarches.configurer", demarche.membre)
    locked: Demarche = _locked(demarche)  # type: ignore[assignment]
    plan = modele_update_plan(locked)
    if plan.a_jour:
        raise _error("modele", _("Cette démarche suit déjà la dernière version du modèle."))
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
