"""An address still to verify is told once, as information; the verification page's first
action is to confirm, not to ask for another link."""

import re
from urllib.parse import urlsplit

import pytest

from socle.comptes.services import email_verification_url
from tests.helpers.a11y import assert_accessible
from tests.helpers.comptes import log_in

pytestmark = pytest.mark.django_db


def test_it_tells_once_and_as_information(client, citizen, password):
    response = log_in(client, citizen, password)
    # The landing after login leads a citizen to « Mon espace ».
    page = client.get(response["Location"], follow=True)
    html = page.content.decode()
    assert html.count("n’est pas encore vérifiée") == 1
    assert "message-error" not in html
    assert "message-warning" not in html
    assert re.search(r'class="message message-info verification-banner"', html)
    assert_accessible(page)


def test_it_does_not_offer_another_link_above_the_confirmation(client, citizen, password):
    log_in(client, citizen, password)
    path = urlsplit(email_verification_url(citizen)).path
    page = client.get(path)
    html = page.content.decode()
    assert "Confirmer mon adresse" in html
    assert "nouveau lien" not in html
    assert "n’est pas encore vérifiée" not in html
    assert_accessible(page)
