"""Opening hours in the Annuaire's format, told in plain French."""

from socle.territoires.hours import horaires_en_clair


def test_it_tells_weekdays_and_saturday():
    horaires = [
        ["lundi", "vendredi", [["09:00:00", "12:00:00"], ["14:00:00", "17:00:00"]]],
        ["samedi", "samedi", [["09:00:00", "12:00:00"]]],
    ]
    assert horaires_en_clair(horaires) == [
        "Du lundi au vendredi : de 9 h à 12 h et de 14 h à 17 h",
        "Le samedi : de 9 h à 12 h",
    ]


def test_it_says_minutes_after_the_hour():
    # Abzac (33001)
    horaires = [["lundi", "vendredi", [["08:00:00", "12:30:00"], ["13:45:00", "17:00:00"]]]]
    assert horaires_en_clair(horaires) == [
        "Du lundi au vendredi : de 8 h à 12 h 30 et de 13 h 45 à 17 h"
    ]


def test_it_tells_a_single_day_and_two_following_days():
    # Aillas (33004)
    horaires = [
        ["lundi", "mardi", [["08:30:00", "12:30:00"]]],
        ["jeudi", "jeudi", [["08:30:00", "12:30:00"]]],
        ["vendredi", "vendredi", [["08:30:00", "12:30:00"], ["14:00:00", "19:00:00"]]],
    ]
    assert horaires_en_clair(horaires) == [
        "Le lundi et le mardi : de 8 h 30 à 12 h 30",
        "Le jeudi : de 8 h 30 à 12 h 30",
        "Le vendredi : de 8 h 30 à 12 h 30 et de 14 h à 19 h",
    ]


def test_it_puts_the_days_in_the_week_order():
    # Arcins (33011) publishes Friday first.
    horaires = [
        ["vendredi", "vendredi", [["08:30:00", "16:45:00"]]],
        ["lundi", "mardi", [["08:30:00", "17:30:00"]]],
        ["jeudi", "jeudi", [["08:30:00", "17:30:00"]]],
    ]
    assert horaires_en_clair(horaires) == [
        "Le lundi et le mardi : de 8 h 30 à 17 h 30",
        "Le jeudi : de 8 h 30 à 17 h 30",
        "Le vendredi : de 8 h 30 à 16 h 45",
    ]


def test_it_lists_three_slots_with_commas():
    horaires = [
        [
            "mercredi",
            "mercredi",
            [["08:00:00", "10:00:00"], ["11:00:00", "12:00:00"], ["14:00:00", "16:00:00"]],
        ]
    ]
    assert horaires_en_clair(horaires) == [
        "Le mercredi : de 8 h à 10 h, de 11 h à 12 h et de 14 h à 16 h"
    ]


def test_it_accepts_hours_without_seconds():
    assert horaires_en_clair([["samedi", "dimanche", [["9:00", "12:00"]]]]) == [
        "Le samedi et le dimanche : de 9 h à 12 h"
    ]


def test_it_returns_nothing_for_no_hours():
    assert horaires_en_clair([]) == []
    assert horaires_en_clair(None) == []


def test_it_leaves_out_a_malformed_entry():
    horaires = [
        ["lundi", "vendredi"],
        ["funday", "funday", [["09:00:00", "12:00:00"]]],
        ["mardi", "mardi", []],
        ["jeudi", "jeudi", [["09:00:00", "12:00:00"]]],
    ]
    assert horaires_en_clair(horaires) == ["Le jeudi : de 9 h à 12 h"]
