"""The UI kit's template tags: `{% load socle_kit %}`.

Every component is documented, with example data, on the kit page (/gestion/kit/).
"""

from collections.abc import Sequence
from typing import Any

from django import template
from django.core.paginator import Page
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext as _

from socle.core import charts
from socle.core.colours import colour_or_default

register = template.Library()

# Tone → the symbol shown before the label: a badge never speaks through colour alone.
BADGE_TONES = {
    "neutre": "•",
    "info": "i",
    "succes": "✓",
    "attention": "!",
    "erreur": "✕",
}


@register.simple_tag
def page_title(*args: Any) -> str:
    """`{% page_title form "Titre" %}`: the title, prefixed by « Erreur : » when a form has errors.

    Any number of forms may come first (`{% page_title form1 form2 title %}`); the last argument
    is the title. Unset forms ("" in templates) are ignored.
    """
    *forms, title = args
    if any(getattr(form, "errors", None) for form in forms):
        return _("Erreur : %(title)s") % {"title": title}
    return str(title)


@register.simple_tag
def badge(label: Any, tone: str = "neutre") -> SafeString:
    """`{% badge "Validé" "succes" %}`: a status badge (neutre, info, succes, attention, erreur)."""
    tone = tone if tone in BADGE_TONES else "neutre"
    return format_html(
        '<span class="kit-badge kit-badge-{tone}"><span class="kit-badge-symbol" '
        'aria-hidden="true">{symbol}</span>{label}</span>',
        tone=tone,
        symbol=BADGE_TONES[tone],
        label=label,
    )


def post_button(request: Any, url: str, label: Any, hidden: Any) -> SafeString:
    """A one-button POST form (CSRF token included) for a table's row action; `hidden` names
    the row to screen readers (« Révoquer <span>la clé X</span> »)."""
    from django.middleware.csrf import get_token

    return format_html(
        '<form method="post" action="{url}"><input type="hidden" name="csrfmiddlewaretoken" '
        'value="{token}"><button type="submit" class="button button-secondary">{label}'
        '<span class="visually-hidden"> {hidden}</span></button></form>',
        url=url,
        token=get_token(request),
        label=label,
        hidden=hidden,
    )


@register.inclusion_tag("core/components/table.html")
def data_table(
    caption: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    empty: str = "",
    row_header: bool = False,
    caption_hidden: bool = False,
    table_id: str = "",
) -> dict[str, Any]:
    """`{% data_table caption columns rows empty="…" row_header=True %}`.

    ``rows`` hold one value per column (escaped, unless marked safe, e.g. a ``badge``); every
    cell gets its column's name in ``data-label``, shown before it when the table is stacked
    as cards on small screens. With no rows, ``empty`` is shown instead (an empty state).
    """
    cells = [
        [
            {"label": label, "value": value, "header": row_header and index == 0}
            for index, (label, value) in enumerate(zip(columns, row, strict=True))
        ]
        for row in rows
    ]
    return {
        "caption": caption,
        "caption_hidden": caption_hidden,
        "columns": columns,
        "rows": cells,
        "empty": empty,
        "table_id": table_id or "tableau-" + (slugify(caption) or "sans-titre"),
    }


def _page_url(request, param: str, number: int) -> str:
    """The current URL's query string with another page number (none for the first page)."""
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    if number == 1:
        params.pop(param, None)
    else:
        params[param] = str(number)
    query = params.urlencode()
    return f"?{query}" if query else (request.path if request is not None else "?")


@register.inclusion_tag("core/components/pagination.html", takes_context=True)
def pagination(context, page: Page, param: str = "page", label: str = "") -> dict[str, Any]:
    """`{% pagination page %}`: links to the other pages of a Django ``Page``, filters kept.

    The other query-string parameters (the filters) are kept in every link; ``param`` names the
    page parameter, ``label`` the navigation landmark (« Pagination » by default).
    """
    request = context.get("request")
    items: list[dict[str, Any]] = []
    if page.has_other_pages():
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
            if number == page.paginator.ELLIPSIS:
                items.append({"ellipsis": True})
            else:
                items.append(
                    {
                        "number": number,
                        "url": _page_url(request, param, int(number)),
                        "current": number == page.number,
                    }
                )
    return {
        "page": page,
        "items": items,
        "label": label or _("Pagination"),
        "previous_url": _page_url(request, param, page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": _page_url(request, param, page.next_page_number()) if page.has_next() else "",
    }


@register.simple_tag
def bar_chart(title: str, labels, values, **options) -> SafeString:
    """`{% bar_chart "Titre" labels values unit="%" %}`: see ``socle.core.charts.bar_chart``."""
    return charts.bar_chart(title, labels, values, **options)


@register.simple_tag
def line_chart(title: str, labels, series, **options) -> SafeString:
    """`{% line_chart "Titre" labels series %}`: see ``socle.core.charts.line_chart``."""
    return charts.line_chart(title, labels, series, **options)


@register.simple_tag
def radar_chart(title: str, labels, series, **options) -> SafeString:
    """`{% radar_chart "Titre" labels series maximum=100 %}`: see ``charts.radar_chart``."""
    return charts.radar_chart(title, labels, series, **options)


@register.simple_tag
def theme_css_url(colour: str | None = None, others: Any = ()) -> str:
    """The address of the theme stylesheet: the page's colour, then the others the page shows.

    ``others`` are colours (or objects with a ``couleur``) that classes ``couleur-RRGGBB`` style
    (see ``colour_class``); with a Content-Security-Policy, pages carry no inline style.
    """
    page = colour_or_default(colour)[1:]
    rest: list[str] = []
    for other in others or ():
        value = colour_or_default(getattr(other, "couleur", other))[1:]
        if value != page and value not in rest:
            rest.append(value)
    return reverse("theme_css", args=[".".join([page, *sorted(rest)])])


@register.filter
def colour_class(colour: str | None) -> str:
    """The class that gives an element a colour's theme (``theme_css_url`` must list it)."""
    return "couleur-" + colour_or_default(colour)[1:]
