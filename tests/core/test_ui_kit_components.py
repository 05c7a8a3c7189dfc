"""The UI kit's components, rendered alone: table, form section, badge, pagination, charts."""

import html
import re

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from socle.core import charts
from socle.core.templatetags.socle_kit import page_title


def _render(source: str, **context) -> str:
    return Template("{% load socle_kit %}" + source).render(Context(context))


def test_it_labels_every_cell_of_the_table_with_its_column():
    rows = [["D-1", "Nid-de-poule", "Pessac"], ["D-2", "Banc abîmé", "Talence"]]
    markup = _render(
        "{% data_table 'Demandes' columns rows row_header=True %}",
        columns=["Numéro", "Objet", "Commune"],
        rows=rows,
    )
    cells = re.findall(r'<t([hd])(?: scope="row")? data-label="([^"]*)">([^<]*)</t[hd]>', markup)
    assert len(cells) == 6
    assert [label for _tag, label, _value in cells] == ["Numéro", "Objet", "Commune"] * 2
    assert [tag for tag, _label, _value in cells][:3] == ["h", "d", "d"]
    assert "<caption" in markup and "Demandes</caption>" in markup


def test_it_shows_the_empty_state_instead_of_an_empty_table():
    markup = _render(
        "{% data_table 'Demandes' columns rows empty='Aucune demande.' %}",
        columns=["Numéro"],
        rows=[],
    )
    assert "<table" not in markup
    assert 'class="kit-empty"' in markup and "Aucune demande." in markup


def test_it_escapes_table_cells_unless_marked_safe():
    markup = _render(
        "{% data_table 'T' columns rows %}",
        columns=["A"],
        rows=[["<script>alert(1)</script>"]],
    )
    assert "<script>" not in markup and "&lt;script&gt;" in markup


class _Form(forms.Form):
    nom = forms.CharField(label="Nom")
    courriel = forms.EmailField(label="Courriel", help_text="Une adresse valide.")
    canal = forms.ChoiceField(
        label="Canal", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="Note", required=False)


def test_it_links_the_error_summary_to_every_field_in_error():
    form = _Form({"nom": "", "courriel": "pas-une-adresse", "note": "ok"})
    markup = _render(
        "<title>{% page_title form 'Service' %}</title>"
        "{% include 'core/components/form_section.html' with title='Service' %}",
        form=form,
    )
    assert "<title>Erreur : Service</title>" in markup
    summary = re.search(r'<div class="error-summary[^>]*>.*?</div>', markup, re.S).group(0)
    assert 'role="alert"' in summary and "data-kit-focus" in summary
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert links == ["id_nom", "id_courriel", "id_canal_0"]
    for target in links:
        assert f'id="{target}"' in markup
    # Each message is tied to its control.
    assert re.search(
        r'<input[^>]*aria-describedby="id_courriel_helptext id_courriel_error"', markup
    )
    assert 'id="id_courriel_error"' in markup
    assert re.search(r'<fieldset[^>]*aria-describedby="[^"]*id_canal_error"', markup)


def test_it_titles_a_page_without_errors_plainly():
    assert page_title(_Form(), "Service") == "Service"
    assert page_title(_Form({"nom": "x", "courriel": "a@b.fr", "canal": "a"}), "Service") == (
        "Service"
    )
    assert page_title("", "Service") == "Service"
    assert page_title(_Form({}), "Service") == "Erreur : Service"


def test_it_never_shows_a_badge_by_colour_alone():
    markup = _render("{% badge 'Rejetée' 'erreur' %}{% badge 'Autre' 'violet' %}")
    assert 'class="kit-badge kit-badge-erreur"' in markup
    assert '<span class="kit-badge-symbol" aria-hidden="true">✕</span>Rejetée' in markup
    assert 'class="kit-badge kit-badge-neutre"' in markup


def _pagination(query: str, number: int, count: int = 95) -> str:
    request = RequestFactory().get(f"/liste/?{query}")
    page = Paginator(range(count), 10).get_page(number)
    return html.unescape(_render("{% pagination page %}", page=page, request=request))


def test_it_keeps_the_filters_in_the_pagination_links():
    markup = _pagination("statut=traitee&q=rue+du+pont&page=5", 5)
    assert "Page 5 sur 10" in markup
    assert 'href="?statut=traitee&q=rue+du+pont&page=4" rel="prev">' in markup
    assert 'href="?statut=traitee&q=rue+du+pont&page=6" rel="next">' in markup
    assert re.search(r'href="\?statut=traitee&q=rue\+du\+pont&page=5" aria-current="page"', markup)
    # The first page drops the page number but keeps the filters.
    assert 'href="?statut=traitee&q=rue+du+pont"' in markup
    assert markup.count('aria-current="page"') == 1
    assert "Page précédente" in markup and "Page suivante" in markup


