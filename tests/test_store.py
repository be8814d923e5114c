"""The store: same behaviour on SQLite and on a real PostgreSQL (tests/postgres.py)."""

from __future__ import annotations

import json
import threading
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.errors import StoreSchemaTooNew
from newsprism.model import Article, Rejection, Removal
from newsprism.store import Store, open_store


def _article(n: int, *, text: str | None = None, outlet: str = "Harbor Gazette") -> Article:
    return Article(
        id=f"art{n:04d}",
        source=f"file{n}.txt",
        outlet=outlet,
        title=f"Ferry service resumes on route {n}",
        text=text or f"The lagoon ferry resumed service on route {n} after the storm.",
        published=datetime(2031, 3, 4 + n % 20),
        url=None,
        removed=(Removal(text="Loading...", reason="loading placeholder"),),
        raw_ref=f"{n:064x}",
    )


def test_store_migrations_recorded_once(store_url: str) -> None:
    from newsprism.store.migrations import MIGRATIONS

    dialect = "postgres" if store_url.startswith("postgresql") else "sqlite"
    names = [m.name for m in MIGRATIONS[dialect]]
    assert names[:3] == ["0001_initial", "0002_story_aggregates", "0003_listing"]
    assert len(set(names)) == len(names)
    first = open_store(store_url)
    assert first.applied_migrations() == names
    first.close()
    again = open_store(store_url)
    assert again.applied_migrations() == names
    again.close()


def test_store_refuses_newer_schema(store: Store, store_url: str) -> None:
    with store.atomic():
        store._execute(  # type: ignore[attr-defined]
            "INSERT INTO newsprism_migrations (name, applied_at) VALUES (?, ?)",
            ("9999_future", "2040-01-01"),
        )
    with pytest.raises(StoreSchemaTooNew, match="9999_future"):
        open_store(store_url)


def test_store_article_round_trip_and_idempotence(store: Store) -> None:
    article = _article(1)
    store.touch_story("s1", headline=article.title)
    assert store.put_article(article, story_id="s1") is True
    again = Article(**{**_as_kwargs(article), "source": "mirror/file1.txt"})
    assert store.put_article(again, story_id="s1") is False
    assert store.get_article(article.id) == article
    assert store.article_sources(article.id) == ["file1.txt", "mirror/file1.txt"]
    assert store.counts()["articles"] == 1
    assert store.article_story(article.id) == "s1"


def _as_kwargs(article: Article) -> dict[str, object]:
    return {name: getattr(article, name) for name in article.__slots__}  # type: ignore[attr-defined]


def test_store_raw_and_rejections_kept(store: Store) -> None:
    store.put_raw("ab" * 32, b"\x00raw bytes", source="x.bin", media_type="text/plain")
    store.put_raw("ab" * 32, b"\x00raw bytes", source="x.bin", media_type="text/plain")
    assert store.get_raw("ab" * 32) == b"\x00raw bytes"
    store.put_rejection(Rejection(source="x.bin", reason="binary", code="E101"), raw_ref="ab" * 32)
    (row,) = store.rejections()
    assert (row.source, row.reason, row.code, row.raw_ref) == ("x.bin", "binary", "E101", "ab" * 32)


def test_store_atomic_rolls_back(store: Store) -> None:
    with pytest.raises(RuntimeError), store.atomic():
        store.touch_story("s1", headline="h")
        store.put_article(_article(1), story_id="s1")
        raise RuntimeError("boom")
    assert store.counts()["articles"] == 0
    assert store.get_story("s1") is None


def test_store_nested_atomic_uses_savepoint(store: Store) -> None:
    with store.atomic():
        store.touch_story("s1", headline="h")
        with pytest.raises(RuntimeError), store.atomic():
            store.put_article(_article(1), story_id="s1")
            raise RuntimeError("inner")
        store.put_article(_article(2), story_id="s1")
    assert [a.id for a in store.story_articles("s1")] == ["art0002"]


