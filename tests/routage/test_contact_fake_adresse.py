"""The fake address API speaks the national API's documented format, at true places."""

import json
import urllib.error
import urllib.request

import pytest

from socle.demo.fake_adresse import ADDRESSES
from tests.helpers.adresse import fake_adresse  # noqa: F401 - fixture


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - the loopback fake
        return response.status, json.loads(response.read())


def test_it_answers_a_geojson_feature_collection(fake_adresse):  # noqa: F811
    status, data = _get(
        f"{fake_adresse.url}/search/?q=1+avenue+Jean+Jaur%C3%A8s+33600+Pessac&limit=5"
    )
    assert status == 200
    assert data["type"] == "FeatureCollection"
    best = data["features"][0]
    assert best["geometry"]["type"] == "Point"
    lon, lat = best["geometry"]["coordinates"]
    assert (round(lat, 1), round(lon, 1)) == (44.8, -0.6)
    assert best["properties"]["label"] == "1 Avenue Jean Jaurès 33600 Pessac"
    assert best["properties"]["citycode"] == "33318"
    assert best["properties"]["postcode"] == "33600"
    assert best["properties"]["city"] == "Pessac"
    scores = [feature["properties"]["score"] for feature in data["features"]]
    assert scores == sorted(scores, reverse=True) and 0.9 < scores[0] <= 1


def test_it_refuses_a_too_short_query_as_the_api_does(fake_adresse):  # noqa: F811
    with pytest.raises(urllib.error.HTTPError) as caught:
        _get(f"{fake_adresse.url}/search/?q=a")
    assert caught.value.code == 400
    assert json.loads(caught.value.read())["code"] == 400


@pytest.mark.django_db
def test_its_addresses_lie_in_their_commune(gironde, fresh_router):
    from socle.routage.routing import commune_at

    for address in ADDRESSES:
        assert commune_at(address.lat, address.lon) == address.citycode, address.label
