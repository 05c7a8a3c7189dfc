"""A member's theme colours, kept readable (WCAG AA contrast)."""

import re

DEFAULT_COLOUR = "#1f4e8c"
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
DARK_TEXT = "#161616"
WHITE = "#ffffff"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """Return the WCAG contrast ratio of two #RRGGBB colours."""
    light, dark = sorted([_luminance(first), _luminance(second)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _darken(colour: str, factor: float) -> str:
    channels = [int(int(colour[i : i + 2], 16) * factor) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)


def theme_colours(colour: str | None) -> dict[str, str]:
    """Return the member's colour and companions that keep WCAG AA contrast.

    ``theme`` fills bands, ``on_theme`` is the text written on them, ``theme_text`` is the
    colour as dark as needed to be read (links, headings) on a white page.
    """
    colour = colour if colour and COLOUR_RE.match(colour) else DEFAULT_COLOUR
    colour = colour.lower()
    on_theme = WHITE if contrast(colour, WHITE) >= contrast(colour, DARK_TEXT) else DARK_TEXT
    text = colour
    while contrast(text, WHITE) < 4.5 and text != "#000000":
        text = _darken(text, 0.85)
    return {"theme": colour, "on_theme": on_theme, "theme_text": text}


def colour_or_default(colour: str | None) -> str:
    """Return the colour if it is a valid #RRGGBB, else the platform's default."""
    return theme_colours(colour)["theme"]
