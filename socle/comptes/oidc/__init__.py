"""The OpenID Connect relying party: FranceConnect v2 (citizens) and ProConnect (agents).

- `client`: the protocol (discovery, JWKS, state/nonce, token and userinfo verification);
- `services`: what a verified identity does to accounts (login, link, merge) and its journal;
- `views` and `urls`: the pages under /comptes/oidc/ (URL namespace `oidc`).

Code outside this package uses only the names below.
"""

from socle.comptes.oidc.client import (
    OIDCError,
    Provider,
    VerifiedIdentity,
    configured_providers,
    forget_provider_cache,
    get_provider,
)

__all__ = [
    "OIDCError",
    "Provider",
    "VerifiedIdentity",
    "configured_providers",
    "forget_provider_cache",
    "get_provider",
]
