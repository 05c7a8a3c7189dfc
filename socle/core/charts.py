"""Server-rendered SVG charts, without JavaScript, always followed by their data as a table.

``bar_chart`` draws horizontal bars (one per category, the label above its bar, which reads at
320 px as well as on a desktop); ``line_chart`` draws one or more series over the same labels.
Both return a ``<figure>`` holding the SVG (``role="img"``, ``<title>`` and ``<desc>``) and a
``<details>`` with the same numbers in an HTML table, for screen readers and for everyone who
prefers figures to shapes. Series are told apart by their marker and dash, not only by colour.
"""

import math
from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

Number = int | float

BAR_WIDTH = 360
BAR_ROW = 46
VALUE_ROOM = 72
LINE_WIDTH = 360
LINE_HEIGHT = 220
LINE_MARGIN = {"top": 14, "right": 14, "bottom": 34, "left": 46}
MAX_X_LABELS = 6
# Marker shapes and dash patterns, so that series differ by more than their colour.
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "6 4", "2 4", "10 3 2 3")


def format_number(value: Number) -> str:
    """Format a number the French way (1 234,5), as both the chart and its table show it."""
    return number_format(value, use_l10n=True, force_grouping=True)


def _chart_id(title: str, chart_id: str | None) -> str:
    return chart_id or "graphique-" + (slugify(title) or "sans-titre")


def _data_table(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], row_header: bool = True
) -> str:
    head = "".join(format_html('<th scope="col">{}</th>', header) for header in headers)
    body = []
    for row in rows:
        cells = []
        for index, (header, cell) in enumerate(zip(headers, row, strict=True)):
            tag = "th" if index == 0 and row_header else "td"
            scope = ' scope="row"' if tag == "th" else ""
            cells.append(
                format_html(
                    '<{tag}{scope} data-label="{label}">{cell}</{tag}>',
                    tag=tag,
                    scope=mark_safe(scope),  # noqa: S308 - a constant
                    label=header,
                    cell=cell,
                )
            )
        body.append("<tr>" + "".join(cells) + "</tr>")
    return format_html(
        '<details class="kit-chart-data"><summary>{summary}</summary>'
        '<table class="kit-table"><caption>{caption}</caption>'
        "<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>",
        summary=_("Voir les données du graphique"),
        caption=title,
        head=mark_safe(head),  # noqa: S308 - built with format_html above
        body=mark_safe("".join(body)),  # noqa: S308 - built with format_html above
    )


def _figure(chart_id: str, title: str, svg: str, legend: str, table: str) -> SafeString:
    return format_html(
        '<figure class="kit-chart" id="{id}"><figcaption class="kit-chart-title">{title}'
        "</figcaption>{svg}{legend}{table}</figure>",
        id=chart_id,
        title=title,
        svg=mark_safe(svg),  # noqa: S308 - every text in it went through escape()
        legend=mark_safe(legend),  # noqa: S308 - idem
        table=mark_safe(table),  # noqa: S308 - idem
    )


def _svg_open(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    return (
        f'<svg class="kit-chart-svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-titre {chart_id}-desc" focusable="false" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-titre">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[Number],
    *,
    description: str = "",
    label_header: str = "",
    value_header: str = "",
    unit: str = "",
    chart_id: str | None = None,
) -> SafeString:
    """Return a horizontal bar chart and its data table, as safe HTML.

    ``labels`` and ``values`` go together (same length, values ≥ 0); ``unit`` follows every
    value (« 12 % »); ``description`` is read by screen readers after the title (a summary is
    written when it is empty).
    """
    if len(labels) != len(values):
        raise ValueError("labels and values must have the same length")
    chart_id = _chart_id(title, chart_id)
    shown = [format_number(value) + (f" {unit}" if unit else "") for value in values]
    if not description and values:
        top = max(range(len(values)), key=lambda i: values[i])
        low = min(range(len(values)), key=lambda i: values[i])
        description = _(
            "%(count)s valeurs. La plus haute : %(top_label)s, %(top)s ; la plus basse : "
            "%(low_label)s, %(low)s. Les données sont détaillées dans le tableau qui suit."
        ) % {
            "count": len(values),
            "top_label": labels[top],
            "top": shown[top],
            "low_label": labels[low],
            "low": shown[low],
        }
    highest = max([*values, 0]) or 1
    room = BAR_WIDTH - VALUE_ROOM
    height = BAR_ROW * len(values) + 8
    parts = [_svg_open(chart_id, BAR_WIDTH, height, title, description)]
    parts.append(f'<line class="kit-chart-axis" x1="0.5" y1="0" x2="0.5" y2="{height}"/>')
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        top_y = index * BAR_ROW + 4
        length = max(room * max(value, 0) / highest, 2 if value else 0)
        parts.append(
            f'<text class="kit-chart-label" x="6" y="{top_y + 14}">{escape(label)}</text>'
            f'<rect class="kit-chart-bar" x="1" y="{top_y + 20}" width="{length:.1f}" '
            f'height="18"/>'
            f'<text class="kit-chart-value" x="{length + 8:.1f}" y="{top_y + 34}">'
            f"{escape(shown[index])}</text>"
        )
    parts.append("</svg>")
    table = _data_table(
        title,
        [label_header or _("Catégorie"), value_header or _("Valeur")],
        [[label, text] for label, text in zip(labels, shown, strict=True)],
    )
    return _figure(chart_id, title, "".join(parts), "", table)


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks if span > 0 else 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8"/>'
    if shape == "triangle":
        return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z"/>'
    if shape == "diamond":
        return (
            f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}'
            f'L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4"/>'


def _legend_key(index: int) -> str:
    dash = DASHES[index % len(DASHES)]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg class="kit-chart-key kit-chart-series-{index % len(MARKERS)}" viewBox="0 0 32 12" '
        f'width="32" height="12" aria-hidden="true" focusable="false">'
        f'<line x1="0" y1="6" x2="32" y2="6"{dash_attr}/>'
        f'<g class="kit-chart-marker">{_marker(MARKERS[index % len(MARKERS)], 16, 6)}</g></svg>'
    )


