"""Deleting an account: the citizen's file goes, reports lose their reporter, the account row
is anonymised (the journal keeps its references), sessions end. The démarches part
(`usager_forget`) is the démarches module's, tested there."""

from django.utils import timezone

from socle.citoyen.chiffrement import files_dir as encrypted_dir
from socle.citoyen.models import Adresse, FichierChiffre, Piece, Proche, Profil
from socle.citoyen.services import adresse_create, proche_create, profil_update
from socle.comptes.models import Identity, User
from socle.journal.models import PersonalDataAccess
from socle.portail.services_rgpd import account_erase
from socle.signalements.models import Abonnement, Signalement
from socle.signalements.services import signalement_create, signalements_forget_user
from tests.citoyen.helpers import add_piece, files_dir  # noqa: F401 - fixture
from tests.signalements.conftest import PESSAC

URL = "/comptes/espace/supprimer-mon-compte/"


def _report(user):
    return signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=user,
        telephone="0612345678",
    )


def test_it_erases_the_reporter_from_his_reports(citizen, demo_members):
    report = _report(citizen)
    assert Abonnement.objects.filter(signalement=report).exists()
    assert signalements_forget_user(citizen)["signalements"] == 1
    report.refresh_from_db()
    assert (report.auteur, report.auteur_email, report.auteur_nom, report.auteur_telephone) == (
        None,
        "",
        "",
        "",
    )
    assert report.anonymise_le is not None and report.description == "Un trou."
    assert not Abonnement.objects.filter(signalement=report).exists()


def test_it_deletes_the_file_and_anonymises_the_account(
    client,
    citizen,
    files_dir,  # noqa: F811
    pessac_and_bordeaux_entries,
    django_capture_on_commit_callbacks,
):
    Identity.objects.create(
        user=citizen,
        provider=Identity.Provider.FRANCECONNECT,
        sub="fc-camille",
        given_name="Camille",
        family_name="Citoyenne",
        verified_at=timezone.now(),
    )
    profil_update(usager=citizen, telephone="0612345678", date_naissance=None)
    proche_create(usager=citizen, lien="conjoint", prenom="Alex", nom="Citoyen")
    adresse_create(
        usager=citizen,
        libelle="Domicile",
        voie="1 rue A",
        code_postal="33600",
        commune_nom="Pessac",
    )
    piece = add_piece(citizen)
    ciphertext = encrypted_dir() / piece.fichier.chemin
    report = _report(citizen)
    client.force_login(citizen)
    epoch = citizen.session_epoch

    with django_capture_on_commit_callbacks(execute=True):
        account_erase(citizen)

    for model in (Profil, Proche, Adresse, Piece, FichierChiffre):
        assert not model.objects.exists(), model
    assert not ciphertext.exists()
    user = User.objects.get(pk=citizen.pk)
    assert user.email == f"supprime-{user.pk}@supprime.invalid"
    assert (user.first_name, user.last_name, user.is_active) == ("", "", False)
    assert not user.has_usable_password() and user.session_epoch == epoch + 1
    assert not Identity.objects.filter(user=user).exists()
    assert Signalement.objects.get(pk=report.pk).auteur_id is None
    # The journal still proves who accessed the data, and of whom.
    assert PersonalDataAccess.objects.filter(citizen=user).count() == 1
    # The session that was open has ended.
    assert client.get("/comptes/espace/").status_code == 302


def test_it_asks_for_the_password_before_deleting(client, citizen):
    client.force_login(citizen)
    assert "Votre mot de passe" in client.get(URL).content.decode()
    response = client.post(URL, {"password": "not it"})
    assert response.status_code == 400
    assert "Ce mot de passe n’est pas le bon." in response.content.decode()
    assert User.objects.get(pk=citizen.pk).is_active


def test_it_asks_a_franceconnect_only_citizen_to_type_supprimer(client, citizen):
    citizen.set_unusable_password()
    citizen.save(update_fields=["password"])
    client.force_login(citizen)
    response = client.post(URL, {"confirmation": "oui"})
    assert response.status_code == 400
    assert "Écrivez exactement SUPPRIMER pour confirmer." in response.content.decode()
    assert User.objects.get(pk=citizen.pk).is_active


def test_it_refuses_while_the_account_holds_a_role(client, demo_members, password):
    agent = demo_members.agent_pessac
    client.force_login(agent)
    assert "demandez qu’on vous le retire" in client.get(URL).content.decode()
    response = client.post(URL, {"password": password})
    assert response.status_code == 400
    assert "demandez qu’on vous le retire" in response.content.decode()
    assert User.objects.get(pk=agent.pk).is_active
