"""`paradecat publish`: the deployable folder, run as its Dockerfile says, and the platforms' dry runs.

Docker is not available here, so the Dockerfile's command runs in this environment's venv with
the folder as working directory, on 127.0.0.1, next to `paradecat serve`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from paradecat.site.serve import SETTINGS, load_metadata, make_datasette

from .conftest import METADATA, REPO
from .servers import free_port, running_serve

BIN = Path(sys.executable).parent
PARADECAT = str(BIN / "paradecat")
SITE_FILES = {"Dockerfile", "metadata.yml", "paradecat.db", "requirements.txt"}
# one page of each kind: home, table, row (the two of our own and a plain one), JSON of each,
# facets, search, a canned query, the dashboards and the database page
PAGES = [
    "/",
    "/paradecat",
    "/paradecat/parades",
    "/paradecat/systems",
    "/paradecat/sources",
    "/paradecat/appearances",
    "/paradecat/parades.json?_shape=array&_size=5",
    "/paradecat/systems.json?_facet=category",
    "/paradecat/parades/2025-05-07-astana",
    "/paradecat/systems/tor-m2k",
    "/paradecat/systems/tor-m2k.json",
    "/paradecat/units.json?_size=3",
    "/paradecat/units/37th-air-assault-brigade",
    "/paradecat/people/kassym-jomart-tokayev",
    "/paradecat/countries/KZ",
    "/paradecat/sources/moscowtimes-2025-05-08",
    "/paradecat/first_showings?_size=20",
    "/paradecat/systems_by_parade?parade=2025-05-07-astana",
    "/paradecat/disputed_facts?_size=5",
    "/paradecat/systems?_search=Barys",
    "/-/search?q=Barys",
    "/-/dashboards/overview",
]


def publish(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    """`paradecat publish ...` on this repository, its temporary files under tmp, no flyctl or
    gcloud on the PATH."""
    env = {**os.environ, "TMPDIR": str(tmp), "PATH": f"{BIN}:/usr/bin:/bin"}
    tmp.mkdir(exist_ok=True)
    return subprocess.run(
        [PARADECAT, "publish", "--root", str(REPO), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder `paradecat publish --out` writes."""
    work = tmp_path_factory.mktemp("publish")
    out = work / "site"
    result = publish("--out", str(out), tmp=work / "tmp")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def docker_command(site: Path) -> str:
    """The shell command of the Dockerfile's CMD ["/bin/sh", "-c", "..."]."""
    [line] = [x for x in (site / "Dockerfile").read_text().splitlines() if x.startswith("CMD ")]
    command = json.loads(line[len("CMD ") :])
    assert command[:2] == ["/bin/sh", "-c"]
    return str(command[2])


def wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/-/versions.json", timeout=5):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Dockerfile's command did not start:\n" + log.read_text())
            time.sleep(0.3)


@contextmanager
def running_dockerfile(site: Path, log: Path) -> Iterator[str]:
    """The Dockerfile's command, run from the folder with this venv's paradecat, on 127.0.0.1."""
    with running_command(site, docker_command(site), log) as base:
        yield base


@contextmanager
def running_command(folder: Path, command: str, log: Path) -> Iterator[str]:
    """A container's shell command run in folder with this venv's programs, PORT and HOST set."""
    port = free_port()
    env = {**os.environ, "PATH": f"{BIN}:/usr/bin:/bin", "HOST": "127.0.0.1", "PORT": str(port)}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            ["/bin/sh", "-c", command],
            cwd=folder,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET url without following redirects: status, lower-case headers, body."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def page(base: str, path: str) -> tuple[int, str]:
    """A page's status and content, redirects followed, with its timings taken out."""
    with urllib.request.urlopen(base + path, timeout=30) as response:
        text = response.read().decode()
        status = response.status
    text = text.replace(base, "BASE").replace(base.replace("/", "\\/"), "BASE")
    text = re.sub(r"\d+(\.\d+)?ms", "Nms", text)
    text = re.sub(r'"query_ms": [0-9.e-]+', '"query_ms": N', text)
    return status, text


# --- the folder -----------------------------------------------------------------------------------


def test_the_folder_holds_only_what_the_site_needs(site: Path) -> None:
    names = {p.name for p in site.iterdir()}
    [wheel] = [n for n in names if n.endswith(".whl")]
    assert names == {*SITE_FILES, wheel}
    dockerfile = (site / "Dockerfile").read_text()
    copied = {
        word
        for line in dockerfile.splitlines()
        if line.startswith("COPY ")
        for word in line.split()[1:-1]
    }
    assert copied == {"requirements.txt", wheel, "paradecat.db", "metadata.yml"}
    assert "COPY . " not in dockerfile and "ADD " not in dockerfile
    assert not re.search(r"secret|token|password", dockerfile, re.IGNORECASE)
    with zipfile.ZipFile(site / wheel) as archive:
        members = archive.namelist()
    assert any(m.endswith("site/templates/index.html") for m in members)
    assert not any(m.endswith((".yaml", ".pyc")) or ".venv" in m for m in members)
    assert yaml.safe_load((site / "metadata.yml").read_text()) == load_metadata(METADATA)


