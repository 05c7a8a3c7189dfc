"""A mairie's website from the source data becomes a safe http(s) link, or nothing."""

import pytest

from socle.territoires.importer import _web_address


@pytest.mark.parametrize(
    ("source", "stored"),
    [
        ("https://www.bordeaux.fr", "https://www.bordeaux.fr"),
        ("http://www.saint-emilion.org", "http://www.saint-emilion.org"),
        ("www.sainte-gemme-indre.fr", "https://www.sainte-gemme-indre.fr"),
        ("mairie-chouvigny.fr", "https://mairie-chouvigny.fr"),
        ("mairiedesavilly@orange.fr", ""),
        ("https:/www.troussencourt.fr", ""),
        ("javascript:alert(document.cookie)", ""),
        ("https://" + "x" * 600 + ".fr", ""),
        ("", ""),
    ],
)
def test_it_keeps_only_http_addresses(source, stored):
    assert _web_address(source) == stored
