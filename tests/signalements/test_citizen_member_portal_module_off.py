"""A member's report pages exist only when the member switched the module on."""


def test_it_answers_404_on_a_member_without_the_module(client, demo_members):
    pessac = demo_members.pessac
    pessac.modules = [code for code in pessac.modules if code != "signalements"]
    pessac.save(update_fields=["modules"])

    assert client.get("/pessac/signalements/signaler/").status_code == 404
    assert client.get("/pessac/signalements/").status_code == 404
    assert "Signaler un problème" not in client.get("/pessac/").text


def test_it_offers_the_form_on_a_member_with_the_module(client, demo_members):
    metropole = demo_members.metropole
    assert "signalements" in metropole.modules

    home = client.get("/bordeaux-metropole/")
    assert 'href="/bordeaux-metropole/signalements/signaler/"' in home.text
    page = client.get("/bordeaux-metropole/signalements/signaler/")
    assert page.status_code == 200
    assert "Bordeaux Métropole" in page.text
    assert 'data-contour="{' in page.text
    assert '<option value="Pessac">' in page.text
    assert '<option value="Saint-Émilion">' not in page.text
    assert client.get("/bordeaux-metropole/signalements/").status_code == 200
