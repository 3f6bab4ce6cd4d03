"""A bounded load test of the public site on loopback: 8 clients for 20 s, zero errors, flat memory.

    make loadtest
    .venv/bin/python bench/loadtest.py [--entries 10000] [--clients 8] [--seconds 20]

It writes a synthetic catalogue (bench/generate.py), builds it with `paradecat build`, serves it
with `paradecat serve --no-build` on 127.0.0.1, warms it up, then runs the clients against a mix
of what readers and analysts ask for: the home page, table pages with facets, row pages, full-text
search, the JSON API, CSV, canned queries and custom SQL. Every response must be a 200. The
server's resident memory is sampled twice a second; it must not keep growing (less than
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
WARM_UP_SECONDS = 5.0


@dataclass
class Tally:
    """What the clients saw."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


def rss_mib(pid: int) -> float:
    """The process's resident memory."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def paths(db: Path, rng: random.Random) -> list[str]:
    """A mix of the pages and API calls the site serves, with real ids from the database."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        ids = {
            table: [
                r[0] for r in conn.execute(f"select id from {table} order by random() limit 200")
            ]
            for table in ("systems", "parades", "sources", "units")
        }
        words = [r[0].split()[0] for r in conn.execute("select name from systems limit 50")]
    mix = [
        "/",
        "/paradecat",
        "/paradecat/systems",
        "/paradecat/parades",
        "/paradecat/sources?_facet=publisher",
        "/paradecat/appearances?_facet=segment&_facet=identification",
        "/paradecat/systems?_sort=name&category=armoured_vehicles",
        "/paradecat/systems.json?_size=100&_shape=array",
        "/paradecat/parades.json?_size=100",
        "/paradecat/citations.csv?_size=100",
        "/paradecat/parade_systems?_size=50",
        "/paradecat/systems_by_parade",
        "/paradecat?"
        + urlencode({"sql": "select country, count(*) from parades group by country"}),
    ]
    for table, keys in ids.items():
        mix += [f"/paradecat/{table}/{quote(k)}" for k in keys[:40]]
    mix += [f"/paradecat/systems?_search={quote(w)}" for w in words[:20]]
    mix += [f"/-/search?q={quote(w)}" for w in words[:10]]
    rng.shuffle(mix)
    return mix


def client(port: int, mix: list[str], stop: float, tally: Tally, seed: int) -> None:
    """Request pages in a loop over one keep-alive connection until the stop time."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < stop:
        path = rng.choice(mix)
        start = time.perf_counter()
        error = None
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                error = f"{response.status} {path}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__} {path}"
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        tally.record(time.perf_counter() - start, error)
    connection.close()


def run_clients(port: int, mix: list[str], clients: int, seconds: float) -> Tally:
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
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    with tempfile.TemporaryDirectory(prefix="paradecat-load-") as work:
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
    mix = paths(db, random.Random(2))
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
    latencies = tally.latencies
    print(f"{args.clients} clients, {args.seconds:.0f} s, {len(mix)} distinct paths")
    print(
        f"requests: {len(latencies):,} ({len(latencies) / args.seconds:,.0f}/s), errors: {len(tally.errors)}"
    )
    print(
        "latency ms: "
        + ", ".join(
            f"{name} {1000 * value:.0f}"
            for name, value in (
                ("p50", percentile(latencies, 0.5)),
                ("p95", percentile(latencies, 0.95)),
                ("p99", percentile(latencies, 0.99)),
                ("max", max(latencies)),
            )
        )
    )
    print(
        f"server RSS MiB: start {memory[0]:.0f}, first quarter {first:.0f}, "
        f"last quarter {last:.0f}, max {max(memory):.0f} ({len(memory)} samples)"
    )
    failed = False
    if tally.errors:
        print(f"FAIL: {len(tally.errors)} errors, e.g. {tally.errors[:5]}", file=sys.stderr)
        failed = True
    if last - first > MAX_GROWTH_MIB:
        print(f"FAIL: memory grew by {last - first:.0f} MiB", file=sys.stderr)
        failed = True
    print("FAIL" if failed else "OK: zero errors, memory flat")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