def test_store_search_and_listing(store: Store) -> None:
    store.touch_story("s1", headline="Ferry")
    store.put_article(_article(1), story_id="s1")
    store.put_article(_article(2, outlet="Coast Herald"), story_id="s1")
    store.touch_story("s1", headline="Ferry")
    store.touch_story("s2", headline="Budget")
    store.put_article(
        _article(3, text="The council approved the budget for libraries."), story_id="s2"
    )
    page = store.list_stories()
    assert page.total == 2
    assert {s.id for s in page.stories} == {"s1", "s2"}
    s1 = store.get_story("s1")
    assert s1 is not None and s1.article_count == 2
    assert s1.outlets == {"Coast Herald": 1, "Harbor Gazette": 1}
    assert [s.id for s in store.list_stories(query="libraries").stories] == ["s2"]
    assert [s.id for s in store.list_stories(query="lagoon ferry").stories] == ["s1"]
    assert store.list_stories(query='" OR * NEAR(').total == 0
    assert store.list_stories(query="nothing-here-zzz").total == 0
    assert store.list_stories(limit=1, offset=1).total == 2
    assert len(store.list_stories(limit=1, offset=1).stories) == 1


def test_store_brief_dirty_flag(store: Store) -> None:
    store.touch_story("s1", headline="Ferry")
    store.put_article(_article(1), story_id="s1")
    story = store.get_story("s1")
    assert story is not None and not story.brief_fresh
    brief = {
        "schema": "newsprism/brief@1",
        "stories": [{"id": "s1", "headline": "Ferry back", "entities": []}],
    }
    store.put_brief("s1", story.version, brief)
    story = store.get_story("s1")
    assert story is not None and story.brief_fresh and story.headline == "Ferry back"
    assert store.get_brief("s1") == (story.version, brief)
    store.touch_story("s1", headline="ignored")
    store.put_article(_article(2), story_id="s1")
    story = store.get_story("s1")
    assert story is not None and not story.brief_fresh


def test_store_move_story_merges(store: Store) -> None:
    store.touch_story("old", headline="Old")
    store.put_article(_article(1), story_id="old")
    store.touch_story("new", headline="New")
    store.put_article(_article(2), story_id="new")
    store.move_story("new", "old")
    assert store.get_story("new") is None
    assert [a.id for a in store.story_articles("old")] == ["art0001", "art0002"]


def test_store_concurrent_writers_lose_nothing(store: Store) -> None:
    store.touch_story("s", headline="h")

    def write(worker: int) -> None:
        for n in range(15):
            store.put_article(_article(worker * 100 + n), story_id="s")
            store.get_story("s")

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.counts()["articles"] == 60
    assert len(list(store.iter_articles())) == 60


@given(
    title=st.text(min_size=1, max_size=40),
    text=st.text(min_size=1, max_size=300),
    outlet=st.text(min_size=1, max_size=20),
)
def test_store_round_trip_any_text(
    tmp_path_factory: pytest.TempPathFactory, title: str, text: str, outlet: str
) -> None:
    text = text.replace("\x00", "")
    title = title.replace("\x00", "")
    outlet = outlet.replace("\x00", "")
    store = open_store(tmp_path_factory.mktemp("rt") / "rt.db")
    try:
        article = Article(id="x", source="s", outlet=outlet, title=title, text=text, raw_ref="r")
        store.touch_story("s", headline=title)
        store.put_article(article, story_id="s")
        assert store.get_article("x") == article
    finally:
        store.close()


