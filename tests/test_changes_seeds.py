"""The target of issue 13, "what changed": the seeds ingested as 000+002, then 003.

The second version must list 003 as a new article and outlet, the facts 003 newly
corroborates, and the new disagreement 003 brings. What is expected is read from the two real
briefs (nothing of the seeds' text is written here beyond the file prefixes that name them).
Runs on SQLite and a real PostgreSQL (the service), through the CLI, the API and the feeds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from newsprism.changes_contract import ChangeDict
from newsprism.cli import cli
from newsprism.service import Service
from newsprism.store import open_store
from tests.conftest import shared_models


def _seed(seeds_dir: Path, prefix: str) -> Path:
    found = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix}_*.txt not found in {seeds_dir}")
    return found[0]


@dataclass
class Run:
    """The seeds through one store: the briefs after each ingest and the recorded versions."""

    db: str
    story_id: str
    id_003: str
    brief_1: dict[str, Any]
    brief_2: dict[str, Any]
    changes: list[ChangeDict]


def _story(brief: dict[str, Any]) -> dict[str, Any]:
    [story] = brief["stories"]
    return story


def _ingest_in_two_steps(service: Service, seeds_dir: Path) -> tuple[str, str, Any, Any]:
    first = service.ingest_inputs([str(_seed(seeds_dir, "000")), str(_seed(seeds_dir, "002"))])
    assert len(first.added) == 2 and not first.rejected
    story_ids = {entry["story_id"] for entry in first.added}
    assert len(story_ids) == 1, f"000 and 002 made {len(story_ids)} stories"
    story_id = story_ids.pop()
    brief_1, _ = service.story_brief(story_id)
    second = service.ingest_inputs([str(_seed(seeds_dir, "003"))])
    [added] = second.added
    assert added["story_id"] == story_id, "003 did not join the story of 000 and 002"
    brief_2, stored = service.story_brief(story_id)
    assert not stored
    return story_id, added["id"], brief_1, brief_2


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def run(
    request: pytest.FixtureRequest, seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Run]:
    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("seeds-changes") / "seeds.db")
        yield from _run(db, seeds_dir)
        return
    # A database of its own on the session's server, dropped afterwards.
    import uuid

    import psycopg

    server = request.getfixturevalue("postgres_url")
    name = f"newsprism_changes_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield from _run(f"{server.rsplit('/', 1)[0]}/{name}", seeds_dir)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _run(db: str, seeds_dir: Path) -> Iterator[Run]:
    service = Service(open_store(db), models=shared_models())
    try:
        story_id, id_003, brief_1, brief_2 = _ingest_in_two_steps(service, seeds_dir)
        changes = service.story_changes(story_id, refresh=False)["changes"]
        yield Run(db, story_id, id_003, brief_1, brief_2, changes)
    finally:
        service.store.close()


def test_changes_seeds_two_versions(run: Run) -> None:
    assert [c["version"] for c in run.changes] == [1, 2]
    assert run.changes[0]["at"] < run.changes[1]["at"]
    first = run.changes[0]
    assert {a["id"] for a in first["new_articles"]} == set(_story(run.brief_1)["article_ids"])
    assert first["headline_before"] is None


def test_changes_seeds_003_is_a_new_article_and_outlet(run: Run) -> None:
    second = run.changes[1]
    assert [a["id"] for a in second["new_articles"]] == [run.id_003]
    [article] = [a for a in run.brief_2["articles"] if a["id"] == run.id_003]
    assert Path(article["source"]).name.startswith("003_")
    # The seeds name no outlet: 003 is told apart by its file name, and is new.
    assert second["new_outlets"] == [
        {"outlet": Path(article["source"]).name, "named": False, "article_ids": [run.id_003]}
    ]
    assert second["headline_before"] == _story(run.brief_1)["headline"]
    assert second["headline_after"] == _story(run.brief_2)["headline"]


def _cited_by(item: dict[str, Any], article_id: str) -> bool:
    return any(c["article_id"] == article_id for c in item["citations"])


def _old_status(brief_1: dict[str, Any], citation: dict[str, Any]) -> set[str]:
    """Statuses of the first brief's facts citing the same characters as *citation*."""
    return {
        fact["status"]
        for fact in _story(brief_1)["facts"]
        for old in fact["citations"]
        if old["article_id"] == citation["article_id"]
        and old["start"] < citation["end"]
        and citation["start"] < old["end"]
    }


def test_changes_seeds_newly_corroborated_facts(run: Run) -> None:
    listed = run.changes[1]["newly_corroborated"]
    # Read from the briefs: corroborated now, carried by 003, and the older article's
    # sentence was a fact of the first brief that was not corroborated.
    expected = []
    for fact in _story(run.brief_2)["facts"]:
        if fact["status"] != "corroborated" or not _cited_by(fact, run.id_003):
            continue
        before = set().union(*(_old_status(run.brief_1, c) for c in fact["citations"]))
        if before and "corroborated" not in before:
            expected.append(fact)
    assert expected, "the brief reports no fact that 003 newly corroborates"
    assert [{k: v for k, v in f.items() if k != "status_before"} for f in listed] == expected
    assert all(f["status_before"] == "single_source" for f in listed)
    assert all(f["independent_sources"] >= 2 for f in listed)


