"""A bounded load test of the public site on loopback: 8 clients for 30 s, zero 5xx, flat memory.

    make loadtest
    .venv/bin/python bench/loadtest.py [--entries 20000] [--clients 8] [--seconds 30]

It writes a synthetic catalogue (bench/generate.py), builds it with `paradecat build`, serves it
with `paradecat serve --no-build` on 127.0.0.1, warms it up, then runs the clients against a mix
of every page type readers and analysts ask for: the home page, table pages with facets (and
date facets), row pages of every entity, full-text search, the JSON API, CSV, canned queries,
custom SQL and the charts, and a few requests that are themselves invalid. Every valid request
must be a 200 and every invalid one its 4xx; none may be a 5xx, and the p99 latency must be at
most MAX_P99_SECONDS. It prints p50, p95 and p99 per page type. The server's resident memory is sampled twice a second; it must not keep growing (less than
MAX_GROWTH_MIB between the first and the last quarter of the run). Only 127.0.0.1 is contacted,
and every loop stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MAX_GROWTH_MIB = 30.0
MAX_P99_SECONDS = 0.5
WARM_UP_SECONDS = 5.0


@dataclass
class Tally:
    """What the clients saw: the latency and status of every request, by page type."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, path: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if seconds > 0.5:
                self.slowest.append((seconds, path))
            by_status = self.statuses.setdefault(kind, {})
            by_status[status] = by_status.get(status, 0) + 1
            wanted = status in (400, 404, 414) if kind == "invalid" else status == 200
            if not wanted:
                self.errors.append(f"{status} {path[:120]}")

    def all_latencies(self) -> list[float]:
        return [s for values in self.latencies.values() for s in values]


def rss_mib(pid: int) -> float:
    """The process's resident anonymous memory: its heap, where a leak would show. The pages of
    the memory-mapped, immutable database are the OS's file cache, and are left out."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no RssAnon")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# requests that are themselves invalid: each must get its 4xx at once, never a 5xx
INVALID = [
    "/paradecat/systems?_sort=nosuchcol",
    "/paradecat/systems?" + "&".join(["_facet=category"] * 1000),
    "/paradecat/systems?_through=" + quote('{"table":"nosuch","column":"x","value":"y"}'),
    "/paradecat?" + urlencode({"sql": "select * from nosuchtable"}),
    "/paradecat/systems?q=" + "x" * 5000,
]


def paths(db: Path, rng: random.Random) -> list[tuple[str, str]]:
    """A mix of every page type the site serves, with real ids from the database: (kind, path)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
        ids = {
            table: [
                r[0] for r in conn.execute(f"select id from [{table}] order by random() limit 40")
            ]
            for table in ("systems", "parades", "sources", "units", "people")
            if table in tables
        }
        countries = [r[0] for r in conn.execute("select code from countries limit 20")]
        words = [r[0].split()[0] for r in conn.execute("select name from systems limit 30")]
        parade = ids["parades"][0]
    sql = urlencode({"sql": "select country, count(*) from parades group by country"})
    mix = [
        ("home", "/"),
        ("database", "/paradecat"),
        ("table", "/paradecat/systems"),
        ("table", "/paradecat/parades"),
        ("table", "/paradecat/parade_systems?_size=50"),
        ("table", "/paradecat/claims?rank=deprecated"),
        ("facets", "/paradecat/sources?_facet=publisher&_facet=language"),
        ("facets", "/paradecat/appearances?_facet=segment&_facet=identification"),
        ("facets", "/paradecat/parades?_facet_date=date&_facet=country"),
        ("facets", "/paradecat/systems?_sort=name&category=armoured_vehicles&_facet=class"),
        ("json", "/paradecat/systems.json?_size=100&_shape=array"),
        ("json", "/paradecat/parades.json?_size=100"),
        ("csv", "/paradecat/citations.csv?_size=100"),
        ("csv", "/paradecat/systems.csv?_size=200"),
        ("csv", "/paradecat.csv?" + sql),
        ("sql", "/paradecat?" + sql),
        # the catalogue-wide lists, worked out by the build (they were 1,000-row canned queries)
        ("table", "/paradecat/first_showings"),
        ("table", "/paradecat/parade_counts_over_time"),
        ("canned", "/paradecat/systems_per_category"),
        ("canned", f"/paradecat/systems_by_parade?parade={quote(parade)}"),
        ("canned", "/paradecat/parades_of_a_country?country=KZ"),
        ("chart", "/-/dashboards/overview"),
    ]
    for table, keys in ids.items():
        mix += [("row", f"/paradecat/{table}/{quote(k)}") for k in keys]
    mix += [("row", f"/paradecat/countries/{quote(c)}") for c in countries]
    mix += [("search", f"/paradecat/systems?_search={quote(w)}") for w in words[:15]]
    mix += [("search", f"/-/search?q={quote(w)}") for w in words[:15]]
    mix += [("canned", f"/paradecat/search_all_names?q={quote(w)}") for w in words[:5]]
    mix += [("invalid", path) for path in INVALID]
    rng.shuffle(mix)
    return mix


