"""The module registry: what each module app declares, in one place, about itself.

A module app (signalements, démarches, open data…) sets `socle_module = Module(...)` on its
AppConfig. Nothing else needs editing: the URL configuration mounts its URLs, the member
settings offer its switch, the back office shows its menu entries, the slugs it needs are
reserved, its permissions join the table, and the tenant-isolation test walks its pages.

URLs a module declares are mounted at:
- `public_urls` → `/<member slug>/<code>/…` (the member's public site);
- `gestion_urls` → `/gestion/<member slug>/<code>/…`, URL names `gestion:<code>:<name>` (views
  get the member through `socle.membres.decorators.membre_view`);
- `site_urls` → the site's root, URL names `<code>-site:<name>`: the module's pages for the
  whole structure (its own paths, such as `/open311/v2/` or `/gestion/<code>/…`; their first
  segments go in `reserved_slugs`);
- `api_urls` → `/api/v1/<code>/…`, URL names `api-<code>:<name>`; a module mounted at the root
  (`mount=""`, routage) shares the `api` namespace: `/api/v1/routage`, `api:routage`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.functional import Promise

# Addresses the platform's own pages take, so no member may use them as its slug.
PLATFORM_RESERVED_SLUGS = frozenset(
    {
        "api",
        "comptes",
        "gestion",
        "static",
        "media",
        "admin",
        "operateur",
        "journal",
        "mes-acces",
        "kit",
        "membres",
        # The structure's pages, linked from every page's footer (socle.portail).
        "mentions-legales",
        "accessibilite",
        "donnees-personnelles",
        "contact",
        "pages",
    }
)


@dataclass(frozen=True)
class MenuEntry:
    """A link in a member's back office: URL name (reversed with the member's slug), label and
    the permission (socle.membres.permissions) it needs."""

    label: str | Promise
    url_name: str
    permission: str


@dataclass(frozen=True)
class PermissionSpec:
    """A module's permission: which member roles grant it, and which structure roles."""

    label: str | Promise
    member_roles: tuple[str, ...] = ()
    structure_roles: tuple[str, ...] = ("operateur",)


@dataclass(frozen=True)
class Module:
    """A module app's declaration."""

    code: str
    label: str | Promise
    description: str | Promise = ""
    public_urls: str | None = None
    gestion_urls: str | None = None
    site_urls: str | None = None
    api_urls: str | None = None
    menu: tuple[MenuEntry, ...] = ()
    permissions: dict[str, PermissionSpec] = field(default_factory=dict)
    reserved_slugs: tuple[str, ...] = ()
    # The path segment of its pages under a member (default: its code; "" for none).
    mount: str | None = None
    # False for a part of the platform every member has (routing): no per-member switch.
    switchable: bool = True
    # How the back office's audit trail names this module's actions ("parcelle.create": "…").
    audit_actions: dict[str, str | Promise] = field(default_factory=dict)
    # A callable (or its dotted path) returning {"paths": {...}, "schemas": {...}} for OpenAPI.
    openapi: Callable[[], dict[str, Any]] | str | None = None
    # The scopes an API key may hold to call its keyed endpoints: {"jardins.lire": label}.
    api_scopes: dict[str, str | Promise] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        """The path segment of the module's pages, with its trailing slash (or nothing)."""
        mount = self.code if self.mount is None else self.mount
        return f"{mount}/" if mount else ""


def registered_modules() -> list[Module]:
    """Return the installed modules, in INSTALLED_APPS order."""
    declared = (getattr(config, "socle_module", None) for config in apps.get_app_configs())
    return [module for module in declared if isinstance(module, Module)]


def module_for_code(code: str) -> Module | None:
    """Return the installed module with this code, if any."""
    return next((module for module in registered_modules() if module.code == code), None)


def module_codes() -> list[str]:
    """Return the codes of the modules a member may switch on or off."""
    return [module.code for module in registered_modules() if module.switchable]


def module_choices() -> list[tuple[str, str | Promise]]:
    """Return (code, label) of the switchable modules, for a member's settings form."""
    return [(module.code, module.label) for module in registered_modules() if module.switchable]


def reserved_slugs() -> frozenset[str]:
    """Return every address a member may not take: the platform's and each module's."""
    reserved = set(PLATFORM_RESERVED_SLUGS)
    for module in registered_modules():
        reserved.add(module.code)
        reserved.update(module.reserved_slugs)
    return frozenset(reserved)
