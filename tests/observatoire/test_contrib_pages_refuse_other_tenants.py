"""Who reaches the contribution and review pages: a Pessac project's pages are for Pessac's
staff and the structure; an agent of Bordeaux gets 403 (or 404), a citizen 403, a visitor the
login page; the review pages are the structure's alone. A refused request changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socle.observatoire.models import Projet, Revision
from socle.observatoire.services import document_add
from tests.helpers.permissions import LOGIN, status_of
from tests.observatoire.fixtures_contrib import (
    gestion,
    media,  # noqa: F401 - fixture
    pdf_bytes,
)

pytestmark = pytest.mark.usefixtures("media")

MEMBER_PAGES = [
    ("projets", False),
    ("projet_nouveau", False),
    ("projet", True),
    ("projet_modifier", True),
    ("projet_soumettre", True),
    ("projet_retirer", True),
    ("projet_acteurs", True),
    ("projet_logiciels", True),
    ("projet_contacts", True),
    ("projet_documents", True),
    ("projet_historique", True),
]


def _member_urls(pessac, projet, document) -> list[str]:
    urls = [
        gestion(pessac, name, projet.pk) if with_pk else gestion(pessac, name)
        for name, with_pk in MEMBER_PAGES
    ]
    urls.append(gestion(pessac, "projet_document_supprimer", projet.pk, document.pk))
    return urls


def _state(projet):
    projet = Projet.objects.get(pk=projet.pk)
    return (
        projet.etat,
        projet.titre,
        projet.documents.count(),
        projet.contacts.count(),
        projet.logiciels.count(),
        Revision.objects.count(),
    )


def test_it_refuses_pessacs_project_pages_to_others(
    demo_members, projet_pessac, agent_pessac, agent_bordeaux, citizen, operateur
):
    pessac = demo_members.pessac
    document = document_add(
        acting_user=agent_pessac,
        projet=projet_pessac,
        upload=SimpleUploadedFile("a.pdf", pdf_bytes()),
    )
    before = _state(projet_pessac)
    for url in _member_urls(pessac, projet_pessac, document):
        for method in ("get", "post"):
            assert status_of(None, method, url) == LOGIN, (method, url)
            assert status_of(citizen, method, url) in {403, 405}, (method, url)
            got = status_of(agent_bordeaux, method, url)
            assert got in {403, 404, 405}, (method, url, got)
            allowed = status_of(agent_pessac, method, url)
            assert allowed in {200, 302, 400, 405}, (method, url, allowed)
            assert status_of(operateur, method, url) in {200, 302, 400, 405}, (method, url)
    # Bordeaux's own back office never shows a Pessac project either.
    for name, with_pk in MEMBER_PAGES:
        if with_pk:
            url = gestion(demo_members.bordeaux, name, projet_pessac.pk)
            assert status_of(agent_bordeaux, "get", url) in {404, 405}, url
    assert _state(projet_pessac) == before


STRUCTURE_PAGES = [
    "/gestion/observatoire/relecture/",
    "/gestion/observatoire/relecture/{pk}/",
    "/gestion/observatoire/modifications/{revision}/",
    "/gestion/observatoire/acteurs/",
    "/gestion/observatoire/logiciels/",
]


def test_it_keeps_the_review_pages_to_the_structure(
    demo_members, projet_publie, agent_pessac, admin_pessac, citizen, operateur
):
    from socle.observatoire.services import projet_update

    revision = projet_update(acting_user=agent_pessac, projet=projet_publie, titre="Nouveau titre")
    before = _state(projet_publie)
    for pattern in STRUCTURE_PAGES:
        url = pattern.format(pk=projet_publie.pk, revision=revision.pk)
        for method in ("get", "post"):
            assert status_of(None, method, url) == LOGIN, (method, url)
            for user in (citizen, agent_pessac, admin_pessac, demo_members.elu_pessac):
                # A page that takes no POST says 405 first (as every back-office page does).
                assert status_of(user, method, url) in {403, 405}, (user, method, url)
            assert status_of(citizen, "get", url) == 403
        assert status_of(operateur, "get", url) == 200, url
    assert _state(projet_publie) == before
    revision.refresh_from_db()
    assert revision.etat == Revision.Etat.EN_ATTENTE


def test_it_lets_every_kind_of_member_staff_contribute(demo_members, projet_pessac):
    url = gestion(demo_members.pessac, "projet", projet_pessac.pk)
    for user in (demo_members.admin_pessac, demo_members.agent_pessac, demo_members.elu_pessac):
        assert status_of(user, "get", url) == 200
