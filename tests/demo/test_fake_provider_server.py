"""The fake providers' server stops at once, so that tests using it tear down quickly."""

import time
import urllib.request

from socle.demo.fake_franceconnect import FakeProviderServer


def test_it_serves_then_stops_without_waiting_for_a_slow_poll():
    stopping = 0.0
    for _ in range(5):
        server = FakeProviderServer().start()
        url = server.franceconnect.issuer + "/.well-known/openid-configuration"
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            assert response.status == 200
        started = time.perf_counter()
        server.stop()
        stopping += time.perf_counter() - started
        assert not server._thread.is_alive()
    # With the default 0.5 s poll, five stops take 1.25 s on average.
    assert stopping < 0.4