def test_changes_seeds_new_disagreement_of_003(run: Run) -> None:
    second = run.changes[1]
    involving_003 = [
        d
        for d in _story(run.brief_2)["disagreements"]
        if any(c["article_id"] == run.id_003 for c in d["claims"])
    ]
    assert involving_003, "the brief reports no disagreement involving 003"
    assert second["new_disagreements"] == involving_003
    kept = _story(run.brief_2)["disagreements"]
    gone = [d for d in _story(run.brief_1)["disagreements"] if d not in kept]
    assert second["dropped_disagreements"] == gone
    # No article of the seeds has a publication date: nothing can be a timed revision.
    assert second["revised_figures"] == []
    texts = {a["id"]: a["text"] for a in run.brief_2["articles"]}
    for disagreement in second["new_disagreements"]:
        for claim in disagreement["claims"]:
            assert claim["value"] in texts[claim["article_id"]][claim["start"] : claim["end"]]


def test_changes_seeds_new_facts_and_quotes_are_003s(run: Run) -> None:
    second = run.changes[1]
    assert second["new_facts"] and second["new_quotes"]
    assert all(_cited_by(f, run.id_003) for f in second["new_facts"])
    assert all(_cited_by(q, run.id_003) for q in second["new_quotes"])
    facts_2 = _story(run.brief_2)["facts"]
    assert all(f in facts_2 for f in second["new_facts"])


def test_changes_seeds_recomputed_same_brief_records_no_version(run: Run) -> None:
    service = Service(open_store(run.db), models=shared_models())
    try:
        service.store.touch_story(run.story_id, headline="")  # stale: recomputed on read
        data, stored = service.story_brief(run.story_id)
        assert not stored
        assert data == run.brief_2
        assert len(service.story_changes(run.story_id, refresh=False)["changes"]) == 2
    finally:
        service.store.close()


def test_changes_seeds_api_and_feeds(run: Run) -> None:
    from newsprism.api.app import create_app

    with TestClient(create_app(run.db)) as client:
        answer = client.get(f"/api/stories/{run.story_id}/changes")
        assert answer.status_code == 200
        assert answer.json()["changes"] == json.loads(json.dumps(run.changes))
        since = run.changes[0]["at"]
        later = client.get(f"/api/stories/{run.story_id}/changes", params={"since": since})
        assert [c["version"] for c in later.json()["changes"]] == [2]
        assert client.get("/api/stories/s-none/changes").status_code == 404

        feed = feedparser.parse(client.get(f"/stories/{run.story_id}.atom").content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.id and feed.feed.title and feed.feed.updated == run.changes[1]["at"]
        assert [e.updated for e in feed.entries] == [c["at"] for c in reversed(run.changes)]
        assert all(e.id and e.link and e.title for e in feed.entries)

        word = max(_story(run.brief_2)["headline"].split(), key=len)
        found = feedparser.parse(client.get("/search.atom", params={"q": word}).content)
        assert not found.bozo, found.bozo_exception
        assert {e.id for e in found.entries} == {e.id for e in feed.entries}

        page = client.get(f"/stories/{run.story_id}", params={"since": since})
        assert page.status_code == 200
        assert "What's new since" in page.text and f"/articles/{run.id_003}" in page.text


def test_changes_seeds_cli(seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    first = runner.invoke(
        cli, ["ingest", str(_seed(seeds_dir, "000")), str(_seed(seeds_dir, "002")), "--db", db]
    )
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, ["ingest", str(_seed(seeds_dir, "003")), "--db", db])
    assert second.exit_code == 0, second.output
    listed = runner.invoke(cli, ["stories", "--db", db, "--format", "json"])
    [story] = json.loads(listed.stdout)["stories"]
    shown = runner.invoke(cli, ["changes", story["id"], "--db", db, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["story_id"] == story["id"] and data["schema"] == "newsprism/changes@1"
    assert [c["version"] for c in data["changes"]] == [1, 2]
    [new] = data["changes"][1]["new_articles"]
    assert new["outlet"].startswith("003_")
    assert data["changes"][1]["new_disagreements"] and data["changes"][1]["newly_corroborated"]

    text = runner.invoke(cli, ["changes", story["id"], "--db", db])
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith(f"Story {story['id']}: 2 versions")
    assert "new disagreement" in text.stdout and new["id"] in text.stdout

    bad = runner.invoke(cli, ["changes", story["id"], "--db", db, "--since", "yesterday"])
    assert bad.exit_code == 2 and "'yesterday' is not an ISO date" in bad.output
    missing = runner.invoke(cli, ["changes", "s-none", "--db", db])
    assert missing.exit_code == 1 and "no story with id 's-none'" in missing.output
