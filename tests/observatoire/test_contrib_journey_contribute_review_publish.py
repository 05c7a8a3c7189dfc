"""Through the pages: a member's agent drafts a project, completes it and submits it; the
structure's reviewers get a mail, send it back with a comment the contributor reads, then
publish it; a later change of its text waits for review, accepted or refused."""

import re

from socle.observatoire.models import Acteur, Projet, Revision
from tests.helpers.a11y import assert_accessible
from tests.observatoire.fixtures_contrib import gestion, projet_post


def _text(response) -> str:
    return response.content.decode()


def test_it_takes_a_project_from_draft_to_publication(
    client, demo_members, agent_pessac, operateur, smtp_server
):
    pessac = demo_members.pessac
    client.force_login(agent_pessac)

    listing = client.get(gestion(pessac, "projets"))
    assert listing.status_code == 200
    assert "Aucun projet pour le moment" in _text(listing)
    assert_accessible(listing)

    new = client.get(gestion(pessac, "projet_nouveau"))
    assert new.status_code == 200
    assert_accessible(new)
    preview = client.post(gestion(pessac, "projet_nouveau"), projet_post(apercu="1"))
    assert preview.status_code == 200
    assert "<strong>nids-de-poule</strong>" in _text(preview)
    assert not Projet.objects.exists()

    created = client.post(gestion(pessac, "projet_nouveau"), projet_post())
    assert created.status_code == 302
    projet = Projet.objects.get()
    assert projet.etat == Projet.Etat.BROUILLON
    assert str(projet.budget_investissement) == "12500.00"
    assert str(projet.budget_fonctionnement) == "1200.50"
    assert projet.financements == [{"source": "Région Nouvelle-Aquitaine", "montant": "5000.00"}]
    assert projet.savoir_faire == ["marchés publics", "SIG"]
    assert projet.porteur.nom == "Pessac"
    assert created["Location"] == gestion(pessac, "projet", projet.pk)

    overview = client.get(created["Location"])
    text = _text(overview)
    assert "Brouillon" in text and "Soumettre à la relecture" in text
    for name in ("projet_acteurs", "projet_logiciels", "projet_contacts", "projet_historique"):
        assert gestion(pessac, name, projet.pk) in text
    assert f"/projets/{projet.pk}/evaluation/ex-ante/" in text
    assert f"/projets/{projet.pk}/suivi/" in text
    assert "<h2>Le besoin</h2>" in text  # the description, rendered
    assert_accessible(overview)

    # Partners: a collectivité of the loaded territory, found by name.
    acteurs_url = gestion(pessac, "projet_acteurs", projet.pk)
    found = client.get(acteurs_url, {"q": "Talence"})
    assert "Talence" in _text(found)
    assert_accessible(found)
    key = re.search(r'name="collectivite" value="([^"]+)"', _text(found)).group(1)
    added = client.post(
        acteurs_url, {"collectivite": key, "role": "concernee", "action": "ajouter", "q": "Talence"}
    )
    assert added.status_code == 302
    assert list(projet.participations.values_list("acteur__nom", "role")) == [
        ("Talence", "concernee")
    ]

    # Software: a new name enters the registry; Pessac says it is its referent.
    logiciels_url = gestion(pessac, "projet_logiciels", projet.pk)
    assert (
        client.post(
            logiciels_url, {"action": "ajouter", "nom": "Publik", "referent": "on"}
        ).status_code
        == 302
    )
    assert list(projet.logiciels.values_list("nom", flat=True)) == ["Publik"]
    usage = Acteur.objects.get(nom="Pessac").usages.get()
    assert usage.referent and usage.logiciel.nom == "Publik"
    assert_accessible(client.get(logiciels_url))

    smtp_server.clear()
    submitted = client.post(gestion(pessac, "projet_soumettre", projet.pk))
    assert submitted.status_code == 302
    projet.refresh_from_db()
    assert projet.etat == Projet.Etat.SOUMIS
    mails = smtp_server.wait_for(1)
    to_reviewers = [m for m in mails if operateur.email in m["To"]]
    assert to_reviewers and "attend votre relecture" in to_reviewers[0]["Subject"]
    assert "/gestion/observatoire/relecture/" in to_reviewers[0].get_content()

    # The structure: the queue, the project as it would appear, a send-back with a comment.
    client.force_login(operateur)
    assert "/gestion/observatoire/relecture/" in _text(client.get("/gestion/"))
    queue = client.get("/gestion/observatoire/relecture/")
    assert projet.titre in _text(queue)
    assert_accessible(queue)
    review_url = f"/gestion/observatoire/relecture/{projet.pk}/"
    page = client.get(review_url)
    assert "Le projet tel qu’il apparaîtra" in _text(page) and "Talence" in _text(page)
    assert_accessible(page)
    empty = client.post(review_url, {"action": "renvoyer", "commentaire": "  "})
    assert empty.status_code == 400
    assert "Dites ce qui est à corriger." in _text(empty)
    assert_accessible(empty)
    smtp_server.clear()
    sent_back = client.post(
        review_url, {"action": "renvoyer", "commentaire": "Ajoutez les résultats obtenus."}
    )
    assert sent_back.status_code == 302
    mail = smtp_server.wait_for(1)[0]
    assert mail["To"] == agent_pessac.email
    assert "Ajoutez les résultats obtenus." in mail.get_content()

    client.force_login(agent_pessac)
    overview = _text(client.get(gestion(pessac, "projet", projet.pk)))
    assert "À corriger" in overview and "Ajoutez les résultats obtenus." in overview
    edited = client.post(
        gestion(pessac, "projet_modifier", projet.pk),
        projet_post(resultats="4 000 signalements la première année."),
    )
    assert edited.status_code == 302
    client.post(gestion(pessac, "projet_soumettre", projet.pk))

    client.force_login(operateur)
    assert client.post(review_url, {"action": "publier"}).status_code == 302
    projet.refresh_from_db()
    assert projet.etat == Projet.Etat.PUBLIE
    history_page = client.get(gestion(pessac, "projet_historique", projet.pk))
    assert_accessible(history_page)
    history = _text(history_page)
    for label in ("Création", "Soumission à la relecture", "Renvoi pour correction", "Publication"):
        assert label in history
    assert "Résultats" in history and "4 000 signalements" in history


