"""Template filters of the observatory's public pages: `{% load observatoire_public %}`."""

from __future__ import annotations

import re

from django import template

register = template.Library()

_WEB = re.compile(r"^https?://[^\s/\"'<>]+", re.IGNORECASE)


@register.filter
def lien_web(value: object) -> str:
    """Return the address if it is a web one (http or https), else "": an address typed in
    elsewhere (an actor's or a software's site) never becomes a `javascript:` link."""
    text = str(value or "").strip()
    return text if _WEB.match(text) else ""
