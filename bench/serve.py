"""Latency and throughput of `paradecat serve` next to bare `datasette -i` on the same database.

    python bench/serve.py [--entries 10000] [--count 200] [--duration 10] [--concurrency 4]

It builds a catalogue of --entries synthetic entries (bench/generate.py), starts both servers
as real processes on 127.0.0.1, and for each page below sends a bounded load: at most --count
requests and at most --duration seconds per server, first one at a time (p50 and p95
latency), then from --concurrency threads at once (requests per second). The two servers take
turns every few requests, so that noise from other work on the machine falls on both alike.

Bare Datasette runs with its defaults and without third-party plugins (bench/bare_datasette.py);
a canned query there is the same SQL sent to the database's SQL endpoint.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402

HOST = "127.0.0.1"
TURN = 10  # requests to one server before the other takes its turn


@dataclass
class Server:
    """A server process we started, and where it answers."""

    name: str
    command: list[str]
    port: int
    process: subprocess.Popen[bytes] | None = None

    def start(self, log: Path) -> None:
        with log.open("wb") as out:
            self.process = subprocess.Popen(self.command, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited; see {log}")
            try:
                status, _ = fetch(self.port, "/-/versions.json")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer within 2 minutes; see {log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Page:
    """One kind of request, as sent to each server: the paths are taken in turn, so that a row
    page or a canned query is asked for a different parade each time (as readers do), and
    neither server answers the same request twice in a row."""

    name: str
    ours: list[str]
    bare: list[str]
    latency: dict[str, list[float]] = field(default_factory=dict)
    throughput: dict[str, float] = field(default_factory=dict)


_local = threading.local()


def fetch(port: int, path: str) -> tuple[int, int]:
    """GET path on a kept-alive connection of this thread; (status, body length)."""
    connections: dict[int, http.client.HTTPConnection] = _local.__dict__.setdefault("c", {})
    for attempt in (1, 2):
        conn = connections.get(port) or http.client.HTTPConnection(HOST, port, timeout=30)
        connections[port] = conn
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            return response.status, len(body)
        except (http.client.HTTPException, OSError):
            conn.close()
            connections.pop(port, None)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def timed_get(port: int, path: str) -> float:
    start = time.perf_counter()
    status, _ = fetch(port, path)
    elapsed = time.perf_counter() - start
    if status != 200:
        raise SystemExit(f"GET {path} on port {port} answered {status}")
    return elapsed


def measure_latency(page: Page, servers: list[Server], count: int, duration: float) -> None:
    paths = {"paradecat serve": page.ours, "datasette -i": page.bare}
    for server in servers:
        page.latency[server.name] = []
        for path in paths[server.name][-3:]:  # warm up: templates, caches, the connection
            timed_get(server.port, path)
    started = time.monotonic()
    while time.monotonic() - started < 2 * duration:
        if all(len(page.latency[s.name]) >= count for s in servers):
            break
        for server in servers:
            for _ in range(TURN):
                done = len(page.latency[server.name])
                if done < count:
                    path = paths[server.name][done % len(paths[server.name])]
                    page.latency[server.name].append(timed_get(server.port, path))


def measure_throughput(
    page: Page, servers: list[Server], count: int, duration: float, concurrency: int
) -> None:
    paths = {"paradecat serve": page.ours, "datasette -i": page.bare}
    for server in servers:
        done = 0
        lock = threading.Lock()
        started = time.perf_counter()

        def worker(
            port: int = server.port,
            cycle: list[str] = paths[server.name],
            started: float = started,
            lock: threading.Lock = lock,
        ) -> None:
            nonlocal done
            while time.perf_counter() - started < duration:
                with lock:
                    if done >= count:
                        return
                    path = cycle[done % len(cycle)]
                    done += 1
                timed_get(port, path)

        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        page.throughput[server.name] = done / (time.perf_counter() - started)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


PARADES = 200  # the row page and the canned query take turns over this many parades
# the other entries with a page of their own, and their keys
ENTITY_KEYS = {
    "systems": "id",
    "sources": "id",
    "units": "id",
    "people": "id",
    "countries": "code",
}


def pages(db: Path, metadata: Path) -> list[Page]:
    with sqlite3.connect(db) as conn:
        every = [row[0] for row in conn.execute("select id from parades order by id")]
        parades = every[:: max(1, len(every) // PARADES)][:PARADES]  # spread over the years
        word = conn.execute("select name from systems order by id limit 1").fetchone()[0]
        keys = {
            table: [r[0] for r in conn.execute(f"select {key} from {table} order by {key}")]
            for table, key in ENTITY_KEYS.items()
        }
    term = word.split("-")[0][:4].lower() + "*"
    queries = yaml.safe_load(metadata.read_text(encoding="utf-8"))["databases"]["paradecat"]
    canned = queries.get("queries", {}).get("systems_by_parade")
    q = urllib.parse.quote

    def same(*paths: str) -> tuple[list[str], list[str]]:
        return list(paths), list(paths)

    result = [
        Page("table HTML (parades)", *same("/paradecat/parades")),
        Page("table JSON (parades)", *same("/paradecat/parades.json")),
        Page("facet (parades by country)", *same("/paradecat/parades.json?_facet=country")),
        Page(
            f"full-text search (systems, {term})",
            *same(f"/paradecat/systems.json?_search={q(term)}"),
        ),
        Page(
            f"row page (a parade; {len(parades)} in turn)",
            *same(*(f"/paradecat/parades/{q(p)}" for p in parades)),
        ),
    ]
    for table, every_key in keys.items():
        some = every_key[:: max(1, len(every_key) // PARADES)][:PARADES]
        result.append(
            Page(
                f"row page ({table}; {len(some)} in turn)",
                *same(*(f"/paradecat/{table}/{q(k)}" for k in some)),
            )
        )
    # the search across every kind, beside Datasette's own search of one table
    result.append(
        Page(
            f"search ({term}: /-/search beside one table's _search)",
            [f"/-/search?q={q(term.rstrip('*'))}"],
            [f"/paradecat/systems?_search={q(term)}"],
        )
    )
    if canned:
        sql = canned["sql"] if isinstance(canned, dict) else canned
        result.append(
            Page(
                f"canned query (systems_by_parade; {len(parades)} parades in turn)",
                [f"/paradecat/systems_by_parade.json?parade={q(p)}" for p in parades],
                [f"/paradecat.json?sql={q(sql)}&parade={q(p)}" for p in parades],
            )
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--count", type=int, default=200, help="requests per page and server")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per page and server")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=REPO / ".bench")
    parser.add_argument(
        "--json", type=Path, help="where to write the measurements (WORK/serve.json)"
    )
    args = parser.parse_args(argv)

    args.json = args.json or args.work / "serve.json"
    root = args.work / "serve"
    root.mkdir(parents=True, exist_ok=True)
    generate(args.entries, root, args.seed)
    db = root / "paradecat.db"
    subprocess.run(
        [str(BIN / "paradecat"), "build", "--root", str(root), "--db", str(db)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    metadata = REPO / "metadata.yml"
    our_port, bare_port = free_port(), free_port()
    # the pages' own cost: without the hashed URLs' redirect, which bare Datasette does not make
    paradecat = [str(BIN / "paradecat"), "serve", "--no-build", "--no-hashed-urls", "--db", str(db)]
    bare_datasette = [sys.executable, str(BENCH / "bare_datasette.py"), "-i", str(db)]
    servers = [
        Server(
            "paradecat serve",
            [*paradecat, "--metadata", str(metadata), "--host", HOST, "--port", str(our_port)],
            our_port,
        ),
        Server(
            "datasette -i",
            [*bare_datasette, "--host", HOST, "--port", str(bare_port)],
            bare_port,
        ),
    ]
    print(f"{args.entries:,} entries; load average {os.getloadavg()[0]:.2f}", flush=True)
    try:
        for server in servers:
            server.start(root / f"{server.name.split()[0]}.log")
        measured = pages(db, metadata)
        for page in measured:
            measure_latency(page, servers, args.count, args.duration)
            measure_throughput(page, servers, args.count, args.duration, args.concurrency)
            print(f"  measured {page.name}", flush=True)
    finally:
        for server in servers:
            server.stop()

    ours, bare = (s.name for s in servers)
    print(
        f"\n  {'page':<56} {'paradecat serve':>26} {'datasette -i':>26}  ratio (p50)\n"
        f"  {'':<56} {'p50':>8} {'p95':>8} {'req/s':>8} {'p50':>8} {'p95':>8} {'req/s':>8}"
    )
    results = []
    for page in measured:
        a, b = page.latency[ours], page.latency[bare]
        ratio = statistics.median(a) / statistics.median(b)
        print(
            f"  {page.name:<56} {statistics.median(a) * 1e3:6.1f}ms {p95(a) * 1e3:6.1f}ms"
            f" {page.throughput[ours]:8.0f} {statistics.median(b) * 1e3:6.1f}ms"
            f" {p95(b) * 1e3:6.1f}ms {page.throughput[bare]:8.0f}  {ratio:5.2f}x"
            f"  {'ok' if ratio <= 1.2 else 'MISSED'} (target <= 1.2)"
        )
        results.append(
            {
                "page": page.name,
                "paths": {ours: page.ours, bare: page.bare},
                "latency": page.latency,
                "throughput": page.throughput,
            }
        )
    html = statistics.median(measured[0].latency[ours])
    json_ = statistics.median(measured[1].latency[ours])
    print(
        f"\n  table HTML ÷ table JSON (paradecat serve): {html / json_:.2f}x"
        f"  {'ok' if html <= 3 * json_ else 'MISSED'} (target <= 3)"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"entries": args.entries, "pages": results}, indent=1) + "\n", encoding="utf-8"
    )
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
