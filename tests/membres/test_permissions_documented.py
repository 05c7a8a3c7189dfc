"""docs/permissions.md shows the permission table that the code enforces, word for word."""

from pathlib import Path

from socle.membres.permissions import permissions_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def test_it_documents_the_permission_table_of_the_code():
    text = DOC.read_text()
    block = text.split("<!-- permissions:start -->\n")[1].split("<!-- permissions:end -->")[0]
    assert block == permissions_markdown(), "run `socle permissions` and paste it in the doc"
