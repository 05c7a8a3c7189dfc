"""Writes of the portail: the opérateurs edit the footer's pages."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from socle.membres.permissions import permission_check
from socle.membres.services import audit_record
from socle.portail.models import PagePlateforme
from socle.portail.selectors import CONFORMITE_CACHE_KEY


@transaction.atomic
def page_update(
    *, acting_user, page: PagePlateforme, titre: str, contenu: str, conformite: str = ""
) -> PagePlateforme:
    """Change one of the footer's pages (an opérateur's), and audit it."""
    permission_check(acting_user, "pages.modifier")
    titre = titre.strip()
    errors = {}
    if not titre:
        errors["titre"] = _("Donnez un titre à la page.")
    if page.code == PagePlateforme.Code.ACCESSIBILITE:
        if conformite not in PagePlateforme.Conformite.values:
            errors["conformite"] = _("Indiquez le niveau de conformité au RGAA.")
    else:
        conformite = ""
    if errors:
        raise ValidationError(errors)
    before = {"titre": page.titre, "contenu": page.contenu, "conformite": page.conformite}
    page.titre, page.contenu, page.conformite = titre, contenu, conformite
    page.updated_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    page.save()
    after = {"titre": page.titre, "contenu": page.contenu, "conformite": page.conformite}
    audit_record(
        acting_user=acting_user,
        membre=None,
        action="page.update",
        target=page,
        details={
            "code": page.code,
            "champs": sorted(key for key in before if before[key] != after[key]),
        },
    )
    # The footer shows the declared level from the cache: the next page reads it afresh.
    cache.delete(CONFORMITE_CACHE_KEY)
    return page
