"""Every seed fact cites its source document, with a quote found word for word in it."""

import re
from pathlib import Path

from socle.observatoire.seed import seed_data, seed_sources

# A copy of the source documents (../shared/seeds/), so the check runs on every checkout.
SOURCES_DIR = Path(__file__).resolve().parent / "seed_sources"


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_it_cites_a_known_document_for_every_project_actor_and_software():
    data = seed_data()
    documents = set(data["documents"])
    for spec in data["projets"]:
        assert spec["sources"], spec["slug"]
        for source in spec["sources"]:
            assert source["document"] in documents, spec["slug"]
            assert len(source["citation"]) >= 10, spec["slug"]
    for spec in [*data["acteurs"], *data["logiciels"]]:
        assert spec["sources"] and set(spec["sources"]) <= documents, spec


def test_it_quotes_the_documents_word_for_word():
    data = seed_data()
    texts = {
        name: _folded((SOURCES_DIR / name).read_text(encoding="utf-8"))
        for name in data["documents"]
    }
    for spec in data["projets"]:
        for source in spec["sources"]:
            assert _folded(source["citation"]) in texts[source["document"]], (
                spec["slug"],
                source["citation"],
            )


def test_it_tells_where_a_projects_facts_come_from():
    sources = seed_sources("dkcl-dunkerque")

    assert sources[0]["document"] == "004_b05008db570b34e7.txt"
    assert sources[0]["titre"].startswith("Colloque Ecoter")
    assert "DK’CL!" in sources[0]["citation"]
    assert seed_sources("un-projet-qui-n-existe-pas") == []
