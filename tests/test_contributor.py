"""The contributor's tools: `paradecat new`, `paradecat rules`, `paradecat diff` and the repository plumbing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from paradecat.check.rulebook import all_rules, render_markdown
from paradecat.cli import cli
from paradecat.model import Identification, Qualifier, Segment

from .conftest import REPO

BIN = Path(sys.executable).parent


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "catalog", tmp_path / "catalog")
    return tmp_path


# --- paradecat new ----------------------------------------------------------------------------


def test_new_writes_a_template_that_validates_when_required_fields_are_given(repo: Path) -> None:
    code, output = invoke(
        "new",
        "unit",
        "1st-guards-brigade",
        "--root",
        str(repo),
        "--name",
        "1st Guards Brigade",
        "--country",
        "KZ",
        "--sources",
        "moscowtimes-2025-05-08",
    )
    assert code == 0, output
    path = repo / "catalog" / "units" / "1st-guards-brigade.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schema/unit.schema.json"
    code, output = invoke("validate", "--root", str(repo))
    assert code == 0, output


def test_new_parade_comments_list_allowed_values_from_the_models(repo: Path) -> None:
    code, _ = invoke("new", "parade", "2026-05-09-astana", "--root", str(repo))
    assert code == 0
    text = (repo / "catalog" / "parades" / "2026-05-09-astana.yaml").read_text(encoding="utf-8")
    for enum in (Segment, Identification, Qualifier):
        assert "allowed: " + ", ".join(e.value for e in enum) in text, enum
    # without its required fields the template is not yet valid, and says which are missing
    code, output = invoke("validate", "--root", str(repo))
    assert code == 1
    assert "2026-05-09-astana.yaml" in output and "name" in output


def test_new_refuses_a_taken_id(repo: Path) -> None:
    code, output = invoke("new", "system", "tor-m2k", "--root", str(repo))
    assert code == 2
    assert "already exists" in output
    code, output = invoke("new", "system", "Tor-M2K", "--root", str(repo))
    assert code == 2
    assert "did you mean 'tor-m2k'?" in output


@pytest.mark.parametrize("length", [101, 150, 300])
def test_new_refuses_an_id_over_the_limit_before_writing(repo: Path, length: int) -> None:
    """One limit for ids everywhere: the schema's 100 characters, checked before any file."""
    before = sorted((repo / "catalog").rglob("*"))
    code, output = invoke("new", "system", "a" * length, "--root", str(repo))
    assert code == 2
    assert f"the id is {length} characters long; the limit is 100" in output
    assert "Traceback" not in output
    assert sorted((repo / "catalog").rglob("*")) == before
    code, _ = invoke("new", "system", "a" * 100, "--root", str(repo))
    assert code == 0


def test_new_refuses_an_id_that_is_not_a_slug(repo: Path) -> None:
    code, output = invoke("new", "parade", "Astana 2026", "--root", str(repo))
    assert code == 2
    assert "did you mean 'astana-2026'?" in output
    assert not list((repo / "catalog" / "parades").glob("Astana*"))


def test_new_rejects_unknown_fields_with_a_suggestion(repo: Path) -> None:
    code, output = invoke("new", "system", "x-1", "--root", str(repo), "--nmae", "X")
    assert code == 2
    assert "a system has no field 'nmae' (did you mean 'name'?)" in output


def test_new_quotes_values_only_when_yaml_would_misread_them(repo: Path) -> None:
    code, _ = invoke(
        "new",
        "source",
        "a-b",
        "--root",
        str(repo),
        "--title",
        "Kazakhstan: the parade",
        "--published",
        "2025-05-08",
        "--language",
        "en",
        "--publisher",
        "NO",
        "--url",
        "https://example.org/a",
    )
    assert code == 0
    text = (repo / "catalog" / "sources" / "a-b.yaml").read_text(encoding="utf-8")
    assert 'title: "Kazakhstan: the parade"' in text
    assert "published: 2025-05-08" in text
    assert "publisher: NO" in text  # YAML 1.2: a string
    code, output = invoke("validate", "--root", str(repo), "catalog/sources/a-b.yaml")
    assert "error" not in output.replace("0 errors", "")


# --- paradecat rules --------------------------------------------------------------------------


def test_rules_lists_every_code() -> None:
    code, output = invoke("rules")
    assert code == 0
    for rule in all_rules():
        assert rule.code in output


def test_every_rule_documents_a_pass_and_a_fail() -> None:
    for rule in all_rules():
        assert "PASS:" in rule.doc and "FAIL:" in rule.doc, rule.code


def test_docs_rules_md_is_generated_from_the_rules() -> None:
    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == render_markdown()
    code, _ = invoke("rules", "--check", str(REPO / "docs" / "rules.md"))
    assert code == 0


def test_rules_check_detects_drift(tmp_path: Path) -> None:
    stale = tmp_path / "rules.md"
    stale.write_text(render_markdown().replace("duplicate", "dupe"), encoding="utf-8")
    code, output = invoke("rules", "--check", str(stale))
    assert code == 1
    assert "differs from the rules" in output


def test_every_reported_code_is_in_the_catalogue() -> None:
    codes = {rule.code for rule in all_rules()}
    seen = set()
    for expected in (REPO / "tests" / "cases" / "invalid").glob("*/expected.txt"):
        for line in expected.read_text(encoding="utf-8").splitlines():
            if line.startswith("… and "):  # the count of problems not shown
                continue
            seen.add(line.split("[", 1)[1].split("]", 1)[0])
    assert seen <= codes, seen - codes
    untested = codes - seen - {"file-unreadable", "schema"}
    assert not untested, f"codes without an invalid case: {untested}"


