"""The timing loop the page benchmarks share (dashboard.py, my_recommendations.py).

A page is requested a few times to warm up, once more to count its queries, the time the
database took for them (as Django's debug cursor measures it, round trips included) and its
size, then timed: wall-clock time and this process's CPU time (Python's share, which other work
on the machine barely moves), in milliseconds.
"""

import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

WARM_UP = 3
RUNS = 30


@dataclass
class Timed:
    timings: list[float]
    cpu: list[float]
    queries: int
    sql_ms: float
    size: int

    @property
    def median(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.timings, n=20)[-1]

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def measure(client: Client, url: str, *, warm_up: int = WARM_UP, runs: int = RUNS) -> Timed:
    for _ in range(warm_up):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        size = len(client.get(url).content)
    # Read now: the next request empties the connection's log that `queries` is a view of.
    query_count = len(queries)
    sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    timings, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return Timed(timings, cpu, query_count, sql_ms, size)
