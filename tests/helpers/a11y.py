"""A small accessibility checker for the pages' HTML, built on html.parser.

It checks the basics that a page must never miss (RGAA / WCAG 2.1 AA): the language, exactly
one h1, a skip link whose target exists, a label for every form control, a text alternative
for every image and SVG, and no duplicated id.
"""

from html.parser import HTMLParser

LABELLED_INPUT_TYPES_EXEMPT = {"hidden", "submit", "button", "reset", "image"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.h1_count = 0
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[dict] = []
        self.images: list[dict] = []
        self.svgs: list[dict] = []
        self.links: list[dict] = []
        self.label_depth = 0
        self.svg_stack: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: (value or "") for name, value in attrs}
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "label":
            self.label_depth += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        elif tag in {"input", "select", "textarea"}:
            if tag != "input" or attributes.get("type", "text") not in LABELLED_INPUT_TYPES_EXEMPT:
                self.controls.append({**attributes, "_tag": tag, "_wrapped": self.label_depth > 0})
        elif tag == "img":
            self.images.append(attributes)
        elif tag == "svg":
            svg = {**attributes, "_title": False}
            self.svg_stack.append(svg)
            self.svgs.append(svg)
        elif tag == "title" and self.svg_stack:
            self.svg_stack[-1]["_title"] = True
        elif tag == "a":
            self.links.append(attributes)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.svg_stack.pop()
        elif tag == "label":
            self.label_depth -= 1

    def handle_endtag(self, tag):
        if tag == "label" and self.label_depth:
            self.label_depth -= 1
        elif tag == "svg" and self.svg_stack:
            self.svg_stack.pop()


def a11y_problems(html: str) -> list[str]:
    """Return what the page gets wrong, in plain words (an empty list when all is well)."""
    page = _Collector()
    page.feed(html)
    problems = []
    if page.html_lang != "fr":
        problems.append(f'<html lang="fr"> expected, found lang={page.html_lang!r}')
    if page.h1_count != 1:
        problems.append(f"exactly one <h1> expected, found {page.h1_count}")
    ids = set(page.ids)
    duplicated = sorted({i for i in page.ids if page.ids.count(i) > 1})
    if duplicated:
        problems.append(f"duplicated ids: {duplicated}")
    skip = [link for link in page.links if link.get("class", "").split().count("skip-link")]
    if not skip:
        problems.append("no skip link")
    elif skip[0].get("href", "")[1:] not in ids:
        problems.append(f"the skip link's target {skip[0].get('href')!r} does not exist")
    for control in page.controls:
        labelled = (
            control["_wrapped"]
            or control.get("id") in page.label_for
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        if not labelled:
            problems.append(f"{control['_tag']} {control.get('name')!r} has no label")
    for image in page.images:
        if "alt" not in image:
            problems.append(f"<img src={image.get('src')!r}> has no alt")
    for svg in page.svgs:
        hidden = svg.get("aria-hidden") == "true"
        named = svg.get("role") == "img" and (svg.get("aria-label") or svg["_title"])
        if not (hidden or named):
            problems.append("an <svg> is neither hidden nor named (role=img with a label)")
    return problems


def assert_accessible(response) -> None:
    """Fail with the list of problems when a page misses an accessibility basic."""
    problems = a11y_problems(response.content.decode())
    assert not problems, "\n".join(problems)
