"""« Qui contacter ? »: problems in plain words, places, and the card that answers.

A person names a problem as they see it (« Un lampadaire éteint »), not a competence code;
``PROBLEMES`` maps each to a competence of the catalogue (socle.territoires.competences).
Routing says who holds it there and which service handles it; the card never offers a way in
without an email or a phone: it falls back to the holder's public contact, then to the mairie
of the commune where the place lies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import shapely
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socle.membres.models import Membre
from socle.routage.adresse import Place
from socle.routage.routing import (
    Contact,
    Holder,
    RoutingResult,
    reason_label,
    route,
    service_reason_label,
)
from socle.territoires.hours import horaires_en_clair
from socle.territoires.models import Collectivite, CommuneGeometry, search_key
from socle.territoires.selectors import collectivite_by_key, collectivite_search


@dataclass(frozen=True)
class Probleme:
    """A problem as a person names it, and the competence that covers it."""

    code: str
    label: str | Promise
    competence: str


PROBLEMES: tuple[Probleme, ...] = (
    Probleme("nid-de-poule", gettext_lazy("Un nid-de-poule ou un trottoir abîmé"), "voirie"),
    Probleme(
        "lampadaire", gettext_lazy("Un lampadaire éteint ou qui clignote"), "eclairage-public"
    ),
    Probleme(
        "depot-sauvage", gettext_lazy("Des déchets abandonnés ou un dépôt sauvage"), "proprete"
    ),
    Probleme("tag", gettext_lazy("Un tag ou un graffiti sur un mur public"), "proprete"),
    Probleme("poubelles", gettext_lazy("Une poubelle pas ramassée ou un bac abîmé"), "dechets"),
    Probleme(
        "feu-panneau",
        gettext_lazy("Un feu tricolore en panne ou un panneau tombé"),
        "signalisation",
    ),
    Probleme("arbre", gettext_lazy("Un arbre dangereux ou un parc mal entretenu"), "espaces-verts"),
    Probleme("banc", gettext_lazy("Un banc ou un abri cassé"), "mobilier-urbain"),
    Probleme("fuite-eau", gettext_lazy("Une fuite d’eau ou plus d’eau au robinet"), "eau-potable"),
    Probleme(
        "egout", gettext_lazy("Une bouche d’égout bouchée ou une odeur d’égout"), "assainissement"
    ),
    Probleme(
        "voiture",
        gettext_lazy("Une voiture garée au même endroit depuis des semaines"),
        "stationnement",
    ),
    Probleme(
        "cantine", gettext_lazy("La cantine de l’école de mon enfant"), "restauration-scolaire"
    ),
    Probleme("acte", gettext_lazy("Un acte de naissance, de mariage ou de décès"), "etat-civil"),
    Probleme(
        "permis", gettext_lazy("Un permis de construire ou des travaux chez un voisin"), "urbanisme"
    ),
)


def probleme_choices() -> list[tuple[str, str | Promise]]:
    """Return (code, label) of the problems, for a form."""
    return [(probleme.code, probleme.label) for probleme in PROBLEMES]


def probleme_for_code(code: str) -> Probleme | None:
    """Return the problem with this code, if any."""
    return next((probleme for probleme in PROBLEMES if probleme.code == code), None)


def communes_of(membre: Membre | None):
    """The communes a member's page covers: itself, or its EPCI's communes; all without one."""
    communes = Collectivite.objects.filter(kind=Collectivite.Kind.COMMUNE, active=True)
    if membre is None:
        return communes
    collectivite = membre.collectivite
    if collectivite.kind == Collectivite.Kind.COMMUNE:
        return communes.filter(pk=collectivite.pk)
    if collectivite.kind == Collectivite.Kind.EPCI:
        return communes.filter(epci=collectivite)
    if collectivite.kind == Collectivite.Kind.DEPARTEMENT:
        return communes.filter(departement=collectivite)
    return communes.filter(region=collectivite)


def commune_place(commune: Collectivite) -> Place | None:
    """Where a commune is, for routing: its mairie, else a point inside its boundary."""
    label = _("%(nom)s (mairie)") % {"nom": commune.nom}
    if commune.latitude is not None and commune.longitude is not None:
        return Place(label, commune.latitude, commune.longitude, commune.code)
    geometry = CommuneGeometry.objects.filter(commune=commune).values_list("wkb", flat=True)
    wkb = geometry.first()
    if wkb is None:
        return None
    point = shapely.point_on_surface(shapely.from_wkb(bytes(wkb)))
    return Place(_("%(nom)s") % {"nom": commune.nom}, point.y, point.x, commune.code)


def commune_places(query: str, *, membre: Membre | None = None) -> list[Place]:
    """Return the places of the communes matching ``query`` (name or INSEE code), larger first.

    A commune whose name is exactly the one typed comes alone: « Pessac » means Pessac, not
    Pessac-sur-Dordogne, whose people would type its full name.
    """
    found = [
        collectivite
        for collectivite in collectivite_search(query, limit=50)
        if collectivite.kind == Collectivite.Kind.COMMUNE
    ]
    if membre is not None:
        allowed = set(communes_of(membre).values_list("pk", flat=True))
        found = [commune for commune in found if commune.pk in allowed]
    key = search_key(query)
    exact = [commune for commune in found if commune.nom_recherche == key]
    places = []
    for commune in exact or found:
        place = commune_place(commune)
        if place is not None:
            places.append(place)
    return places[:10]


def membre_centre(membre: Membre) -> tuple[float, float] | None:
    """A point to favour a member's addresses: its collectivité's seat, when known."""
    collectivite = membre.collectivite
    if collectivite.latitude is None or collectivite.longitude is None:
        return None
    return collectivite.latitude, collectivite.longitude


@dataclass
class Joindre:
    """How to reach whoever handles it: never without an email or a phone."""

    nom: str
    email: str = ""
    telephone: str = ""
    adresse: str = ""
    site_web: str = ""
    horaires: list[str] = field(default_factory=list)
    # Why this contact rather than a service, when it stands in for one.
    note: str = ""

    @property
    def joignable(self) -> bool:
        return bool(self.email or self.telephone)


@dataclass
class Fiche:
    """The card « Qui contacter ? » answers with."""

    lieu: str
    probleme: Probleme
    commune: str
    holder: Holder | None = None
    holder_kind: str = ""
    pourquoi: str = ""
    service: str = ""
    joindre: Joindre | None = None
    # Set when the place lies in no commune: the card has nothing else.
    erreur: str = ""


def _kind_label(kind: str) -> str:
    labels = dict(Collectivite.Kind.choices)
    return str(labels.get(kind, kind))


def _from_collectivite(collectivite: Collectivite, note: str = "") -> Joindre:
    return Joindre(
        nom=collectivite.nom
        if collectivite.kind != Collectivite.Kind.COMMUNE
        else _("Mairie de %(nom)s") % {"nom": collectivite.nom},
        email=collectivite.email,
        telephone=collectivite.telephone,
        adresse=collectivite.adresse,
        site_web=collectivite.site_web,
        horaires=horaires_en_clair(collectivite.horaires),
        note=note,
    )


def _from_contact(contact: Contact, holder: Holder) -> Joindre:
    note = ""
    if contact.point_entree:
        note = _(
            "%(holder)s n’a pas de contact public ici : la mairie de %(commune)s reçoit votre "
            "demande et la transmet."
        ) % {"holder": holder.nom, "commune": contact.collectivite.nom}
    return Joindre(
        nom=_("Mairie de %(nom)s") % {"nom": contact.collectivite.nom},
        email=contact.email,
        telephone=contact.telephone,
        adresse=contact.adresse,
        site_web=contact.site_web,
        horaires=horaires_en_clair(contact.horaires),
        note=note,
    )


def _joindre(result: RoutingResult) -> Joindre | None:
    """Choose how to reach them: the service, else the holder's public contact, else the mairie."""
    holder, commune = result.holder, result.commune
    assert holder is not None and commune is not None
    holder_row = collectivite_by_key(f"{holder.kind}:{holder.code}")
    service = result.service
    if service is not None and (service.email or service.telephone):
        joindre = Joindre(nom=service.nom, email=service.email, telephone=service.telephone)
        if holder_row is not None:
            joindre.adresse = holder_row.adresse
            joindre.horaires = horaires_en_clair(holder_row.horaires)
        return joindre
    candidates: list[Joindre] = []
    if result.contact is not None:
        candidates.append(_from_contact(result.contact, holder))
    note = ""
    if service is not None:
        note = _("Le service %(service)s n’a ni courriel ni téléphone public.") % {
            "service": service.nom
        }
    elif result.service_reason:
        note = service_reason_label(result.service_reason)
    if holder_row is not None:
        candidates.append(_from_collectivite(holder_row, note))
    mairie = collectivite_by_key(f"{Collectivite.Kind.COMMUNE}:{commune.code}")
    if mairie is not None:
        entry = _("La mairie de %(commune)s reçoit votre demande et la transmet à %(holder)s.") % {
            "commune": mairie.nom,
            "holder": holder.nom,
        }
        candidates.append(
            _from_collectivite(mairie, f"{note} {entry}".strip() if mairie != holder_row else note)
        )
    return next((joindre for joindre in candidates if joindre.joignable), None)


def fiche(place: Place, probleme: Probleme) -> Fiche:
    """Answer « Qui contacter ? » for this problem at this place."""
    result = route(place.lat, place.lon, probleme.competence)
    card = Fiche(lieu=place.label, probleme=probleme, commune="")
    if not result.found or result.holder is None or result.reason is None:
        card.erreur = _(
            "Ce lieu ne se trouve dans aucune commune connue de la plateforme. Indiquez plutôt "
            "votre commune."
        )
        return card
    holder = result.holder
    card.commune = result.commune.nom if result.commune else ""
    card.holder = holder
    card.holder_kind = _kind_label(holder.kind)
    card.pourquoi = _("« %(competence)s » : %(reason)s") % {
        "competence": result.competence.nom,
        "reason": reason_label(result.reason),
    }
    card.service = result.service.nom if result.service else ""
    card.joindre = _joindre(result)
    return card
