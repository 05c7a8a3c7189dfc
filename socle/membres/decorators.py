"""The one way a back-office view reaches a member: `@membre_view("permission")`."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.decorators.http import require_http_methods

from socle.membres.permissions import grants_for
from socle.membres.selectors import get_membre_for_user


def membre_view(permission: str, *, methods: list[str] | None = None) -> Callable:
    """Resolve the member from the URL's slug (or the member's own host name), check the
    permission, and call the view as view(request, membre, ...).

    In this order, the same on every page: anonymous visitors go to the login page, a method
    not in `methods` is a 405, an unknown member a 404 and a missing permission a 403. The
    user's roles are read once per request.
    """

    def decorator(view: Callable) -> Callable:
        @login_required
        @require_http_methods(methods or ["GET", "HEAD", "POST"])
        @wraps(view)
        def wrapper(request, *args, slug: str | None = None, **kwargs):
            if slug is None:
                host_membre = getattr(request, "host_membre", None)
                if host_membre is None:
                    raise Http404
                slug = host_membre.slug
            membre = get_membre_for_user(user=request.user, slug=slug, permission=permission)
            request.membre = membre
            return view(request, membre, *args, **kwargs)

        wrapper.membre_permission = permission  # type: ignore[attr-defined]
        return wrapper

    return decorator


def structure_view(permission: str, *, methods: list[str] | None = None) -> Callable:
    """Check a structure-wide permission (held everywhere, or in at least one member) and call
    the view as view(request, ...).

    The same order as `membre_view`: login page, 405, then 403 without the permission.
    """

    def decorator(view: Callable) -> Callable:
        @login_required
        @require_http_methods(methods or ["GET", "HEAD", "POST"])
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            held = grants_for(request.user).membre_ids(permission)
            if held is not None and not held:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.structure_permission = permission  # type: ignore[attr-defined]
        return wrapper

    return decorator
