"""Who may do what, in one table: the code that `docs/permissions.md` documents.

A permission is granted by the roles a user holds *in a member* (and then only for that member)
or by a structure-wide role (opérateur, comité d'éthique: then for every member). Views ask
through `membre_view` (socle.membres.decorators), services through `permission_check`, templates
through the `grants` of the request: all three read this table and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from socle.membres.models import Role

K = Role.Kind


@dataclass(frozen=True)
class Permission:
    """What grants one permission: member roles (in that member) and structure roles."""

    label: str
    member_roles: frozenset[str] = frozenset()
    structure_roles: frozenset[str] = frozenset()


def _p(label: str, member: Iterable[str] = (), structure: Iterable[str] = ()) -> Permission:
    return Permission(label, frozenset(member), frozenset(structure))


OPERATEUR = {K.OPERATEUR}
STAFF = {K.ADMINISTRATEUR, K.AGENT, K.ELU}

# The table. Module apps add theirs through their registry entry (socle.core.modules).
PERMISSIONS: dict[str, Permission] = {
    "membres.ajouter": _p("Ajouter un membre", structure=OPERATEUR),
    "membre.voir": _p("Ouvrir la gestion d’un membre", STAFF, OPERATEUR),
    "membre.reglages": _p("Changer les réglages d’un membre", {K.ADMINISTRATEUR}, OPERATEUR),
    "membre.statut": _p("Activer ou suspendre un membre, fixer son nom d’hôte", (), OPERATEUR),
    "services.gerer": _p("Créer, modifier, supprimer des services", {K.ADMINISTRATEUR}, OPERATEUR),
    "agents.gerer": _p("Inviter des agents, retirer des rôles", {K.ADMINISTRATEUR}, OPERATEUR),
    "competences.voir": _p("Voir qui exerce chaque compétence", STAFF, OPERATEUR),
    "competences.gerer": _p(
        "Fixer les exceptions et transferts de compétences", {K.ADMINISTRATEUR}, OPERATEUR
    ),
    "competences.confier": _p("Confier une compétence à une autre collectivité", (), OPERATEUR),
    "competences.arbitrer": _p(
        "Appliquer sans leur accord un changement de compétence qui touche d’autres membres",
        (),
        OPERATEUR,
    ),
    "audit.lire": _p("Lire l’historique des modifications", {K.ADMINISTRATEUR}, OPERATEUR),
    "usagers.assister": _p(
        "Retrouver le compte d’un usager (journalisé)",
        {K.ADMINISTRATEUR, K.AGENT, K.DPO},
        OPERATEUR,
    ),
    "journal.lire": _p("Lire le journal des accès d’un membre", {K.DPO}, {K.ETHIQUE}),
    "journal.lire_tout": _p("Lire le journal de toute la structure", (), {K.ETHIQUE}),
    "second_facteur.reinitialiser": _p(
        "Réinitialiser le second facteur d’une autre personne", (), OPERATEUR
    ),
    "cles_api.gerer": _p("Créer et révoquer des clés d’API", {K.ADMINISTRATEUR}, OPERATEUR),
    "pages.modifier": _p(
        "Modifier les pages du pied de page (mentions légales, accessibilité…)", (), OPERATEUR
    ),
}


# The names that module apps added (through their registry entry), apart from the platform's.
MODULE_PERMISSIONS: set[str] = set()


def permission_register(name: str, permission: Permission) -> None:
    """Add a module's permission to the table (from its registry entry, once at start-up)."""
    existing = PERMISSIONS.get(name)
    if existing is not None and existing != permission:
        raise ValueError(f"permission {name!r} is already defined differently")
    PERMISSIONS[name] = permission
    MODULE_PERMISSIONS.add(name)


@dataclass
class Grants:
    """The active roles of one user, loaded once, and the permissions they give."""

    structure: set[str] = field(default_factory=set)
    # membre_id -> kinds of role held in that member
    members: dict[int, set[str]] = field(default_factory=dict)

    @property
    def holds_any_role(self) -> bool:
        return bool(self.structure or self.members)

    def kinds(self) -> set[str]:
        """Every kind of role held, anywhere."""
        held = set(self.structure)
        for kinds in self.members.values():
            held |= kinds
        return held

    def has(self, name: str, membre=None) -> bool:
        """Tell whether the permission is held (for this member, if it is a member's)."""
        permission = PERMISSIONS[name]
        if self.structure & permission.structure_roles:
            return True
        if membre is None:
            return False
        membre_id = membre if isinstance(membre, int) else membre.pk
        return bool(self.members.get(membre_id, set()) & permission.member_roles)

    def membre_ids(self, name: str) -> set[int] | None:
        """Return the members where the permission is held; None means every member."""
        permission = PERMISSIONS[name]
        if self.structure & permission.structure_roles:
            return None
        return {pk for pk, kinds in self.members.items() if kinds & permission.member_roles}


NO_GRANTS = Grants()


def grants_for(user) -> Grants:
    """Return the user's grants, read from the database once per user object (one query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_GRANTS
    cached = getattr(user, "_socle_grants", None)
    if cached is not None:
        return cached
    grants = Grants()
    rows = Role.objects.filter(user=user, ended_at__isnull=True).values_list("kind", "membre_id")
    for kind, membre_id in rows:
        if membre_id is None:
            grants.structure.add(kind)
        else:
            grants.members.setdefault(membre_id, set()).add(kind)
    user._socle_grants = grants
    return grants


def grants_forget(user) -> None:
    """Drop the cached grants of a user object (after its roles changed)."""
    if user is not None and hasattr(user, "_socle_grants"):
        del user._socle_grants


def permission_check(user, name: str, membre=None) -> None:
    """Raise PermissionDenied unless the user holds the permission (None: the platform itself)."""
    if user is None:
        return
    if not grants_for(user).has(name, membre):
        raise PermissionDenied


def permissions_markdown(*, modules: bool = False) -> str:
    """Return the platform's permission table (and the modules', if asked) as Markdown."""
    labels = dict(Role.Kind.choices)

    def names(kinds: frozenset[str]) -> str:
        return ", ".join(str(labels.get(kind, kind)) for kind in sorted(kinds)) or "—"

    lines = [
        "| permission | what it allows | roles, in their member | roles, everywhere |",
        "|---|---|---|---|",
    ]
    for name in sorted(PERMISSIONS):
        if name in MODULE_PERMISSIONS and not modules:
            continue
        permission = PERMISSIONS[name]
        lines.append(
            f"| `{name}` | {permission.label} | {names(permission.member_roles)} "
            f"| {names(permission.structure_roles)} |"
        )
    return "\n".join(lines) + "\n"