def test_it_holds_a_published_pages_text_change_for_review(
    client, demo_members, projet_publie, agent_pessac, operateur
):
    pessac = demo_members.pessac
    client.force_login(agent_pessac)
    form_page = client.get(gestion(pessac, "projet_modifier", projet_publie.pk))
    assert_accessible(form_page)
    assert "les changements de texte" in _text(form_page).lower()
    response = client.post(
        gestion(pessac, "projet_modifier", projet_publie.pk),
        projet_post(
            titre=projet_publie.titre,
            resume="Un nouveau résumé, plus précis.",
            statut="realise",
            **{"financements-0-source": "", "financements-0-montant": ""},
        ),
        follow=True,
    )
    assert "attendent la relecture" in _text(response) or "envoyées à la relecture" in _text(
        response
    )
    projet_publie.refresh_from_db()
    assert projet_publie.resume != "Un nouveau résumé, plus précis."
    assert projet_publie.statut == "realise"  # a progress fact applies at once
    pending = Revision.objects.get(etat=Revision.Etat.EN_ATTENTE)
    history = _text(client.get(gestion(pessac, "projet_historique", projet_publie.pk)))
    assert "En attente de relecture" in history

    client.force_login(operateur)
    queue = _text(client.get("/gestion/observatoire/relecture/"))
    assert f"/gestion/observatoire/modifications/{pending.pk}/" in queue
    page = client.get(f"/gestion/observatoire/modifications/{pending.pk}/")
    assert "Un nouveau résumé, plus précis." in _text(page)
    assert "Résumé" in _text(page)
    assert_accessible(page)
    assert (
        client.post(
            f"/gestion/observatoire/modifications/{pending.pk}/", {"action": "accepter"}
        ).status_code
        == 302
    )
    projet_publie.refresh_from_db()
    assert projet_publie.resume == "Un nouveau résumé, plus précis."


def test_it_refuses_a_pending_change(client, demo_members, projet_publie, agent_pessac, operateur):
    from socle.observatoire.services import projet_update

    revision = projet_update(acting_user=agent_pessac, projet=projet_publie, titre="Titre piraté")
    client.force_login(operateur)
    url = f"/gestion/observatoire/modifications/{revision.pk}/"
    response = client.post(url, {"action": "refuser", "commentaire": "Titre trompeur."})
    assert response.status_code == 302
    projet_publie.refresh_from_db()
    revision.refresh_from_db()
    assert projet_publie.titre != "Titre piraté"
    assert revision.etat == Revision.Etat.REFUSEE and revision.commentaire == "Titre trompeur."
    again = client.get(url)
    assert "Déjà relue" in _text(again)

    client.force_login(agent_pessac)
    history = _text(client.get(gestion(demo_members.pessac, "projet_historique", projet_publie.pk)))
    assert "Refusée" in history and "Titre trompeur." in history


def test_it_withdraws_a_published_project(client, demo_members, projet_publie, agent_pessac):
    client.force_login(agent_pessac)
    url = gestion(demo_members.pessac, "projet_retirer", projet_publie.pk)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    projet_publie.refresh_from_db()
    assert projet_publie.etat == Projet.Etat.RETIRE


def test_it_says_what_is_missing_before_submission(client, demo_members, agent_pessac):
    client.force_login(agent_pessac)
    client.post(gestion(demo_members.pessac, "projet_nouveau"), projet_post(resume="", themes=[]))
    projet = Projet.objects.get()
    overview = _text(client.get(gestion(demo_members.pessac, "projet", projet.pk)))
    assert "Avant de soumettre, indiquez un résumé, au moins un thème." in overview
    response = client.post(gestion(demo_members.pessac, "projet_soumettre", projet.pk), follow=True)
    assert "Avant de soumettre, indiquez un résumé, au moins un thème." in _text(response)
    projet.refresh_from_db()
    assert projet.etat == Projet.Etat.BROUILLON


def test_it_lists_the_members_projects(client, demo_members, projet_publie, agent_pessac):
    client.force_login(agent_pessac)
    listing = client.get(gestion(demo_members.pessac, "projets"))
    text = _text(listing)
    assert projet_publie.titre in text and "Publié" in text and "Nouveau projet" in text
    assert_accessible(listing)
