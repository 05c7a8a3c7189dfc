"""Open public reports of the same category nearby are offered before filing another; a citizen
follows one instead; an agent merges a duplicate into the original with its followers."""

from datetime import timedelta
from math import cos, radians

from django.utils import timezone

from socle.signalements.models import Abonnement, Categorie, Evenement, Signalement
from socle.signalements.selectors import nearby_open
from socle.signalements.services import (
    abonnement_confirm,
    signalement_create,
    signalement_follow,
    signalement_hide,
    signalement_merge,
    signalement_status_set,
)
from tests.signalements.conftest import PESSAC


def _east_of(point, metres):
    lat, lon = point
    return lat, lon + metres / (111_320.0 * cos(radians(lat)))


def _pothole(citizen, point=PESSAC):
    return signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou dans la chaussée.",
        lat=point[0],
        lon=point[1],
        auteur=citizen,
    )


def _offered(point, categorie=None):
    categorie = categorie or Categorie.objects.get(code="nid-de-poule", membre__isnull=True)
    return [
        report for report, _distance in nearby_open(categorie=categorie, lat=point[0], lon=point[1])
    ]


def test_it_offers_a_report_40_metres_away_but_not_70(demo_members, citizen):
    near = _pothole(citizen, _east_of(PESSAC, 40))
    far = _pothole(citizen, _east_of(PESSAC, 70))
    found = nearby_open(categorie=near.categorie, lat=PESSAC[0], lon=PESSAC[1])
    assert [report for report, _d in found] == [near]
    assert 35 < found[0][1] < 45
    assert far not in _offered(PESSAC)


def test_it_honours_a_categorys_own_radius_and_days(demo_members, citizen):
    far = _pothole(citizen, _east_of(PESSAC, 70))
    categorie = far.categorie
    categorie.rayon_doublons_m = 100
    categorie.save()
    assert _offered(PESSAC, categorie) == [far]
    Signalement.objects.filter(pk=far.pk).update(cree_le=timezone.now() - timedelta(days=31))
    assert _offered(PESSAC, categorie) == []
    categorie.jours_doublons = 45
    categorie.save()
    assert _offered(PESSAC, categorie) == [far]


def test_it_does_not_offer_a_report_older_than_30_days(demo_members, citizen):
    old = _pothole(citizen)
    Signalement.objects.filter(pk=old.pk).update(cree_le=timezone.now() - timedelta(days=31))
    recent = _pothole(citizen, _east_of(PESSAC, 10))
    assert _offered(PESSAC) == [recent]


def test_it_does_not_offer_a_closed_a_hidden_or_an_unconfirmed_report(
    demo_members, citizen, agent_voirie_sud
):
    closed = _pothole(citizen)
    signalement_status_set(acting_user=agent_voirie_sud, signalement=closed, statut="resolu")
    hidden = _pothole(citizen, _east_of(PESSAC, 5))
    signalement_hide(acting_user=agent_voirie_sud, signalement=hidden, motif="Insultes")
    signalement_create(
        categorie_code="nid-de-poule",
        description="Non confirmé.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        email="pas.encore@example.fr",
    )
    other_category = signalement_create(
        categorie_code="eclairage",
        description="Lampadaire.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    assert _offered(PESSAC) == []
    assert _offered(PESSAC, other_category.categorie) == [other_category]


def test_it_lets_an_account_follow_at_once(demo_members, citizen, other_citizen):
    report = _pothole(citizen)
    abonnement = signalement_follow(signalement=report, user=other_citizen)
    assert abonnement.confirme_le is not None and abonnement.user == other_citizen
    # Following twice is harmless.
    assert signalement_follow(signalement=report, user=other_citizen) == abonnement
    assert report.abonnements.count() == 2


def test_it_lets_an_address_follow_only_after_its_link(demo_members, citizen, smtp_server):
    report = _pothole(citizen)
    smtp_server.wait_for(2)
    smtp_server.clear()
    abonnement = signalement_follow(signalement=report, email="Voisin@Example.fr")
    assert abonnement.email == "voisin@example.fr"
    assert abonnement.confirme_le is None
    [mail] = smtp_server.wait_for(1)
    assert abonnement.jeton in mail.get_content()
    assert abonnement_confirm(jeton=abonnement.jeton).confirme_le is not None
    assert abonnement_confirm(jeton="inconnu") is None


def test_it_merges_a_duplicate_moving_its_followers_and_closing_it(
    demo_members, citizen, other_citizen, agent_voirie_sud
):
    original = _pothole(citizen)
    duplicate = _pothole(other_citizen, _east_of(PESSAC, 15))
    signalement_follow(signalement=duplicate, email="voisin@example.fr")

    merged = signalement_merge(
        acting_user=agent_voirie_sud, signalement=duplicate, original=original
    )
    assert merged.statut == Signalement.Statut.DOUBLON
    assert merged.doublon_de == original and merged.clos_le is not None
    followers = set(original.abonnements.values_list("email", flat=True))
    assert followers == {citizen.email, other_citizen.email, "voisin@example.fr"}
    moved = Abonnement.objects.get(signalement=original, email=other_citizen.email)
    assert moved.confirme_le is not None and not moved.auteur
    assert original.evenements.filter(kind=Evenement.Kind.FUSION).exists()
    assert _offered(PESSAC) == [original]
