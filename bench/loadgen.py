"""A small closed-loop HTTP load generator for the benchmarks, in pure Python; not a test.

`measure()` starts `clients` processes (one connection each, no GIL shared between them), each
sending the given requests in turn as fast as the server answers, for a warm-up then a measured
window; it returns the latencies of the requests started in the window, the statuses seen and a
sample of unexpected answers. A process per client keeps the client's own cost (http.client,
~0.1 ms a request) off the server's figures as far as a shared machine allows.

Each client goes round the shared list of requests from a random place, or, with `per_client`,
sends its own list once, in order (writes that may be made only once: filing a draft), and stops
when the list runs out (counted in `Result.exhausted`: the throughput is then a lower bound).
`ok` names statuses other than 2xx that are expected (a 302 after a form's POST).
"""

from __future__ import annotations

import http.client
import multiprocessing
import random
import statistics
import time
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

# (method, path with query string, body or None, headers)
Request = tuple[str, str, bytes | None, dict[str, str]]


@dataclass
class Result:
    """What one scenario measured."""

    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Statuses other than 2xx that are expected.
    ok: frozenset[int] = frozenset()
    # Clients that ran out of their own requests before the end (`per_client`).
    exhausted: int = 0

    def add(self, other: Result) -> None:
        """Pool another run of the same load into this one."""
        self.latencies_ms.extend(other.latencies_ms)
        self.statuses.update(other.statuses)
        self.unexpected.extend(other.unexpected[: max(0, 3 - len(self.unexpected))])
        self.seconds += other.seconds
        self.ok |= other.ok
        self.exhausted += other.exhausted

    @property
    def count(self) -> int:
        return len(self.latencies_ms)

    @property
    def throughput(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(0.99)

    @property
    def errors(self) -> int:
        return sum(
            n
            for status, n in self.statuses.items()
            if not 200 <= status < 300 and status not in self.ok
        )


def fetch(port: int, request: Request, timeout: float = 30.0) -> tuple[int, bytes]:
    """Send one request on a fresh connection; return its status and body."""
    method, path, body, headers = request
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _client(arguments: tuple) -> tuple[list[float], Counter, list[str], bool]:
    port, requests, start_at, measure_from, stop_at, seed, once, ok = arguments
    rng = random.Random(seed)
    position = 0 if once else rng.randrange(len(requests))
    exhausted = False
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies: list[float] = []
    statuses: Counter = Counter()
    unexpected: list[str] = []
    clock = time.perf_counter
    while time.time() < start_at:
        time.sleep(0.001)
    while True:
        now = time.time()
        if now >= stop_at:
            break
        if once and position >= len(requests):
            exhausted = True
            break
        method, path, body, headers = requests[position]
        position = position + 1 if once else (position + 1) % len(requests)
        started = clock()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            status = response.status
            if response.will_close:
                connection.close()
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            status, payload = 599, repr(exc).encode()
        elapsed = (clock() - started) * 1000
        if now >= measure_from:
            latencies.append(elapsed)
            statuses[status] += 1
            if not 200 <= status < 300 and status not in ok and len(unexpected) < 3:
                unexpected.append(f"{status} {method} {path[:120]}: {payload[:300]!r}")
    connection.close()
    return latencies, statuses, unexpected, exhausted


def measure(
    port: int,
    requests: list[Request],
    *,
    clients: int,
    seconds: float,
    warm_up: float,
    seed: int = 0,
    per_client: Sequence[list[Request]] | None = None,
    ok: Collection[int] = (),
) -> Result:
    """Load the server with `clients` closed-loop clients; measure `seconds` after `warm_up`.

    With `per_client` (one list per client), client n sends per_client[n] once, in order,
    instead of going round `requests`."""
    if per_client is not None and len(per_client) < clients:
        raise ValueError("per_client needs one list of requests per client")
    start_at = time.time() + 0.3
    measure_from = start_at + warm_up
    stop_at = measure_from + seconds
    expected = frozenset(ok)
    context = multiprocessing.get_context("fork")
    with context.Pool(clients) as pool:
        parts = pool.map(
            _client,
            [
                (
                    port,
                    requests if per_client is None else per_client[number],
                    start_at,
                    measure_from,
                    stop_at,
                    seed * 1000 + number,
                    per_client is not None,
                    expected,
                )
                for number in range(clients)
            ],
        )
    result = Result(seconds=seconds, ok=expected)
    for latencies, statuses, unexpected, exhausted in parts:
        result.latencies_ms.extend(latencies)
        result.statuses.update(statuses)
        result.unexpected.extend(unexpected)
        result.exhausted += exhausted
    return result
