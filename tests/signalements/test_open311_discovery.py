"""Discovery says where the API is, which specification it follows and which formats it speaks."""

from tests.helpers.open311 import JSON_TYPE, XML_TYPE, both, get


def test_it_describes_the_endpoint_in_json_and_xml(client, db, settings):
    data, root = both(client, "discovery")
    assert root == "discovery"
    assert data["changeset"].startswith("20") and "+" in data["changeset"][10:]
    assert data["contact"] and data["key_service"]
    [endpoint] = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == settings.SITE_URL + "/open311/v2/"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]


def test_it_answers_with_the_specifications_content_types(client, db):
    json_response, _data = get(client, "discovery", "json")
    xml_response, _data = get(client, "discovery", "xml")
    assert json_response.status_code == xml_response.status_code == 200
    assert json_response["Content-Type"] == JSON_TYPE
    assert xml_response["Content-Type"] == XML_TYPE
    assert xml_response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