def test_it_shows_no_pagination_when_everything_fits():
    assert "<nav" not in _pagination("statut=traitee", 1, count=7)


def test_it_leaves_out_previous_on_the_first_page_and_next_on_the_last():
    first, last = _pagination("", 1), _pagination("", 10)
    assert "Page précédente" not in first and "Page suivante" in first
    assert "Page suivante" not in last and "Page précédente" in last
    assert "…" in first


def test_it_draws_a_bar_chart_with_the_same_numbers_in_its_table():
    markup = str(
        charts.bar_chart("Demandes par commune", ["Pessac", "Talence"], [1234, 56], unit="demandes")
    )
    svg = re.search(r"<svg.*?</svg>", markup, re.S).group(0)
    assert 'role="img"' in svg
    assert re.search(r'<title id="([^"]+)">Demandes par commune</title>', svg)
    assert (
        'aria-labelledby="graphique-demandes-par-commune-titre graphique-demandes-par-commune-desc"'
        in svg
    )
    assert "<desc" in svg
    table = markup[markup.index("</svg>") :]
    assert "<table" in table and "<details" in table
    drawn = re.findall(r'<text class="kit-chart-value"[^>]*>([^<]+)</text>', svg)
    listed = re.findall(r'<td data-label="Valeur">([^<]+)</td>', table)
    assert drawn == listed == [charts.format_number(1234) + " demandes", "56 demandes"]
    assert re.findall(r'<th scope="row" data-label="Catégorie">([^<]+)</th>', table) == [
        "Pessac",
        "Talence",
    ]


def test_it_draws_a_line_chart_with_every_value_in_its_table():
    series = [("Signalements", [10, 20.5, 30]), ("Démarches", [5, 0, 12])]
    markup = str(charts.line_chart("Par mois", ["janv.", "févr.", "mars"], series))
    svg = re.search(r'<svg class="kit-chart-svg".*?</svg>', markup, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count("<polyline") == 2
    table = markup[markup.index('<details class="kit-chart-data">') :]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    values = [re.findall(r"<td[^>]*>([^<]+)</td>", row) for row in rows]
    assert values == [["10", "5"], ["20,5", "0"], ["30", "12"]]
    # Two series: a legend whose keys differ by marker and dash, hidden from screen readers.
    assert markup.count('aria-hidden="true"') == 2 and "stroke-dasharray" in markup


def test_it_escapes_chart_labels():
    markup = str(charts.bar_chart("<b>T</b>", ["<i>x</i>"], [1]))
    assert "<b>" not in markup and "<i>" not in markup


def test_it_refuses_mismatched_chart_data():
    with pytest.raises(ValueError):
        charts.bar_chart("T", ["a", "b"], [1])
    with pytest.raises(ValueError):
        charts.line_chart("T", ["a", "b"], [("s", [1])])


def test_it_draws_a_radar_chart_with_every_value_in_its_table():
    axes = ["Nécessité", "Risques", "Gains internes", "Gains externes", "Rentabilité"]
    series = [("Ex ante", [80, 60, 40, None, 100]), ("Ex post", [70, 65.5, 50, 30, 120])]
    markup = str(charts.radar_chart("Valeur", axes, series, maximum=100))
    svg = re.search(r'<svg class="kit-chart-svg".*?</svg>', markup, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count('class="kit-chart-line kit-chart-area"') == 2
    # Axes labelled in the drawing; 80 at 80 % of the radius, None at the centre.
    assert all(label.split()[0] in svg for label in axes)
    first = re.findall(r'kit-chart-area" points="([^"]+)"', svg)[0].split()
    assert first[0] == "250.0,92.0" and first[3] == "250.0,180.0"  # 80 % of 110 px up
    table = markup[markup.index('<details class="kit-chart-data">') :]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    values = [re.findall(r"<td[^>]*>([^<]+)</td>", row) for row in rows]
    assert values[1] == ["60", "65,5"] and values[3] == ["–", "30"]


def test_it_refuses_a_radar_of_fewer_than_three_axes():
    with pytest.raises(ValueError):
        charts.radar_chart("T", ["a", "b"], [("s", [1, 2])], maximum=5)
