"""Two adoptions recorded at the same moment get two numbers, one after the other: the
roadmap's row is locked while its next number is taken."""

import threading

import pytest
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_it_numbers_two_adoptions_at_once(gironde_transactional):
    from socle.demo.setup import setup_members
    from socle.observatoire import feuilles

    pessac = setup_members().members["pessac"]
    feuilles.feuille_update(acting_user=None, membre=pessac, ambition="Une ambition.")
    barrier = threading.Barrier(4)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def adopt(instance: str) -> None:
        try:
            barrier.wait()
            version = feuilles.feuille_adopt(acting_user=None, membre=pessac, instance=instance)
            numbers.append(version.numero)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=adopt, args=(f"Séance {n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4]
