"""Reads of the competences page: what a change of rule would do, and the requests to decide."""

from __future__ import annotations

import hashlib
import json

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from socle.membres.models import Membre, Service
from socle.routage.models import CompetenceChangeRequest
from socle.routage.routing import holder_ids_under_rules
from socle.territoires.models import (
    Collectivite,
    Competence,
    CompetenceOverride,
    CompetenceTransfer,
    alphabetical,
)


def _communes_in_scope(membre: Membre) -> list[Collectivite]:
    """The communes whose holders the member's rules decide: its own, or its EPCI's."""
    collectivite = membre.collectivite
    if collectivite.kind == Collectivite.Kind.EPCI:
        communes = Collectivite.objects.filter(
            kind=Collectivite.Kind.COMMUNE, epci=collectivite, active=True
        ).select_related("epci")
        return sorted(communes, key=lambda c: (alphabetical(c.nom), c.code))
    if collectivite.kind == Collectivite.Kind.COMMUNE:
        return list(Collectivite.objects.select_related("epci").filter(pk=collectivite.pk))
    return []


def competence_change_impact(
    *,
    membre: Membre,
    competence: Competence,
    transferred: bool | None = None,
    holder: Collectivite | None = None,
) -> dict:
    """What the member's proposed rule would change, before it is saved.

    For an EPCI the proposal is a transfer (`transferred`, None for « selon la loi »); for a
    commune an exception (`holder`, None for the general rule). Returns a JSON-ready dict:
    `communes` (each whose holder changes, with the holder's id before and after), `parties`
    (every collectivité that gains or loses the competence there: its member, if it is one, and
    that member's services for the competence), `members` (the ids of the members concerned)
    and a `fingerprint` of the effect, to notice that the situation changed since.
    """
    communes = _communes_in_scope(membre)
    ids = [commune.pk for commune in communes]
    transfers = {
        (epci_id, competence_id): value
        for epci_id, competence_id, value in CompetenceTransfer.objects.filter(
            epci_id__in={c.epci_id for c in communes if c.epci_id}, competence=competence
        ).values_list("epci_id", "competence_id", "transferred")
    }
    overrides = {
        (commune_id, competence_id): holder_id
        for commune_id, competence_id, holder_id in CompetenceOverride.objects.filter(
            commune_id__in=ids, competence=competence
        ).values_list("commune_id", "competence_id", "holder_id")
    }
    proposed_transfers, proposed_overrides = dict(transfers), dict(overrides)
    collectivite = membre.collectivite
    if collectivite.kind == Collectivite.Kind.EPCI:
        key = (collectivite.pk, competence.pk)
        if transferred is None:
            proposed_transfers.pop(key, None)
        else:
            proposed_transfers[key] = transferred
    elif collectivite.kind == Collectivite.Kind.COMMUNE:
        key = (collectivite.pk, competence.pk)
        if holder is None:
            proposed_overrides.pop(key, None)
        else:
            proposed_overrides[key] = holder.pk
    before = holder_ids_under_rules(communes, competence, transfers=transfers, overrides=overrides)
    after = holder_ids_under_rules(
        communes, competence, transfers=proposed_transfers, overrides=proposed_overrides
    )
    changed = [c for c in communes if before[c.pk] != after[c.pk]]
    holder_ids = {before[c.pk] for c in changed} | {after[c.pk] for c in changed}
    found = Collectivite.objects.in_bulk(holder_ids)
    members = {
        m.collectivite_id: m
        for m in Membre.objects.filter(collectivite_id__in=holder_ids, active=True)
    }
    services: dict[int, list[str]] = {}
    for membre_id, nom in (
        Service.objects.filter(membre__in=members.values(), competences=competence)
        .order_by("nom")
        .values_list("membre_id", "nom")
    ):
        services.setdefault(membre_id, []).append(nom)

    parties: dict[int, dict] = {}
    for pk in sorted(holder_ids, key=lambda pk: (found[pk].nom, pk)):
        member = members.get(pk)
        parties[pk] = {
            "id": pk,
            "nom": found[pk].nom,
            "kind": found[pk].kind,
            "membre_id": member.pk if member else None,
            "membre_slug": member.slug if member else None,
            "services": services.get(member.pk, []) if member else [],
            "gains": [],
            "losses": [],
        }
    for commune in changed:
        parties[before[commune.pk]]["losses"].append(commune.nom)
        parties[after[commune.pk]]["gains"].append(commune.nom)
    impact = {
        "competence": {"id": competence.pk, "code": competence.code, "nom": competence.nom},
        "communes": [
            {
                "id": c.pk,
                "code": c.code,
                "nom": c.nom,
                "avant": before[c.pk],
                "apres": after[c.pk],
            }
            for c in changed
        ],
        "parties": list(parties.values()),
        "members": sorted(m.pk for m in members.values()),
    }
    impact["fingerprint"] = impact_fingerprint(impact)
    return impact