def test_store_migration_0002_backfills_story_counts(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsprism.store import migrations

    dialect = "postgres" if store_url.startswith("postgresql://") else "sqlite"
    with monkeypatch.context() as patch:
        patch.setitem(migrations.MIGRATIONS, dialect, migrations.MIGRATIONS[dialect][:1])
        old = open_store(store_url)
        assert old.applied_migrations() == ["0001_initial"]
        with old.atomic():
            old._execute(  # type: ignore[attr-defined]
                "INSERT INTO stories (id, headline, version, created_at, updated_at) "
                "VALUES ('s1', 'Ferry', 1, 't', 't')"
            )
            for n, published in ((1, "2031-03-05T00:00:00"), (2, "2031-03-09T00:00:00")):
                old._execute(  # type: ignore[attr-defined]
                    "INSERT INTO articles (id, story_id, source, outlet, title, text, published, "
                    "removed, raw_ref, ingested_at) VALUES (?, 's1', 's', 'o', 't', 'x', ?, '[]', "
                    "'r', '2040-01-01')",
                    (f"a{n}", published),
                )
        old.close()
    new = open_store(store_url)
    try:
        assert new.applied_migrations()[:2] == ["0001_initial", "0002_story_aggregates"]
        story = new.get_story("s1")
        assert story is not None
        assert story.article_count == 2
        assert (story.first_published, story.last_published) == (
            "2031-03-05T00:00:00",
            "2031-03-09T00:00:00",
        )
    finally:
        new.close()


# --------------------------------------------------------------------------- hostile bytes

_PAGE = (
    "<html><head><title>%s</title></head><body><article><h1>Ferry resumes</h1><p>%s</p>"
    "</article></body></html>"
)
_BODY = "The lagoon ferry resumed service on Monday after the storm, the harbour office said. "


def _nul_inputs() -> dict[str, bytes]:
    """Inputs with NUL (raw, escaped or as a character reference) before and after 8 KB."""
    long = _BODY * 120  # about 10 KB: a NUL past the first 8 KB
    record = {"id": "r1", "text": long, "title": "Ferry"}
    return {
        "nul-after-8k.txt": long.encode() + b"\x00 tail",
        "nul-after-8k.html": (_PAGE % ("Ferry", long)).encode() + b"\x00<p>x</p>",
        "nul-first-byte.txt": b"\x00" + long.encode(),
        "utf16-nul.txt": ("\ufeff" + long + "\x00 end").encode("utf-16-le"),
        "text-escape.jsonl": json.dumps({**record, "text": long + "\u0000 end"}).encode(),
        "title-escape.jsonl": json.dumps({**record, "title": "a\u0000b"}).encode(),
        "outlet-escape.jsonl": json.dumps({**record, "outlet": "Gazette\u0000"}).encode(),
        "story-escape.jsonl": json.dumps({**record, "story": "s\u0000"}).encode(),
        "id-escape.jsonl": json.dumps({**record, "id": "r\u0000"}).encode(),
        "charref.html": (_PAGE % ("Fe&#0;rry", long + "&#0; end")).encode(),
        "binary.bin.txt": bytes(range(256)) * 64,  # rejected: its raw bytes are kept with it
    }


def test_store_nul_bytes_are_stored_or_refused_never_a_crash(store_url: str) -> None:
    # Issue 15: PostgreSQL crashed on a NUL past the first 8 KB (text columns cannot hold NUL).
    # Every such input through the service: an article without NUL, or a rejection naming it.
    from newsprism.service import Service

    service = Service(open_store(store_url))
    outcomes: dict[str, str] = {}
    for name, data in _nul_inputs().items():
        report = service.ingest_bytes(f"upload:{name}", data, filename=name)
        assert len(report.added) + len(report.duplicates) + len(report.rejected) >= 1, name
        for rejection in report.rejected:
            assert name in rejection.source or "r1" in rejection.source, rejection
            assert "\x00" not in rejection.reason + rejection.source
        outcomes[name] = "stored" if report.added or report.duplicates else "refused"
    for article_id in {a["id"] for a in _stored_rows(service.store)}:
        article = service.store.get_article(article_id)
        assert article is not None
        fields = [article.text, article.title, article.outlet, article.source, article.story or ""]
        assert not any("\x00" in field for field in fields), article_id
    # NUL in text (raw, escaped, UTF-16) is refused; a character reference is only text.
    assert outcomes["nul-after-8k.txt"] == outcomes["text-escape.jsonl"] == "refused"
    assert outcomes["nul-after-8k.html"] == outcomes["utf16-nul.txt"] == "refused"
    assert outcomes["charref.html"] == "stored"
    counts = service.store.counts()
    service.store.close()
    assert counts["articles"] >= 1


def _stored_rows(store: Store) -> list[dict[str, str]]:
    page = store.list_stories(limit=100)
    return [
        {"id": article.id} for story in page.stories for article in store.story_articles(story.id)
    ]


def test_store_same_article_given_another_story_is_a_rejection(store_url: str) -> None:
    # The ingest side of "a story whose only article repeats another story's vanishes": the
    # repeat stays a duplicate (its source recorded) and is rejected naming both stories.
    from newsprism.service import Service

    service = Service(open_store(store_url))
    records = [
        {"id": "a", "text": _BODY, "story": "first"},
        {"id": "b", "text": _BODY, "story": "only-copy"},
        {"id": "c", "text": _BODY + " Again.", "story": "first"},
        {"id": "d", "text": _BODY, "story": "first"},
    ]
    report = service.ingest_records(records, source="api")
    assert [entry["source"] for entry in report.added] == ["a", "c"]
    assert [entry["source"] for entry in report.duplicates] == ["b", "d"]
    (rejection,) = report.rejected
    assert rejection.source == "b" and rejection.code == "E103"
    assert "same text) as a, which is in story 'first'" in rejection.reason
    assert "story 'only-copy' has no other article" in rejection.reason
    assert service.store.get_story("only-copy") is None
    service.store.close()
