"""`newsprism ingest|stories|show|serve` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsprism.cli import cli
from tests.conftest import REPO

EXAMPLES = REPO / "examples"


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_ingest_examples_then_again_is_idempotent(db: str) -> None:
    first = _run("ingest", "--db", db, str(EXAMPLES))
    assert first.exit_code == 0, first.output
    count = sum(1 for path in EXAMPLES.glob("*.jsonl") for line in path.open() if line.strip())
    assert f"{count} added, 0 duplicate, 0 rejected" in first.output
    again = _run("ingest", "--db", db, str(EXAMPLES))
    assert again.exit_code == 0
    assert f"0 added, {count} duplicate, 0 rejected" in again.output


def test_cli_ingest_rejected_input_exits_1(db: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    good = tmp_path / "good.txt"
    good.write_text("Tram line opens\n\nThe new tram line to Vellmoor opened on Sunday.\n")
    result = CliRunner().invoke(cli, ["ingest", "--db", db, str(empty), str(good)])
    assert result.exit_code == 1
    assert "1 added" in result.output and "1 rejected" in result.output
    assert "empty.txt" in result.stderr


def test_cli_ingest_uses_env_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "env.db"
    monkeypatch.setenv("NEWSPRISM_DB", str(path))
    result = _run("ingest", str(EXAMPLES))
    assert result.exit_code == 0
    assert path.exists()


def test_cli_stories_and_show(db: str) -> None:
    assert _run("ingest", "--db", db, str(EXAMPLES)).exit_code == 0
    listed = _run("stories", "--db", db, "--format", "json")
    assert listed.exit_code == 0
    stories = json.loads(listed.output)["stories"]
    assert stories
    biggest = max(stories, key=lambda s: s["article_count"])
    searched = json.loads(
        _run("stories", "--db", db, "--search", "ferry", "--format", "json").output
    )
    assert biggest["id"] in [s["id"] for s in searched["stories"]]
    none = _run("stories", "--db", db, "--search", "zeppelin")
    assert "no stories" in none.output
    later = json.loads(
        _run("stories", "--db", db, "--since", "2040-01-01", "--format", "json").output
    )
    assert later["total"] == 0
    text = _run("stories", "--db", db)
    assert biggest["id"] in text.output
    shown = _run("show", biggest["id"], "--db", db, "--format", "json")
    assert shown.exit_code == 0
    data = json.loads(shown.output)
    assert data["schema"] == "newsprism/brief@1"
    assert data["stories"][0]["id"] == biggest["id"]
    markdown = _run("show", biggest["id"], "--db", db, "--format", "md")
    assert markdown.exit_code == 0 and markdown.output.strip()


def test_cli_show_unknown_story_names_the_cli_command(db: str) -> None:
    from newsprism.store import open_store

    open_store(db).close()  # an existing, empty store
    result = CliRunner().invoke(cli, ["show", "nope", "--db", db])
    assert result.exit_code == 1
    assert "no story with id 'nope'" in result.output
    assert f"newsprism stories --db {db}" in result.output
    assert "GET /api" not in result.output  # a terminal user is not told an HTTP route


@pytest.mark.parametrize(
    "command",
    [
        ["stories"],
        ["stories", "--search", "ferry"],
        ["show", "s-0123456789ab"],
        ["changes", "s-0123456789ab"],
    ],
)
def test_cli_read_commands_refuse_a_missing_database(tmp_path: Path, command: list[str]) -> None:
    typo = tmp_path / "typo.db"
    result = CliRunner().invoke(cli, [*command, "--db", str(typo)])
    assert result.exit_code == 1
    assert f"no database at {typo}" in result.output
    assert f"newsprism ingest FILES --db {typo}" in result.output  # the fix
    assert not typo.exists()  # nothing created


def test_cli_read_commands_refuse_a_missing_env_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSPRISM_DB", str(tmp_path / "gone.db"))
    result = CliRunner().invoke(cli, ["stories"])
    assert result.exit_code == 1
    assert "gone.db (from $NEWSPRISM_DB)" in result.output
    assert not (tmp_path / "gone.db").exists()


def test_cli_stories_bad_since_is_usage_error(db: str) -> None:
    result = CliRunner().invoke(cli, ["stories", "--db", db, "--since", "yesterday"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_cli_serve_beyond_loopback_needs_token(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSPRISM_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--db", db, "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "NEWSPRISM_TOKEN" in result.output


def test_cli_commands_have_help() -> None:
    for name in ("ingest", "stories", "show", "serve"):
        result = _run(name, "--help")
        assert result.exit_code == 0 and "--db" in result.output


def test_cli_ingest_writes_briefs_of_touched_stories(db: str) -> None:
    from newsprism.service import Service
    from newsprism.store import open_store

    assert _run("ingest", "--db", db, str(EXAMPLES)).exit_code == 0
    service = Service(open_store(db))
    try:
        ids = [row.id for row in service.list_stories(limit=10).stories]
        assert ids
        assert all(service.fresh_brief_json(story_id) is not None for story_id in ids)
    finally:
        service.store.close()


def test_cli_ingest_no_briefs_leaves_them_for_first_read(db: str) -> None:
    from newsprism.service import Service
    from newsprism.store import open_store

    assert _run("ingest", "--db", db, "--no-briefs", str(EXAMPLES)).exit_code == 0
    service = Service(open_store(db))
    try:
        ids = [row.id for row in service.list_stories(limit=10).stories]
        assert ids
        assert all(service.fresh_brief_json(story_id) is None for story_id in ids)
    finally:
        service.store.close()


def test_service_takes_in_articles_another_process_stored(tmp_path: Path) -> None:
    """A clusterer built before another writer stored articles must not split their story."""
    from newsprism.model import RawDocument
    from newsprism.service import Service
    from newsprism.store import open_store

    db = tmp_path / "shared.db"
    first, second = Service(open_store(db)), Service(open_store(db))
    base = (
        "The harbour ferry Marlin struck the north pier in Westport on {d} after its steering "
        "failed; divers inspected the Marlin hull and the Westport port authority closed the "
        "ferry terminal while investigators questioned the crew of the Marlin."
    )

    def doc(day: str, text: str = base) -> RawDocument:
        body = text.format(d=day)
        return RawDocument(source=f"{day}.txt", data=body.encode(), media_type="text/plain")

    other = "Hospital nurses in Eastbridge began a {d} strike over pay and staffing levels."
    second.ingest_documents([doc("Sunday", other)])  # the second service builds its clusterer
    one = first.ingest_documents([doc("Monday")]).added[0]["story_id"]
    two = second.ingest_documents([doc("Tuesday")]).added[0]["story_id"]
    assert one == two  # the second service saw Monday's article before assigning Tuesday's
