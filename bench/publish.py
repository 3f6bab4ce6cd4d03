"""What a published page costs a reader: bytes on the wire and time, next to bare Datasette.

    python bench/publish.py [--count 100]

It builds this repository's catalogue, then starts `paradecat serve` as it is published (hashed
URLs, gzip, Cache-Control) and bare `datasette -i` (no plugins, no compression;
bench/bare_datasette.py) on the same database, as real processes on 127.0.0.1. For each page it
asks ours the way a browser does (following the redirect to the hashed URL once, then asking for
that URL with `Accept-Encoding: gzip`) and bare Datasette for the same path, the two taking
turns, and prints the bytes each sends and the median time of --count requests.

The database download is measured twice: in full from bare Datasette, and as a CDN or a browser
revalidates its copy from ours (`If-None-Match` with the ETag: 304, no body).
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from serve import BIN, HOST, REPO, Server, free_port  # noqa: E402

PAGES = [
    "/",
    "/paradecat/parades",
    "/paradecat/systems",
    "/paradecat/parades/2025-05-07-astana",
    "/paradecat/systems/tor-m2k",
    "/paradecat/systems.json?_size=100",
    "/paradecat/parade_systems.json?_size=100",
]


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], int, float]:
    """One GET on a new connection: status, lower-case headers, bytes of body, seconds."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, len(body), elapsed


def hashed(port: int, path: str) -> str:
    """The URL a browser ends up at: the hashed one the plain path redirects to."""
    status, headers, _, _ = get(port, path, {})
    return headers["location"] if status in (301, 302) else path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100, help="requests per page and server")
    parser.add_argument("--work", type=Path, default=REPO / ".bench")
    args = parser.parse_args(argv)

    root = args.work / "publish"
    root.mkdir(parents=True, exist_ok=True)
    db = root / "paradecat.db"
    subprocess.run(
        [str(BIN / "paradecat"), "build", "--root", str(REPO), "--db", str(db)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    ours_port, bare_port = free_port(), free_port()
    ours = Server(
        "paradecat serve",
        [
            str(BIN / "paradecat"),
            "serve",
            "--no-build",
            "--db",
            str(db),
            "--root",
            str(REPO),
            "--host",
            HOST,
            "--port",
            str(ours_port),
        ],
        ours_port,
    )
    bare = Server(
        "datasette -i",
        [
            sys.executable,
            str(BENCH / "bare_datasette.py"),
            "-i",
            str(db),
            "--host",
            HOST,
            "--port",
            str(bare_port),
        ],
        bare_port,
    )
    gzip = {"accept-encoding": "gzip"}
    rows = []
    try:
        for server in (ours, bare):
            server.start(root / f"{server.name.split()[0]}.log")
        for path in PAGES:
            target = hashed(ours_port, path)
            status, headers, ours_bytes, _ = get(ours_port, target, gzip)
            bare_status, _, bare_bytes, _ = get(bare_port, path, {})
            if status != 200 or bare_status != 200:
                raise SystemExit(f"{path}: {status} from ours, {bare_status} from bare Datasette")
            times: dict[str, list[float]] = {"ours": [], "bare": []}
            for _ in range(args.count):
                times["ours"].append(get(ours_port, target, gzip)[3])
                times["bare"].append(get(bare_port, path, {})[3])
            rows.append(
                (
                    path,
                    ours_bytes,
                    bare_bytes,
                    statistics.median(times["ours"]),
                    statistics.median(times["bare"]),
                    headers.get("cache-control", ""),
                    headers.get("content-encoding", "none"),
                )
            )
        # the database download: revalidated from ours, in full from bare Datasette
        target = hashed(ours_port, "/paradecat.db")
        status, headers, size, _ = get(ours_port, target, {})
        etag = headers["etag"]
        revalidate = {"if-none-match": etag}
        times = {"ours": [], "bare": []}
        for _ in range(args.count):
            status, _, _, seconds = get(ours_port, target, revalidate)
            if status != 304:
                raise SystemExit(f"the database revalidation answered {status}, not 304")
            times["ours"].append(seconds)
            times["bare"].append(get(bare_port, "/paradecat.db", {})[3])
        rows.append(
            (
                "/paradecat.db (304 with its ETag, against a full download)",
                0,
                size,
                statistics.median(times["ours"]),
                statistics.median(times["bare"]),
                headers.get("cache-control", ""),
                "none",
            )
        )
    finally:
        for server in (ours, bare):
            server.stop()

    print(
        f"\n  {'page':<58} {'ours KB':>8} {'bare KB':>8} {'size':>6}"
        f" {'ours ms':>8} {'bare ms':>8} {'time':>6}  encoding, Cache-Control"
    )
    for path, ob, bb, ot, bt, cache, encoding in rows:
        print(
            f"  {path:<58} {ob / 1024:8.1f} {bb / 1024:8.1f} {ob / bb:5.2f}x"
            f" {ot * 1e3:8.1f} {bt * 1e3:8.1f} {ot / bt:5.2f}x  {encoding}, {cache}"
        )
    pages = rows[:-1]
    total = sum(r[1] for r in pages) / sum(r[2] for r in pages)
    print(f"\n  HTML and JSON pages: ours send {total:.2f}x the bytes bare Datasette sends")
    return 0


if __name__ == "__main__":
    sys.exit(main())