def client(port: int, mix: list[tuple[str, str]], stop: float, tally: Tally, seed: int) -> None:
    """Request pages in a loop over one keep-alive connection until the stop time."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < stop:
        kind, path = rng.choice(mix)
        start = time.perf_counter()
        status = 0
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        tally.record(kind, path, status, time.perf_counter() - start)
        if status >= 400:  # Datasette may close the connection after an error
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.close()


def run_clients(port: int, mix: list[tuple[str, str]], clients: int, seconds: float) -> Tally:
    """clients threads for seconds; what they saw."""
    tally = Tally()
    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(port, mix, stop, tally, i)) for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return tally


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    (REPO / ".bench").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="load-", dir=REPO / ".bench") as work:
        root = Path(work)
        generate(args.entries, root, seed=1)
        (root / "metadata.yml").write_bytes((REPO / "metadata.yml").read_bytes())
        db = root / "paradecat.db"
        started = time.perf_counter()
        subprocess.run(
            [str(BIN / "paradecat"), "build", "--root", str(root), "--db", str(db)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(
            f"built {args.entries:,} entries in {time.perf_counter() - started:.1f} s", flush=True
        )
        port = free_port()
        with (root / "serve.log").open("wb") as log:
            command = [str(BIN / "paradecat"), "serve", "--no-build", "--root", str(root)]
            server = subprocess.Popen(
                [*command, "--db", str(db), "--port", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                return measure(server, port, db, args)
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)


def measure(server: subprocess.Popen[bytes], port: int, db: Path, args: argparse.Namespace) -> int:
    """Warm up, run the clients while sampling memory, print the figures; the exit code."""
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/-/versions.json")
            if connection.getresponse().status == 200:
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                print("the server did not start", file=sys.stderr)
                return 1
            time.sleep(0.3)
    # `paradecat serve` puts the database's hash in its URLs (/paradecat-1a2b3c4/...): ask for
    # the prefix once, as a browser following the first redirect would, and use it throughout
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/paradecat")
    response = connection.getresponse()
    response.read()
    prefix = (response.getheader("location") or "/paradecat").split("?")[0].rstrip("/")
    mix = [
        (kind, prefix + path[len("/paradecat") :] if path.startswith("/paradecat") else path)
        for kind, path in paths(db, random.Random(2))
    ]
    run_clients(port, mix, args.clients, WARM_UP_SECONDS)
    samples: list[tuple[float, float]] = []
    done = threading.Event()

    def sample() -> None:
        start = time.monotonic()
        while not done.is_set():
            samples.append((time.monotonic() - start, rss_mib(server.pid)))
            done.wait(0.5)

    sampler = threading.Thread(target=sample)
    sampler.start()
    tally = run_clients(port, mix, args.clients, args.seconds)
    done.set()
    sampler.join()

    memory = [m for _, m in samples]
    quarter = max(1, len(memory) // 4)
    first, last = statistics.mean(memory[:quarter]), statistics.mean(memory[-quarter:])
    latencies = tally.all_latencies()
    statuses: dict[int, int] = {}
    for by_status in tally.statuses.values():
        for status, n in by_status.items():
            statuses[status] = statuses.get(status, 0) + n
    print(f"{args.clients} clients, {args.seconds:.0f} s, {len(mix)} distinct paths")
    print(
        f"requests: {len(latencies):,} ({len(latencies) / args.seconds:,.0f}/s); statuses: "
        + ", ".join(f"{s or 'no answer'}: {n:,}" for s, n in sorted(statuses.items()))
    )
    print(
        f"{'page type':10} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
    )
    for kind in sorted(tally.latencies):
        print(line(kind, tally.latencies[kind]))
    print(line("all", latencies))
    slowest = sorted(tally.slowest, reverse=True)[:8]
    print("slowest: " + "; ".join(f"{1000 * s:.0f} ms {p[:60]}" for s, p in slowest))
    print(
        f"server anonymous RSS MiB: start {memory[0]:.0f}, first quarter {first:.0f}, "
        f"last quarter {last:.0f}, max {max(memory):.0f} ({len(memory)} samples)"
    )
    failures = []
    server_errors = sum(n for s, n in statuses.items() if s >= 500 or s == 0)
    if server_errors:
        failures.append(f"{server_errors} 5xx or unanswered")
    if tally.errors:
        failures.append(f"{len(tally.errors)} unexpected statuses, e.g. {tally.errors[:5]}")
    p99 = percentile(latencies, 0.99)
    if p99 > MAX_P99_SECONDS:
        failures.append(f"p99 {1000 * p99:.0f} ms is over {1000 * MAX_P99_SECONDS:.0f} ms")
    if last - first > MAX_GROWTH_MIB:
        failures.append(f"memory grew by {last - first:.0f} MiB")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    print(
        "FAIL"
        if failures
        else f"OK: zero 5xx, 4xx only for the invalid requests, p99 {1000 * p99:.0f} ms, memory flat"
    )
    return 1 if failures else 0


def line(kind: str, values: list[float]) -> str:
    """One row of the latency table."""
    figures = [percentile(values, share) for share in (0.5, 0.95, 0.99)] + [max(values)]
    return f"{kind:10} {len(values):8,} " + " ".join(f"{1000 * v:7.0f}" for v in figures)


if __name__ == "__main__":
    sys.exit(main())