# --- paradecat diff ---------------------------------------------------------------------------


def git(work: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=work,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def history(repo: Path) -> Path:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def test_diff_of_a_commit_that_changes_one_count(history: Path) -> None:
    parade = history / "catalog" / "parades" / "2025-05-07-astana.yaml"
    text = parade.read_text(encoding="utf-8")
    changed = text.replace(
        "personnel:\n  value: 4000\n  qualifier: over\n",
        "personnel:\n  value: 4500\n  qualifier: about\n",
        1,
    )
    assert changed != text
    parade.write_text(changed, encoding="utf-8")
    git(history, "commit", "-qam", "one count")
    code, output = invoke("diff", "HEAD~1", "--root", str(history))
    assert code == 0
    assert output == "parades/2025-05-07-astana: personnel 4000 (over) -> 4500 (about)\n"
    code, output = invoke("diff", "HEAD~1", "--root", str(history), "--format", "markdown")
    assert "| `parades/2025-05-07-astana` | `personnel` | 4000 (over) | 4500 (about) |" in output


def test_diff_lists_added_and_removed_entries(history: Path) -> None:
    (history / "catalog" / "units" / "kyrgyz-national-guard.yaml").unlink()
    invoke("new", "unit", "new-unit", "--root", str(history))
    code, output = invoke("diff", "HEAD", "--root", str(history))
    assert code == 0
    assert output.splitlines() == ["units/kyrgyz-national-guard: removed", "units/new-unit: added"]


def test_diff_defaults_to_the_merge_base_with_main(history: Path) -> None:
    git(history, "switch", "-qc", "feature")
    (history / "catalog" / "systems" / "buk.yaml").unlink()
    git(history, "commit", "-qam", "drop buk")
    code, output = invoke("diff", "--root", str(history))
    assert code == 0
    assert output.strip() == "systems/buk: removed"


def test_diff_of_an_unknown_revision_is_a_clear_error(history: Path) -> None:
    code, output = invoke("diff", "no-such-rev", "--root", str(history))
    assert code == 1
    assert "Error:" in output and "Traceback" not in output


# --- repository plumbing ----------------------------------------------------------------------

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
FORMS = sorted(
    p for p in (REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml"
)


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
    )


def test_workflows_match_the_github_workflow_schema() -> None:
    assert {p.name for p in WORKFLOWS} >= {"validate.yml", "publish.yml"}
    result = check_jsonschema("vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_forms_match_their_schema() -> None:
    assert {p.stem for p in FORMS} == {"new-parade", "correction", "new-system"}
    assert check_jsonschema("vendor.github-issue-forms", *FORMS).returncode == 0
    config = REPO / ".github" / "ISSUE_TEMPLATE" / "config.yml"
    assert check_jsonschema("vendor.github-issue-config", config).returncode == 0


def test_pre_commit_files_are_valid() -> None:
    for command, path in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        result = subprocess.run(
            [str(BIN / "pre-commit"), command, str(REPO / path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_validate_workflow_is_safe_for_forks() -> None:
    text = (REPO / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8")
    assert "pull_request_target" not in text.split("\n", 4)[-1].split("on:", 1)[1]
    assert "permissions:\n  contents: read" in text
    assert "secrets." not in text
    for line in text.splitlines():
        if "uses:" in line:
            ref = line.split("@", 1)[1].split()[0]
            assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), line
    assert "--format github" in text and "paradecat diff" in text and "make test" in text


def test_every_workflow_pins_its_actions_to_full_commits_and_pipes_no_installer() -> None:
    for workflow in sorted((REPO / ".github" / "workflows").glob("*.yml")):
        text = workflow.read_text(encoding="utf-8")
        for line in text.splitlines():
            if "uses:" in line:
                ref = line.split("@", 1)[1].split()[0]
                assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), line
        # an installer piped into a shell runs whatever the server sends that day
        assert not re.search(r"curl[^\n|]*\|\s*(ba)?sh", text), workflow.name


def test_publish_runs_from_main_only_and_installs_the_lock() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text())
    job = workflow["jobs"]["publish"]
    assert job["if"] == "github.ref == 'refs/heads/main'"
    assert job["permissions"] == {"contents": "write"} and workflow["permissions"] == {
        "contents": "read"
    }
    steps = [s.get("run", "") for s in job["steps"]]
    assert "make install" in steps
    make = (REPO / "Makefile").read_text()
    install = make.split("$(STAMP): pyproject.toml requirements/lock.txt\n", 1)[1].split("\n\n", 1)[
        0
    ]
    assert "--require-hashes" in install and "-r requirements/lock.txt" in install
    assert "--no-deps" in install  # paradecat itself adds nothing unpinned


def test_dependabot_updates_the_lock_and_the_actions() -> None:
    path = REPO / ".github" / "dependabot.yml"
    assert check_jsonschema("vendor.dependabot", path).returncode == 0
    ecosystems = {u["package-ecosystem"] for u in yaml.safe_load(path.read_text())["updates"]}
    assert ecosystems == {"pip", "github-actions"}


def test_pull_request_template_exists() -> None:
    text = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "paradecat validate" in text
