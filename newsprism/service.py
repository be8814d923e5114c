"""The library functions behind `newsprism ingest|stories|show|serve` and the HTTP API.

`Service` wraps a `Store` with the work the interfaces share: ingest inputs (raw kept, cleaned,
assigned to a story online, stored idempotently by content hash, rejections kept with their
reason), list stories, and give a story's brief (the JSON contract), computed only when the
story gained articles since its brief was stored.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newsprism.changes_contract import CHANGES_SCHEMA, ChangeDict, ChangesDict
from newsprism.contract import BriefDict, StoredArticleDict
from newsprism.data.clustering import CLUSTERER_SAVE_EVERY
from newsprism.errors import InputError, MalformedInput, StoreError
from newsprism.ids import raw_ref as sha256_hex
from newsprism.model import Article, RawDocument, Rejection
from newsprism.settings import Settings
from newsprism.store import Store, StoryPage, StoryRow

if TYPE_CHECKING:
    from newsprism.annotate.models import Models
    from newsprism.model import AnnotatedArticle
    from newsprism.stories.online import OnlineClusterer

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]  # (done, total)


# Longer than any outlet's name (the longest in common news use are under 60 characters).
MAX_OUTLET_CHARS = 120


class NotFound(StoreError):
    """No story or article with that id is stored."""

    code = "E404"


_REPLAY_BATCH = 64  # articles embedded together when rebuilding the clusterer
# Annotated articles kept between briefs, so a story that gains one article annotates one;
# about 100 KB each with their sentence vectors, so this bounds the cache near 200 MB.
_ANNOTATION_CACHE = 2048
# Briefs of the service parse in its own process: it runs inside the server's compute lane,
# whose memory limit and supervisor are per process (spaCy worker processes would escape both).
_SERVICE_SETTINGS = Settings(n_process=1)


@dataclass(slots=True, kw_only=True)
class IngestReport:
    """What an ingest did: articles added (with their story), duplicates, rejected inputs."""

    added: list[dict[str, str]] = field(default_factory=list)
    duplicates: list[dict[str, str]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "duplicates": self.duplicates,
            "rejected": [
                {"source": r.source, "reason": r.reason, "code": r.code} for r in self.rejected
            ],
            "counts": {
                "added": len(self.added),
                "duplicates": len(self.duplicates),
                "rejected": len(self.rejected),
            },
        }


def load_clusterer(store: Store) -> tuple[OnlineClusterer, int]:
    """The clusterer state stored in *store* and the ingest position it has taken in up to;
    a fresh clusterer and 0 (replay everything) when none is stored, it cannot be read, or it
    was made with other clustering options than today's defaults."""
    from newsprism.stories.config import ClusterConfig
    from newsprism.stories.online import OnlineClusterer

    saved = store.get_clusterer_state()
    if saved is None:
        return OnlineClusterer(), 0
    seq, text = saved
    try:
        clusterer = OnlineClusterer.from_state(json.loads(text))
    except (ValueError, KeyError, TypeError) as error:
        logger.warning("stored clusterer state unreadable (%s): replaying stored articles", error)
        return OnlineClusterer(), 0
    if clusterer.config != ClusterConfig():
        logger.info("clustering options changed since the state was stored: replaying")
        return OnlineClusterer(), 0
    return clusterer, seq


