"""The invitation form says, under each role, what a person with it can do."""

import pytest

from socle.membres.forms import ROLE_DESCRIPTIONS
from socle.membres.models import Role
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db


def test_it_explains_each_role_next_to_its_choice(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    response = client.get("/gestion/pessac/agents/inviter/")
    html = response.content.decode()

    for index, kind in enumerate([Role.Kind.AGENT, Role.Kind.ADMINISTRATEUR, Role.Kind.ELU]):
        description = str(ROLE_DESCRIPTIONS[kind])
        assert f'<p class="hint" id="id_kind_{index}_aide">{description}</p>' in html
        # The sentence is tied to its radio button, so a screen reader reads it with the choice.
        assert f'value="{kind.value}"' in html
        assert f'aria-describedby="id_kind_{index}_aide"' in html
    assert "Un second facteur est exigé" in html
    assert "sans rien modifier" in html
    assert_accessible(response)