def _legend(series: Sequence[tuple[str, Sequence]]) -> str:
    """The legend of several series (none for one): each name after its dash and marker."""
    if len(series) < 2:
        return ""
    return (
        '<ul class="kit-chart-legend">'
        + "".join(
            f"<li>{_legend_key(number)} {escape(name)}</li>"
            for number, (name, _values) in enumerate(series)
        )
        + "</ul>"
    )


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    *,
    description: str = "",
    label_header: str = "",
    unit: str = "",
    chart_id: str | None = None,
) -> SafeString:
    """Return a line chart of one or more series over ``labels`` and its data table.

    ``series`` is a list of ``(name, values)``, each with one value per label.
    """
    if not series or any(len(values) != len(labels) for _name, values in series):
        raise ValueError("every series needs one value per label")
    chart_id = _chart_id(title, chart_id)
    everything = [value for _name, values in series for value in values]
    low = min([*everything, 0])
    high = max([*everything, 0])
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = max(math.ceil(high / step) * step, low + step)
    left, top = LINE_MARGIN["left"], LINE_MARGIN["top"]
    plot_w = LINE_WIDTH - left - LINE_MARGIN["right"]
    plot_h = LINE_HEIGHT - top - LINE_MARGIN["bottom"]

    def x_at(index: int) -> float:
        return left + (plot_w * index / (len(labels) - 1) if len(labels) > 1 else plot_w / 2)

    def y_at(value: Number) -> float:
        return top + plot_h - plot_h * (value - low) / (high - low)

    def shown(value: Number) -> str:
        return format_number(value) + (f" {unit}" if unit else "")

    if not description:
        description = _(
            "%(count)s série(s) de %(first)s à %(last)s. "
            "Les données sont détaillées dans le tableau qui suit."
        ) % {"count": len(series), "first": labels[0], "last": labels[-1]}
    parts = [_svg_open(chart_id, LINE_WIDTH, LINE_HEIGHT, title, description)]
    tick = low
    while tick <= high + step / 2:
        y = y_at(tick)
        parts.append(
            f'<line class="kit-chart-grid" x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" '
            f'y2="{y:.1f}"/>'
            f'<text class="kit-chart-tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(format_number(round(tick, 6)))}</text>"
        )
        tick += step
    every = math.ceil(len(labels) / MAX_X_LABELS)
    for index, label in enumerate(labels):
        if index % every == 0 or index == len(labels) - 1 and index % every > every / 2:
            parts.append(
                f'<text class="kit-chart-tick" x="{x_at(index):.1f}" '
                f'y="{LINE_HEIGHT - 12}" text-anchor="middle">{escape(label)}</text>'
            )
    for number, (_name, values) in enumerate(series):
        points = " ".join(f"{x_at(i):.1f},{y_at(v):.1f}" for i, v in enumerate(values))
        dash = DASHES[number % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        markers = "".join(
            _marker(MARKERS[number % len(MARKERS)], x_at(i), y_at(v)) for i, v in enumerate(values)
        )
        parts.append(
            f'<g class="kit-chart-series-{number % len(MARKERS)}">'
            f'<polyline class="kit-chart-line" points="{points}"{dash_attr}/>'
            f'<g class="kit-chart-marker">{markers}</g></g>'
        )
    parts.append("</svg>")
    legend = _legend(series)
    table = _data_table(
        title,
        [label_header or _("Période"), *(name for name, _values in series)],
        [
            [label, *(shown(values[i]) for _name, values in series)]
            for i, label in enumerate(labels)
        ],
    )
    return _figure(chart_id, title, "".join(parts), legend, table)


RADAR_SIZE = 360
# Room on both sides for the labels of side axes (three lines of about 16 characters).
RADAR_SIDE = 70
RADAR_RADIUS = 110
RADAR_RINGS = 4


def _radar_label_anchor(x: float, centre: float) -> str:
    if abs(x - centre) < 8:
        return "middle"
    return "start" if x > centre else "end"


def radar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    *,
    maximum: Number,
    description: str = "",
    label_header: str = "",
    unit: str = "",
    chart_id: str | None = None,
) -> SafeString:
    """Return a radar chart (one axis per label, 0 at the centre, ``maximum`` at the rim) of one
    or more series, and its data table.

    ``series`` is a list of ``(name, values)``, one value per label; a None value (not
    answered) is drawn at the centre and shown as « – » in the table. Series differ by dash and
    marker as well as colour; labels wrap on two lines when long.
    """
    if len(labels) < 3:
        raise ValueError("a radar chart needs at least three axes")
    if not series or any(len(values) != len(labels) for _name, values in series):
        raise ValueError("every series needs one value per label")
    if maximum <= 0:
        raise ValueError("maximum must be positive")
    chart_id = _chart_id(title, chart_id)
    width = RADAR_SIZE + 2 * RADAR_SIDE
    centre_x, centre = width / 2, RADAR_SIZE / 2
    count = len(labels)

    def point(index: int, value: Number | None) -> tuple[float, float]:
        share = min(max((value or 0) / maximum, 0), 1)
        angle = -math.pi / 2 + 2 * math.pi * index / count
        return (
            centre_x + RADAR_RADIUS * share * math.cos(angle),
            centre + RADAR_RADIUS * share * math.sin(angle),
        )

    def shown(value: Number | None) -> str:
        if value is None:
            return "–"
        return format_number(value) + (f" {unit}" if unit else "")

    if not description:
        description = _(
            "%(count)s axe(s), de 0 au centre à %(max)s au bord, %(series)s série(s). "
            "Les données sont détaillées dans le tableau qui suit."
        ) % {"count": count, "max": format_number(maximum), "series": len(series)}
    parts = [_svg_open(chart_id, width, RADAR_SIZE, title, description)]
    for ring in range(1, RADAR_RINGS + 1):
        ring_points = " ".join(
            "{:.1f},{:.1f}".format(*point(i, maximum * ring / RADAR_RINGS)) for i in range(count)
        )
        parts.append(f'<polygon class="kit-chart-grid kit-chart-ring" points="{ring_points}"/>')
    for index, label in enumerate(labels):
        x, y = point(index, maximum)
        parts.append(
            f'<line class="kit-chart-grid" x1="{centre_x}" y1="{centre}" x2="{x:.1f}" '
            f'y2="{y:.1f}"/>'
        )
        lx, ly = point(index, maximum * 1.14)
        anchor = _radar_label_anchor(lx, centre_x)
        words = str(label).split()
        lines, current = [], ""
        for word in words:
            if current and len(current) + len(word) > 16:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        lines.append(current)
        lines = lines[:3]
        first_dy = -6 * (len(lines) - 1) + 4
        tspans = "".join(
            f'<tspan x="{lx:.1f}" dy="{first_dy if n == 0 else 12}">{escape(text)}</tspan>'
            for n, text in enumerate(lines)
        )
        parts.append(
            f'<text class="kit-chart-tick kit-chart-radar-label" x="{lx:.1f}" y="{ly:.1f}" '
            f'text-anchor="{anchor}">{tspans}</text>'
        )
    for number, (_name, values) in enumerate(series):
        shape = " ".join("{:.1f},{:.1f}".format(*point(i, v)) for i, v in enumerate(values))
        dash = DASHES[number % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        markers = "".join(
            _marker(MARKERS[number % len(MARKERS)], *point(i, v)) for i, v in enumerate(values)
        )
        parts.append(
            f'<g class="kit-chart-series-{number % len(MARKERS)}">'
            f'<polygon class="kit-chart-line kit-chart-area" points="{shape}"{dash_attr}/>'
            f'<g class="kit-chart-marker">{markers}</g></g>'
        )
    parts.append("</svg>")
    legend = _legend(series)
    table = _data_table(
        title,
        [label_header or _("Axe"), *(name for name, _values in series)],
        [
            [label, *(shown(values[i]) for _name, values in series)]
            for i, label in enumerate(labels)
        ],
    )
    return _figure(chart_id, title, "".join(parts), legend, table)