class Service:
    """Ingest into and read from one store. Safe to share between threads."""

    def __init__(
        self, store: Store, *, models: Models | Callable[[], Models] | None = None
    ) -> None:
        self.store = store
        self._models = models
        self._annotations: dict[str, AnnotatedArticle] = {}
        self._clusterer: OnlineClusterer | None = None
        self._clustered: set[str] = set()  # article ids the clusterer has taken in
        self._seen_seq = 0  # the last stored ingest position it has looked at
        self._unsaved = 0  # articles assigned since the clusterer state was last stored
        # One brief computed at a time: it is CPU-bound (models), so running two at once only
        # makes both slower and doubles peak memory.
        self._compute_lock = threading.Lock()

    # ------------------------------------------------------------------ ingest
    def ingest_inputs(
        self, inputs: Sequence[str], *, progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Read *inputs* (files, folders, URLs) and ingest every document found."""
        from newsprism.ingest import read_inputs

        result = read_inputs(inputs)
        return self.ingest_documents(result.documents, result.rejections, progress=progress)

    def ingest_bytes(
        self, source: str, data: bytes, *, filename: str | None = None
    ) -> IngestReport:
        """Ingest one uploaded file (any input format the ingest stage reads)."""
        from newsprism.ingest import read_bytes

        result = read_bytes(source, data, filename=filename)
        rejections = list(result.rejections)
        if rejections and not result.documents:
            # Nothing usable came of these bytes: keep them with the rejection.
            ref = sha256_hex(data)
            self.store.put_raw(ref, data, source=source, media_type="application/octet-stream")
            return self._reject_all(rejections, raw_ref=ref)
        return self.ingest_documents(result.documents, rejections)

    def ingest_records(self, records: Sequence[dict[str, Any]], *, source: str) -> IngestReport:
        """Ingest JSON records (the JSONL record shape of the SPEC), one article each."""
        # ASCII escapes: U+2028 and the like inside strings can never split a JSONL line.
        lines = "\n".join(json.dumps(record, ensure_ascii=True) for record in records)
        return self.ingest_bytes(source, lines.encode("utf-8"), filename=f"{source}.jsonl")

    def _reject_all(self, rejections: Iterable[Rejection], *, raw_ref: str | None) -> IngestReport:
        report = IngestReport()
        with self.store.atomic():
            for rejection in rejections:
                self.store.put_rejection(rejection, raw_ref=raw_ref)
                report.rejected.append(rejection)
        return report

    def ingest_documents(
        self,
        documents: Sequence[RawDocument],
        rejections: Sequence[Rejection] = (),
        *,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Clean and store *documents*; each is committed on its own, so a crash loses none
        that was reported done."""
        from newsprism.clean import clean_document

        report = self._reject_all(rejections, raw_ref=None)
        total = len(documents)
        for done, document in enumerate(documents, start=1):
            raw_ref = sha256_hex(document.data)
            try:
                article = clean_document(document)
            except InputError as error:
                rejection = Rejection.from_error(error)
                with self.store.atomic():
                    self.store.put_raw(
                        raw_ref,
                        document.data,
                        source=document.source,
                        media_type=document.media_type,
                    )
                    self.store.put_rejection(rejection, raw_ref=raw_ref)
                report.rejected.append(rejection)
            else:
                self._store_article(article, document, raw_ref, report)
            if progress:
                progress(done, total)
        return report

    def _store_article(
        self, article: Article, document: RawDocument, raw_ref: str, report: IngestReport
    ) -> None:
        with self.store.atomic():
            self.store.put_raw(
                article.raw_ref or raw_ref,
                document.data,
                source=document.source,
                media_type=document.media_type,
            )
            existing = self.store.article_story(article.id)
            if existing is not None:
                self.store.add_source(article.id, article.source)
                report.duplicates.append(
                    {"id": article.id, "story_id": existing, "source": article.source}
                )
                self._note_story_conflict(article, existing, report)
                return
            try:
                story_id = self._assign_story(article)
                self.store.touch_story(story_id, headline=article.title)
                self.store.put_article(article, story_id=story_id)
                self._save_clusterer(article)
            except BaseException:
                # The transaction rolls back; rebuild clustering from what was committed.
                self._clusterer = None
                raise
        report.added.append({"id": article.id, "story_id": story_id, "source": article.source})

    def _note_story_conflict(self, article: Article, existing: str, report: IngestReport) -> None:
        """Record a rejection when a repeat of a stored article was given another story (the
        article stays in its story, so the given one would otherwise be lost unsaid)."""
        if article.story is None or article.story == existing:
            return
        from newsprism.pipeline import story_conflict

        first = self.store.get_article(article.id)
        formed = {article.story} if self.store.get_story(article.story) else set()
        rejection = story_conflict(article, first.source if first else article.id, existing, formed)
        self.store.put_rejection(rejection, raw_ref=article.raw_ref or None)
        report.rejected.append(rejection)

    def _assign_story(self, article: Article) -> str:
        """The article's story: as given by its record, else by online clustering.

        A merge of two stored stories (the clusterer keeps the older id) moves the younger
        story's articles in the store, in the same transaction, and records it (HTTP 301); a
        split moves the articles that left to their new story, in the same transaction.
        """
        if article.story:  # records that name their story form it as given (SPEC)
            return article.story
        from newsprism.stories.moves import Merge

        clusterer = self._get_clusterer()
        story_id = clusterer.add(article)
        self._clustered.add(article.id)
        # In order, with those of the catch-up: an article that waited for a decision was
        # stored under a story of its own, which a later decision merges; a re-clustered
        # story sends the articles of another event to a story of their own.
        for move in clusterer.take_moves():
            if isinstance(move, Merge):
                self.store.move_story(move.dropped, move.kept)
            else:
                self.store.move_articles(move.article_ids, move.source, move.new_id)
        return story_id

    def _get_clusterer(self) -> OnlineClusterer:
        """The online clusterer, brought up to date with every stored article.

        On first use it is loaded from the state stored with the articles (`_save_clusterer`),
        or, without one, rebuilt by replaying the stored articles in ingest order (story ids
        derive from article ids, so the rebuilt clusterer gives the ids already stored).
        Before each assignment it takes in the articles stored after that state, by another
        process (a CLI ingest, a second server) or before a restart, so a stale clusterer
        never splits a story.
        """
        if self._clusterer is None:
            self._clusterer, self._seen_seq = load_clusterer(self.store)
            self._clustered = set()
            self._unsaved = 0
        while True:
            rows = self.store.articles_after(self._seen_seq, _REPLAY_BATCH)
            if not rows:
                return self._clusterer
            fresh = [a for _, a in rows if not a.story and a.id not in self._clustered]
            if fresh:
                self._clusterer.add_many(fresh)
            self._clustered.update(a.id for a in fresh)
            self._seen_seq = rows[-1][0]

    def _save_clusterer(self, article: Article) -> None:
        """Store the clusterer state every CLUSTERER_SAVE_EVERY assigned articles, in the
        transaction that stores the last of them (so it never counts one rolled back)."""
        if article.story or self._clusterer is None:
            return
        self._unsaved += 1
        if self._unsaved < CLUSTERER_SAVE_EVERY:
            return
        seq = self.store.article_seq(article.id)
        if seq is None:
            return
        # Every article up to *seq* is in the state: the catch-up before this assignment ran
        # under the store's write lock, so nothing earlier was stored after it.
        self.store.put_clusterer_state(json.dumps(self._clusterer.state()), seq=seq)
        self._unsaved = 0

    def models(self) -> Models:
        """The models briefs are made with, loaded on first use (once per service)."""
        with self._compute_lock:
            return self._loaded_models()

    def _loaded_models(self) -> Models:
        # Called with the compute lock held.
        if self._models is None:
            from newsprism.annotate.models import load_models

            self._models = load_models
        if callable(self._models):
            self._models = self._models()
        return self._models

    def brief_records(self, records: Sequence[dict[str, Any]]) -> BriefDict:
        """A one-shot brief of posted JSON records: clustered and briefed, nothing stored."""
        from newsprism.ingest import read_bytes
        from newsprism.pipeline import load_documents, run_from
        from newsprism.render.json import brief_to_dict

        # ASCII escapes: U+2028 and the like inside strings can never split a JSONL line.
        lines = "\n".join(json.dumps(record, ensure_ascii=True) for record in records)
        result = read_bytes("api", lines.encode("utf-8"), filename="brief.jsonl")
        state = load_documents(result.documents, result.rejections, source="the posted records")
        with self._compute_lock:
            brief = run_from(state, models=self._loaded_models(), settings=_SERVICE_SETTINGS)
        return brief_to_dict(brief)

    # ------------------------------------------------------------------ reads
    def list_stories(
        self,
        *,
        query: str | None = None,
        since: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> StoryPage:
        return self.store.list_stories(query=query, since=since, limit=limit, offset=offset)

    def set_outlet(self, article_id: str, outlet: str) -> dict[str, str]:
        """Correct the outlet of a stored article (its story is recounted, its brief redone
        when next read). Raises NotFound for an unknown article, MalformedInput for a name
        that is empty, over `MAX_OUTLET_CHARS` or holds control characters."""
        name = " ".join(outlet.split())
        if not name or len(name) > MAX_OUTLET_CHARS or any(ord(c) < 32 for c in outlet if c != " "):
            raise MalformedInput(
                "outlet",
                f"an outlet is a name of 1 to {MAX_OUTLET_CHARS} characters without control "
                "characters; give the outlet's name as readers know it",
            )
        story_id = self.store.set_outlet(article_id, name)
        if story_id is None:
            raise NotFound(f"no article with id {article_id!r}")
        return {"id": article_id, "outlet": name, "story_id": story_id}

    def get_article(self, article_id: str) -> StoredArticleDict:
        """An article as the contract's article object, plus its story and sources."""
        from newsprism.render.json import article_to_dict

        article = self.store.get_article(article_id)
        if article is None:
            raise NotFound(f"no article with id {article_id!r}; list stories with GET /api/stories")
        return {
            **article_to_dict(article),
            "story_id": self.store.article_story(article_id),
            "sources": self.store.article_sources(article_id),
        }

    def story_brief(self, story_id: str) -> tuple[BriefDict, bool]:
        """The brief of a stored story (contract dict) and whether it came from the store.

        Computed and stored when the story gained articles since its brief was written; one
        computation at a time; callers wanting the same story wait and then read it.
        """
        cached = self._fresh_brief(story_id)
        if cached is not None:
            return cached, True
        with self._compute_lock:
            cached = self._fresh_brief(story_id)
            if cached is not None:
                return cached, True
            story = self.store.get_story(story_id)
            if story is None:
                raise NotFound(f"no story with id {story_id!r}; list stories with GET /api/stories")
            articles = self.store.story_articles(story_id)
            data = self._brief_of_articles(articles, story_id=story_id)
            # Stamped with the version read before the articles: if one arrived meanwhile the
            # brief is stale at once and is recomputed on the next read.
            with self.store.atomic():
                self._record_version(story_id, story.version, data)
                self.store.put_brief(story_id, story.version, data)
            return data, False

    def brief_stories(
        self, story_ids: Sequence[str], *, progress: ProgressCallback | None = None
    ) -> None:
        """Bring the briefs of *story_ids* up to date, as `story_brief` of each would, but
        with the articles of the stale ones annotated together: one parse stream beside one
        embedder, where a story at a time starts and drains both per story (ingest of a day's
        news makes many small stories)."""
        from newsprism.annotate import annotate_articles
        from newsprism.pipeline import unique_articles

        total = len(story_ids)
        pending: list[str] = []
        missing: dict[str, Article] = {}

        def flush(done: int) -> None:
            if missing:
                with self._compute_lock:
                    fresh = annotate_articles(
                        list(missing.values()),
                        models=self._loaded_models(),
                        settings=_SERVICE_SETTINGS,
                    )
                    self._annotations.update((a.id, a) for a in fresh)
            for offset, story_id in enumerate(pending):
                self.story_brief(story_id)
                if progress:
                    progress(done - len(pending) + offset + 1, total)
            pending.clear()
            missing.clear()

        for done, story_id in enumerate(story_ids, start=1):
            if self.fresh_brief_json(story_id) is None:
                for article in unique_articles(self.store.story_articles(story_id)):
                    if article.id not in self._annotations:
                        missing[article.id] = article
            pending.append(story_id)
            # Half the cache: what this group annotates is still cached when its briefs run.
            if len(missing) >= _ANNOTATION_CACHE // 2:
                flush(done)
        flush(total)

    def _record_version(self, story_id: str, story_version: int, data: BriefDict) -> None:
        """Store a version of the story when its new brief *data* changes anything the stored
        one said (see `newsprism.changes`); called in the transaction that stores *data*."""
        from newsprism.changes import diff_briefs, is_empty, moment_text

        stored = self.store.get_brief_json(story_id)
        before: BriefDict | None = json.loads(stored[1]) if stored is not None else None
        change = diff_briefs(before, data, story_id=story_id)
        for removed in change["removed_articles"]:
            removed["now_in"] = self.store.article_story(removed["id"])
        if not is_empty(change):
            self.store.put_story_version(
                story_id, change, at=moment_text(datetime.now(UTC)), story_version=story_version
            )

    def story_changes(
        self,
        story_id: str,
        *,
        since: datetime | None = None,
        refresh: bool = True,
        latest: int | None = None,
    ) -> ChangesDict:
        """The versions of a stored story's brief recorded after *since* (all when None),
        oldest first (only the *latest* ones when given): what each changed.

        With *refresh* the brief is first brought up to date (computed when the story gained
        articles, and recorded as a version when that changed anything), so the answer
        includes the story's latest articles.

        Raises:
            NotFound: no story has this id.
        """
        from newsprism.changes import moment_text

        if refresh:
            self.story_brief(story_id)
        elif self.store.get_story(story_id) is None:
            raise NotFound(f"no story with id {story_id!r}; list stories with GET /api/stories")
        key = moment_text(since) if since is not None else None
        return {
            "schema": CHANGES_SCHEMA,
            "story_id": story_id,
            "since": key,
            "changes": self.store.story_versions(story_id, since=key, latest=latest),
        }

    def search_changes(
        self, query: str, *, stories: int, limit: int
    ) -> list[tuple[StoryRow, ChangeDict]]:
        """The latest *limit* versions of the first *stories* stories a search for *query*
        lists, newest first, each with its story (recorded versions only: nothing computed)."""
        page = self.store.list_stories(query=query, limit=stories)
        rows = {story.id: story for story in page.stories}
        found = self.store.recent_versions(list(rows), limit=limit)
        return [(rows[story_id], change) for story_id, change in found]

    def story_brief_json(self, story_id: str) -> tuple[str, bool]:
        """`story_brief` as JSON text: a stored brief is returned without re-encoding."""
        cached = self.fresh_brief_json(story_id)
        if cached is not None:
            return cached, True
        data, stored = self.story_brief(story_id)
        return json.dumps(data, ensure_ascii=False), stored

    def _brief_of_articles(self, articles: Sequence[Article], *, story_id: str) -> BriefDict:
        """The contract dict for one story made of *articles* (called with the compute lock)."""
        from newsprism.pipeline import brief_articles, unique_articles
        from newsprism.render.json import stories_to_dict

        members = unique_articles(articles)
        story = brief_articles(
            members,
            story_id=story_id,
            models=self._loaded_models(),
            settings=_SERVICE_SETTINGS,
            annotations=self._annotations,
        )
        while len(self._annotations) > _ANNOTATION_CACHE:  # oldest first (dict order)
            del self._annotations[next(iter(self._annotations))]
        return stories_to_dict(members, [story])

    def _fresh_brief(self, story_id: str) -> BriefDict | None:
        text = self.fresh_brief_json(story_id)
        if text is None:
            return None
        data: BriefDict = json.loads(text)  # written by brief_to_dict (put_brief)
        return data

    def fresh_brief_json(self, story_id: str) -> str | None:
        """The stored brief's JSON text when it is up to date, else None."""
        story = self.store.get_story(story_id)
        if story is None:
            raise NotFound(f"no story with id {story_id!r}; list stories with GET /api/stories")
        if not story.brief_fresh:
            return None
        stored = self.store.get_brief_json(story_id)
        if stored is None or stored[0] != story.version:
            return None
        return stored[1]