def test_every_requirement_is_pinned_by_hash(site: Path) -> None:
    text = (site / "requirements.txt").read_text()
    pins = [line for line in text.splitlines() if line and not line[0].isspace() and line[0] != "#"]
    for pin in pins:
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[^ ]+ \\", pin), pin
    blocks = text.split("==")[1:]
    assert all("--hash=sha256:" in block for block in blocks)
    names = {pin.split("==")[0] for pin in pins}
    assert {"datasette", "datasette-hashed-urls", "datasette-gzip", "sqlite-utils"} <= names
    assert not {"pytest", "playwright", "ruff", "mypy"} & names  # the tests' tools stay out
    assert "datasette==0.65." in text
    dockerfile = (site / "Dockerfile").read_text()
    assert "--require-hashes" in dockerfile and "--no-deps" in dockerfile


def test_publish_refuses_a_folder_it_must_not_replace(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    for out in (other, REPO, Path("/")):
        result = publish("--out", str(out), tmp=tmp_path / "tmp")
        assert result.returncode == 1, out
        assert "the previous folder is untouched" in result.stderr
    assert (other / "notes.txt").read_text() == "mine"


def test_publish_replaces_a_previous_site(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    shutil.copytree(site, out)
    (out / "stale.txt").write_text("old")
    result = publish("--out", str(out), tmp=tmp_path / "tmp")
    assert result.returncode == 0, result.stderr
    assert not (out / "stale.txt").exists() and (out / "Dockerfile").is_file()


# --- the Dockerfile's command against paradecat serve -------------------------------------------


def test_the_dockerfile_command_serves_what_paradecat_serve_serves(
    site: Path, tmp_path: Path
) -> None:
    assert docker_command(site).startswith("exec paradecat serve --no-build ")
    with running_dockerfile(site, tmp_path / "docker.log") as docker:
        assert_serves_what_paradecat_serve_serves(docker, site, tmp_path)


def assert_serves_what_paradecat_serve_serves(base: str, site: Path, tmp_path: Path) -> None:
    """Every page type from base, byte for byte but for timings, as `paradecat serve` gives it."""
    with running_serve(
        site, site / "paradecat.db", "--no-build", log=tmp_path / "serve.log", hashed_urls=True
    ) as serve:
        for path in PAGES:
            theirs, ours = page(base, path), page(serve.base, path)
            assert theirs[0] == ours[0] == 200, path
            assert theirs[1] == ours[1], path


def test_a_hashed_url_is_cached_for_a_year_and_follows_the_database(
    site: Path, tmp_path: Path
) -> None:
    digest = hashlib.sha256((site / "paradecat.db").read_bytes()).hexdigest()
    with running_dockerfile(site, tmp_path / "docker.log") as base:
        status, headers, _ = fetch(f"{base}/paradecat/systems.json?id=tor-m2k")
        assert status == 302
        hashed = headers["location"]
        assert hashed == f"/paradecat-{digest[:7]}/systems.json?id=tor-m2k"
        assert headers["cache-control"] == "public, max-age=60"  # the hash may change
        first, second = fetch(base + hashed), fetch(base + hashed)
        for status, headers, _ in (first, second):
            assert status == 200
            assert headers["cache-control"] == "max-age=31536000, public"
            assert headers["x-content-type-options"] == "nosniff"
        untimed = [{**json.loads(body), "query_ms": None} for _, _, body in (first, second)]
        assert untimed[0] == untimed[1] and b"tor-m2k" in first[2]
        # the database itself: its ETag is its hash, and asking again with it costs nothing
        status, headers, _ = fetch(f"{base}/paradecat-{digest[:7]}.db")
        assert status == 200 and headers["etag"] == f'"{digest}"'
        assert headers["cache-control"] == "max-age=31536000, public"
        status, _, body = fetch(
            f"{base}/paradecat-{digest[:7]}.db", {"if-none-match": f'"{digest}"'}
        )
        assert status == 304 and body == b""
        # every page without the hash in its URL may be kept too, for a short time
        status, headers, _ = fetch(f"{base}/")
        assert status == 200 and headers["cache-control"] == "public, max-age=300"
        # HTML and JSON are compressed for clients that accept it
        for path in (hashed, f"/paradecat-{digest[:7]}/systems"):
            status, headers, body = fetch(base + path, {"accept-encoding": "gzip"})
            assert headers["content-encoding"] == "gzip"
            assert b"systems" in gzip.decompress(body)

    # a new database: the URL with the old hash now redirects to the new one
    changed = tmp_path / "changed"
    shutil.copytree(site, changed)
    with sqlite3.connect(changed / "paradecat.db") as conn:
        conn.execute("update systems set name = name || ' (changed)' where id = 'tor-m2k'")
    conn.close()
    new = hashlib.sha256((changed / "paradecat.db").read_bytes()).hexdigest()
    assert new != digest
    with running_dockerfile(changed, tmp_path / "changed.log") as base:
        status, headers, _ = fetch(base + hashed)
        assert status == 302
        assert headers["location"] == f"/paradecat-{new[:7]}/systems.json?id=tor-m2k"
        status, _, body = fetch(base + headers["location"])
        assert status == 200 and b"(changed)" in body


# --- the platforms' dry runs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "name", "option"),
    [("fly", "paradecat-test", "--generate"), ("cloudrun", "paradecat-test", "--dry-run")],
)
def test_each_platform_dry_run_deploys_the_same_files_and_settings(
    site: Path, tmp_path: Path, platform: str, name: str, option: str
) -> None:
    out = tmp_path / platform
    result = publish(platform, name, option, str(out), tmp=tmp_path / "tmp")
    assert result.returncode == 0, result.stdout + result.stderr
    dockerfile = (out / "Dockerfile").read_text()
    [wheel] = [p.name for p in site.glob("*.whl")]
    assert f"-c plugins/constraints.txt plugins/{wheel}" in dockerfile
    assert (out / "plugins" / wheel).read_bytes()[:2] == b"PK"
    pins = (out / "plugins" / "constraints.txt").read_text().split()
    assert "datasette==0.65.5" in pins or any(p.startswith("datasette==0.65.") for p in pins)
    assert len(pins) == (site / "requirements.txt").read_text().count("==")
    [cmd] = [line for line in dockerfile.splitlines() if line.startswith("CMD ")]
    words = shlex.split(cmd)
    assert words[1:3] == ["datasette", "serve"] and "-i" in words
    for key, value in SETTINGS.items():
        expected = ("on" if value else "off") if isinstance(value, bool) else str(value)
        assert f"--setting {key} {expected}" in cmd, key
    assert "--template-dir templates/" in cmd
    assert json.loads((out / "metadata.json").read_text()) == load_metadata(METADATA)
    templates = REPO / "src" / "paradecat" / "site" / "templates"
    for template in templates.glob("*.html"):
        assert (out / "templates" / template.name).read_text() == template.read_text()
    assert (out / "paradecat.db").read_bytes() == (site / "paradecat.db").read_bytes()
    if platform == "fly":
        assert f'app = "{name}"' in (out / "fly.toml").read_text()


def test_the_cloud_run_image_serves_what_paradecat_serve_serves(site: Path, tmp_path: Path) -> None:
    """The image `datasette publish cloudrun` builds runs `datasette serve`, not `paradecat
    serve`: its RUN and CMD lines, run here from its folder (on 127.0.0.1, not 0.0.0.0), serve
    the same pages, byte for byte but for timings."""
    out = tmp_path / "cloudrun"
    result = publish("cloudrun", "paradecat-test", "--dry-run", str(out), tmp=tmp_path / "tmp")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = (out / "Dockerfile").read_text().splitlines()
    for line in lines:
        if line.startswith("RUN datasette "):  # `datasette inspect`; the pip line is this venv
            subprocess.run(
                line[len("RUN ") :], shell=True, cwd=out, check=True, env={"PATH": str(BIN)}
            )
    [cmd] = [line[len("CMD ") :] for line in lines if line.startswith("CMD ")]
    assert "--host 0.0.0.0 " in cmd
    cmd = cmd.replace("--host 0.0.0.0 ", "--host 127.0.0.1 ")
    with running_command(out, cmd, tmp_path / "cloudrun.log") as platform:
        assert_serves_what_paradecat_serve_serves(platform, site, tmp_path)


# --- the footer ----------------------------------------------------------------------------------


async def test_the_footer_links_the_one_repository_setting(built_db: Path, tmp_path: Path) -> None:
    metadata = yaml.safe_load(METADATA.read_text())
    assert "source_url" not in metadata and "about_url" not in metadata
    metadata["repository_url"] = "https://example.org/someone/paradecat"
    path = tmp_path / "metadata.yml"
    path.write_text(yaml.safe_dump(metadata), encoding="utf-8")
    ds = make_datasette(built_db, path)
    for url in ("/", "/paradecat/systems", "/paradecat/systems/tor-m2k"):
        footer = (await ds.client.get(url)).text.split('<footer class="ft">', 1)[1]
        assert 'href="https://example.org/someone/paradecat"' in footer, url
        assert 'href="https://example.org/someone/paradecat#readme"' in footer, url
        assert "github.com" not in footer, url


def test_publish_takes_the_repository_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "site"
    url = "https://example.org/fork/paradecat"
    result = publish("--repository-url", url, "--out", str(out), tmp=tmp_path / "tmp")
    assert result.returncode == 0, result.stderr
    published = yaml.safe_load((out / "metadata.yml").read_text())
    assert published["source_url"] == url and published["about_url"] == f"{url}#readme"
