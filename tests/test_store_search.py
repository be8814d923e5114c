"""Story search, sorting, filters and facets: the same answers on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from newsprism.data.listing import MARK_END, MARK_START
from newsprism.errors import StoreError
from newsprism.model import Article
from newsprism.store import Store, StoryFilter, open_store
from newsprism.store.query import parse_query, to_fts5, to_tsquery

# Invented stories, each a few articles: (story id, outlet, source, published, title, text).
# fmt: off
ARTICLES = [
    ("s-troops", "Steppe Herald", "/data/in/a1.txt", datetime(2032, 1, 6), "Troops leave",
     "Kazakhstan said the peacekeeping troops would leave Almaty within ten days."),
    ("s-troops", "Caspian Wire", "/data/in/a2.txt", datetime(2032, 1, 7), "Mission ends",
     "President Tokayev thanked the allied troops as the mission ended in Kazakhstan."),
    ("s-troops", "unknown", "/home/reader/Downloads/2032-01-07_notes.txt", None, "Notes",
     "Residents of Almaty described quiet streets after the troops left."),
    ("s-camp", "Harbor Gazette", "/data/in/b1.txt", datetime(2032, 3, 2), "Camp cleared",
     "Police cleared the Occupy camp beside the harbour on Tuesday night."),
    ("s-camp", "Harbor Gazette", "/data/in/b2.txt", datetime(2032, 3, 3), "Camp protest",
     "The Occupy protesters vowed to return to the harbour square."),
    ("s-undated-old", "unknown", "upload:first.txt", None, "Bridge repairs",
     "The council began bridge repairs on the river road."),
    ("s-undated-new", "unknown", "upload:second.txt", None, "Library hours",
     "The library extended its opening hours for the exam season."),
]
# fmt: on


def _article(n: int, story: str, outlet: str, source: str, published: datetime | None,
             title: str, text: str) -> Article:  # fmt: skip
    return Article(
        id=f"a{n:03d}-{story}",
        source=source,
        outlet=outlet,
        title=title,
        text=text,
        published=published,
        url=None,
        raw_ref=f"{n:064x}",
    )


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    for n, (story, *fields) in enumerate(ARTICLES):
        opened.touch_story(story, headline=fields[3])
        opened.put_article(_article(n, story, *fields), story_id=story)
    yield opened
    opened.close()


def _ids(store: Store, **kwargs: object) -> list[str]:
    return [s.id for s in store.list_stories(**kwargs).stories]  # type: ignore[arg-type]


def test_search_prefix_and_boolean_operators(store: Store) -> None:
    assert _ids(store, query="kaz*") == ["s-troops"]
    assert _ids(store, query="Kazakh") == []  # a whole word, not a prefix, without the star
    assert sorted(_ids(store, query="Tokayev OR Occupy")) == ["s-camp", "s-troops"]
    assert _ids(store, query="Tokayev or Occupy") == []  # lower-case "or" is a word
    assert _ids(store, query="troops -Tokayev") == ["s-troops"]  # another article lacks it
    assert _ids(store, query="harbour NOT Occupy") == []
    assert _ids(store, query='"peacekeeping troops"') == ["s-troops"]
    assert _ids(store, query='"troops peacekeeping"') == []
    assert _ids(store, query="Occupy AND harbour") == ["s-camp"]


@pytest.mark.parametrize(
    "junk", ['" OR * NEAR(', "NOT", "OR OR", "*", "-x", "(((", "title:foo^", "'; DROP TABLE"]
)
def test_search_junk_never_fails(store: Store, junk: str) -> None:
    page = store.list_stories(query=junk)
    assert page.total == len(page.stories)  # answered, no error
    assert store.list_stories(query=junk).total <= 1


def test_search_snippet_marks_the_matched_words(store: Store) -> None:
    (story,) = store.list_stories(query="Tokayev").stories
    assert f"{MARK_START}Tokayev{MARK_END}" in story.snippet
    (camp,) = store.list_stories(query="occup*").stories
    assert MARK_START + "Occupy" + MARK_END in camp.snippet
    assert MARK_START not in story.as_dict()["snippet"]  # the API gets plain text


def test_listing_snippet_is_the_lead_without_search(store: Store) -> None:
    story = store.get_story("s-camp")
    assert story is not None
    assert story.snippet.startswith("Police cleared the Occupy camp")
    assert MARK_START not in story.snippet


def test_sort_newest_puts_undated_last_in_ingest_order(store: Store) -> None:
    assert _ids(store) == ["s-camp", "s-troops", "s-undated-new", "s-undated-old"]


def test_sort_by_outlets_and_by_articles(store: Store) -> None:
    # s-troops: 2 named outlets (the notes file is no outlet), 3 articles; s-camp: 1 outlet, 2.
    assert _ids(store, sort="outlets")[:2] == ["s-troops", "s-camp"]
    assert _ids(store, sort="articles")[:2] == ["s-troops", "s-camp"]
    troops = store.get_story("s-troops")
    assert troops is not None
    assert troops.outlets == {"Caspian Wire": 1, "Steppe Herald": 1}
    assert troops.outlet_count == 2
    assert troops.unnamed_sources == ("2032-01-07_notes.txt",)  # a file name, never the path
    with pytest.raises(StoreError, match="unknown story sort 'size'; use one of: newest"):
        store.list_stories(sort="size")


def test_filters_by_date_range_and_outlet(store: Store) -> None:
    assert _ids(store, since="2032-03-01") == ["s-camp"]
    assert _ids(store, since="2032-01-07", until="2032-01-07") == ["s-troops"]
    # An undated article counts at its ingest time (today, before 2032), as `since` always has.
    assert _ids(store, until="2032-01-06") == ["s-troops", "s-undated-new", "s-undated-old"]
    assert _ids(store, since="2032-02-01", until="2032-02-28") == []
    assert _ids(store, outlet="Harbor Gazette") == ["s-camp"]
    assert _ids(store, outlet="Caspian Wire", query="Almaty") == ["s-troops"]
    assert _ids(store, outlet="Caspian Wire", query="Occupy") == []


def test_entities_from_briefs_filter_and_facets(store: Store) -> None:
    def brief(story: str, names: list[tuple[str, str]]) -> dict[str, object]:
        entities = [{"name": n, "type": t, "mentions": 2} for n, t in names]
        return {"stories": [{"id": story, "headline": "", "entities": entities}]}

    store.put_brief("s-troops", 1, brief("s-troops", [("Tokayev", "PERSON"), ("Almaty", "GPE")]))
    store.put_brief("s-camp", 1, brief("s-camp", [("Occupy", "ORG"), ("Almaty", "GPE")]))
    assert sorted(_ids(store, entity="Almaty")) == ["s-camp", "s-troops"]
    assert _ids(store, entity="Tokayev") == ["s-troops"]
    assert store.entity_type("Tokayev") == "PERSON"
    assert store.entity_type("Nobody") is None

    facets = store.story_facets(StoryFilter())
    assert [(f.value, f.count) for f in facets.entities][0] == ("Almaty", 2)
    assert {(f.value, f.count) for f in facets.outlets} == {
        ("Harbor Gazette", 1),  # two articles, one story
        ("Caspian Wire", 1),
        ("Steppe Herald", 1),
    }
    narrowed = store.story_facets(StoryFilter(query="Occupy"))
    assert [f.value for f in narrowed.outlets] == ["Harbor Gazette"]
    assert {f.value for f in narrowed.entities} == {"Occupy", "Almaty"}
    # A new brief replaces the story's entities; a merge drops the merged story's.
    store.put_brief("s-camp", 2, brief("s-camp", [("Harbour Police", "ORG")]))
    assert _ids(store, entity="Occupy") == []
    store.move_story("s-camp", "s-troops")
    assert _ids(store, entity="Harbour Police") == []


def test_migration_0003_indexes_stored_briefs(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsprism.store import migrations

    dialect = "postgres" if store_url.startswith("postgresql://") else "sqlite"
    with monkeypatch.context() as patch:
        patch.setitem(migrations.MIGRATIONS, dialect, migrations.MIGRATIONS[dialect][:2])
        old = open_store(store_url)
        for n, (story, *fields) in enumerate(ARTICLES[:3]):
            old.touch_story(story, headline=fields[3])
            with old.atomic():  # the 0002 schema: no outlet_count column to refresh yet
                old._execute(  # type: ignore[attr-defined]
                    "INSERT INTO articles (id, story_id, source, outlet, title, text, "
                    "removed, raw_ref, ingested_at) VALUES (?, ?, ?, ?, 't', 'x', '[]', 'r', 't')",
                    (f"a{n}", story, fields[1], fields[0]),
                )
                old._execute(  # type: ignore[attr-defined]
                    "UPDATE stories SET article_count = article_count + 1 WHERE id = ?", (story,)
                )
        entities = [{"name": "Tokayev", "type": "PERSON", "mentions": 3}]
        with old.atomic():
            old._execute(  # type: ignore[attr-defined]
                "INSERT INTO briefs (story_id, version, data, computed_at) VALUES (?, 1, ?, 't')",
                ("s-troops", '{"stories": [{"id": "s-troops", "entities": '
                 + str(entities).replace("'", '"') + "}]}"),
            )  # fmt: skip
        old.close()
    new = open_store(store_url)
    try:
        assert "0003_listing" in new.applied_migrations()
        assert _ids(new, entity="Tokayev") == ["s-troops"]
        story = new.get_story("s-troops")
        assert story is not None and story.outlet_count == 2
    finally:
        new.close()


def test_query_rendering_quotes_every_word() -> None:
    query = parse_query('kaz* OR "peace mission" -Russia NEAR(')
    assert to_fts5(query) == '("kaz"*) OR (("peace mission" AND "NEAR") NOT "Russia")'
    assert to_tsquery(query) == "('kaz':*) | (('peace' <-> 'mission') & !'Russia' & 'NEAR')"
    assert parse_query("NOT troops").empty
    assert parse_query("").empty