def impact_fingerprint(impact: dict) -> str:
    """A digest of what a change does (who holds where, before and after; which members)."""
    essence = {
        "communes": [(c["id"], c["avant"], c["apres"]) for c in impact["communes"]],
        "members": impact["members"],
    }
    return hashlib.sha256(json.dumps(essence, sort_keys=True).encode()).hexdigest()[:32]


def _names(names: list[str], limit: int = 12) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    more = len(names) - limit
    return (
        ", ".join(names[:limit])
        + " "
        + ngettext("et %(n)d autre", "et %(n)d autres", more) % {"n": more}
    )


def impact_lines(impact: dict) -> list[str]:
    """The effect of a change, in sentences, for the confirmation step and the requests."""
    nom = impact["competence"]["nom"]
    if not impact["communes"]:
        return [_("Ce changement ne modifie pas qui exerce la compétence %(c)s.") % {"c": nom}]
    parties = {party["id"]: party for party in impact["parties"]}
    lines = []
    # Who receives it, grouped: the communes that hold it for themselves, then each other holder.
    themselves = [c["nom"] for c in impact["communes"] if c["apres"] == c["id"]]
    if themselves:
        lines.append(
            ngettext(
                "Ce changement confie la compétence %(c)s à %(n)d commune, sur son territoire : "
                "%(noms)s.",
                "Ce changement confie la compétence %(c)s à %(n)d communes, chacune sur son "
                "territoire : %(noms)s.",
                len(themselves),
            )
            % {"c": nom, "n": len(themselves), "noms": _names(themselves)}
        )
    for party in impact["parties"]:
        gains = [c["nom"] for c in impact["communes"] if c["apres"] == party["id"] != c["id"]]
        if gains:
            lines.append(
                ngettext(
                    "Ce changement confie la compétence %(c)s à %(holder)s sur %(n)d commune : "
                    "%(noms)s.",
                    "Ce changement confie la compétence %(c)s à %(holder)s sur %(n)d communes : "
                    "%(noms)s.",
                    len(gains),
                )
                % {"c": nom, "holder": party["nom"], "n": len(gains), "noms": _names(gains)}
            )
    for party in impact["parties"]:
        if party["membre_id"] is None:
            continue
        who = party["nom"]
        if party["services"]:
            who = f"{who} — {', '.join(party['services'])}"
        if party["losses"]:
            n = len(party["losses"])
            lines.append(
                ngettext(
                    "%(who)s perd la compétence sur %(n)d commune : %(noms)s.",
                    "%(who)s perd la compétence sur %(n)d communes : %(noms)s.",
                    n,
                )
                % {"who": who, "n": n, "noms": _names(party["losses"])}
            )
        if party["gains"]:
            n = len(party["gains"])
            if party["services"]:
                lines.append(
                    ngettext(
                        "%(who)s la reçoit sur %(n)d commune.",
                        "%(who)s la reçoit sur %(n)d communes.",
                        n,
                    )
                    % {"who": who, "n": n}
                )
            else:
                lines.append(
                    _(
                        "%(who)s n’a aucun service pour cette compétence : les demandes iront "
                        "à son contact général."
                    )
                    % {"who": who}
                )
    outside = [
        parties[c["apres"]]["nom"]
        for c in impact["communes"]
        if parties[c["apres"]]["membre_id"] is None
        and parties[c["apres"]]["kind"] == Collectivite.Kind.COMMUNE
    ]
    if outside:
        lines.append(
            ngettext(
                "%(n)d commune qui la reçoit n’est pas membre : elle sera indiquée comme "
                "« la commune (non membre) », avec son contact public : %(noms)s.",
                "%(n)d communes qui la reçoivent ne sont pas membres : chacune sera indiquée "
                "comme « la commune (non membre) », avec son contact public : %(noms)s.",
                len(outside),
            )
            % {"n": len(outside), "noms": _names(outside)}
        )
    return lines


def competence_requests_for_membre(membre: Membre) -> QuerySet[CompetenceChangeRequest]:
    """The pending requests a member made or must decide."""
    return (
        CompetenceChangeRequest.objects.filter(status=CompetenceChangeRequest.Status.PENDING)
        .filter(Q(membre=membre) | Q(affected_members=membre))
        .distinct()
        .select_related("membre__collectivite", "competence", "requested_by")
        .prefetch_related("affected_members__collectivite", "agreements")
    )


def get_competence_request_for_membre(membre: Membre, pk: int) -> CompetenceChangeRequest:
    """A request the member made or is asked about; 404 for any other (another member's)."""
    found = (
        CompetenceChangeRequest.objects.filter(pk=pk)
        .filter(Q(membre=membre) | Q(affected_members=membre))
        .distinct()
        .first()
    )
    if found is None:
        raise Http404
    return found
