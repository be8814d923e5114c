"""Online story clustering: articles arrive one at a time and each gets a stable story id.

Each story keeps the sums of its members' vectors, so an article's average-link similarity to
it is one sparse dot product. Candidate stories come from an inverted index over each story's
heaviest terms, never from a scan of all stories, so the cost per article stays flat as the
stream grows. Stories idle longer than the retirement window leave the index and memory.
When an article is close to two stories that are close to each other, they merge: the older
id is kept, and `merged_into` records where the younger one went.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from newsprism import ids
from newsprism.model import Article, Story
from newsprism.stories.config import ClusterConfig
from newsprism.stories.features import DocumentFrequencies, cosine, extract_features
from newsprism.stories.heaviest import heaviest, index_terms
from newsprism.stories.similarity import (
    ArticleVector,
    add_into,
    embed_all,
    embedding_text,
    mean_similarity,
    time_factor,
    vectorise,
)

if TYPE_CHECKING:
    from newsprism.annotate.embed import Embedder

log = logging.getLogger(__name__)
_HEADLINE_POOL = 8  # members kept per story to pick the most central title from
_RETIRE_EVERY = 256  # arrivals between retirement sweeps


@dataclass(slots=True)
class _Story:
    id: str
    seq: int  # arrival number of the first member: smaller is older
    words: dict[str, float] = field(default_factory=dict)
    entities: dict[str, float] = field(default_factory=dict)
    embedding: Any = None
    size: int = 0
    members: list[str] = field(default_factory=list)
    first: datetime | None = None
    last: datetime | None = None
    last_seq: int = 0
    index_terms: list[str] = field(default_factory=list)
    pool: list[tuple[str, dict[str, float]]] = field(default_factory=list)  # (title, words)


class OnlineClusterer:
    """Assigns each arriving article to the best existing story or starts a new one.

    Args:
        config: clustering options (`ClusterConfig()` when None).

    Use `add(article)` per article (or `add_many` to batch embeddings); `stories()` lists the
    active stories; `state()` / `from_state()` save and restore everything needed to go on.
    """

    def __init__(
        self, config: ClusterConfig | None = None, *, embedder: Embedder | None = None
    ) -> None:
        self.config = config or ClusterConfig()
        self.embedder = embedder
        self.word_frequencies = DocumentFrequencies()
        self.entity_frequencies = DocumentFrequencies()
        self.merged_into: dict[str, str] = {}
        self._stories: dict[str, _Story] = {}
        self._index: dict[str, set[str]] = {}
        self._seq = 0
        self._clock: datetime | None = None
        self._assigned: set[str] = set()

    # ------------------------------------------------------------------ public

    def add(self, article: Article) -> str:
        """Assign *article* and return its story id (a story given in `article.story` wins)."""
        return self.add_many([article])[0]

    def add_many(self, articles: list[Article]) -> list[str]:
        """`add` for several articles in order, embedding them in one batch when enabled."""
        features = [extract_features(a) for a in articles]
        embeddings: Any = [None] * len(articles)
        if self.config.use_embeddings and articles:
            embeddings = embed_all(
                self.embedder,
                [embedding_text(a, f) for a, f in zip(articles, features, strict=True)],
            )
        ids = []
        for article, feature, embedding in zip(articles, features, embeddings, strict=True):
            self.word_frequencies.add(feature.words)
            self.entity_frequencies.add(feature.entities)
            vector = vectorise(feature, self.word_frequencies, self.entity_frequencies, embedding)
            ids.append(self._assign(vector, article.story))
        return ids

    def resolve(self, story_id: str) -> str:
        """The id a story now lives under (itself unless it was merged into an older one)."""
        while story_id in self.merged_into:
            story_id = self.merged_into[story_id]
        return story_id

    def stories(self) -> tuple[Story, ...]:
        """The active (not retired) stories, oldest first, each headed by its most central title."""
        return tuple(
            Story(id=s.id, article_ids=tuple(s.members), headline=_headline(s))
            for s in sorted(self._stories.values(), key=lambda s: s.seq)
        )

    # ------------------------------------------------------------------ assignment

    def _assign(self, vector: ArticleVector, given: str | None) -> str:
        self._seq += 1
        if vector.published is not None and (self._clock is None or vector.published > self._clock):
            self._clock = vector.published
        if given is not None:
            story = self._stories.get(given) or self._new_story(given)
        else:
            scored = self._score_candidates(vector)
            threshold = self.config.join_threshold
            if scored and scored[0][0] >= threshold:
                story = self._stories[scored[0][1]]
                if len(scored) > 1 and scored[1][0] >= threshold:
                    story = self._maybe_merge(story, self._stories[scored[1][1]])
            else:
                story = self._new_story(ids.story_id(vector.article_id))
        self._join(story, vector)
        if self._seq % _RETIRE_EVERY == 0:
            self._retire()
        return story.id

    def _score_candidates(self, vector: ArticleVector) -> list[tuple[float, str]]:
        hits: Counter[str] = Counter()
        for term in index_terms(vector.words, vector.entities, self.config.index_terms):
            for story_id in self._index.get(term, ()):
                hits[story_id] += 1
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[: self.config.candidates]
        scored = []
        for story_id, _ in ranked:
            s = self._stories[story_id]
            similarity = mean_similarity(
                vector, s.words, s.entities, s.embedding, s.size, self.config
            ) * time_factor(vector.published, s.first, s.last, self.config)
            scored.append((similarity, story_id))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return scored

    def _maybe_merge(self, best: _Story, second: _Story) -> _Story:
        # Average linkage between the two stories: sum·sum / (n_a * n_b).
        lexical = (1 - self.config.entity_weight) * cosine(best.words, second.words) + (
            self.config.entity_weight * cosine(best.entities, second.entities)
        )
        if lexical / (best.size * second.size) < self.config.join_threshold:
            return best
        keep, drop = (best, second) if best.seq < second.seq else (second, best)
        add_into(keep.words, drop.words)
        add_into(keep.entities, drop.entities)
        if keep.embedding is not None and drop.embedding is not None:
            keep.embedding = keep.embedding + drop.embedding
        keep.size += drop.size
        keep.members.extend(drop.members)
        keep.pool = (keep.pool + drop.pool)[:_HEADLINE_POOL]
        keep.first = _earliest(keep.first, drop.first)
        keep.last = _latest(keep.last, drop.last)
        keep.last_seq = max(keep.last_seq, drop.last_seq)
        self._unindex(drop)
        del self._stories[drop.id]
        self.merged_into[drop.id] = keep.id
        log.debug("merged story %s into %s", drop.id, keep.id)
        return keep

    def _new_story(self, story_id: str) -> _Story:
        story = _Story(id=story_id, seq=self._seq)
        self._stories[story_id] = story
        return story

    def _join(self, story: _Story, vector: ArticleVector) -> None:
        add_into(story.words, vector.words)
        add_into(story.entities, vector.entities)
        if vector.embedding is not None:
            emb = np.asarray(vector.embedding, dtype=np.float32)
            story.embedding = emb.copy() if story.embedding is None else story.embedding + emb
        story.size += 1
        story.members.append(vector.article_id)
        if len(story.pool) < _HEADLINE_POOL:
            story.pool.append((vector.title, vector.words))
        story.first = _earliest(story.first, vector.published)
        story.last = _latest(story.last, vector.published)
        story.last_seq = self._seq
        limit = self.config.story_terms
        if len(story.words) > 2 * limit:
            story.words = {t: story.words[t] for t in heaviest(story.words, limit)}
        if len(story.entities) > 2 * limit:
            story.entities = {t: story.entities[t] for t in heaviest(story.entities, limit)}
        self._reindex(story)

    # ------------------------------------------------------------------ index and retirement

    def _reindex(self, story: _Story) -> None:
        terms = index_terms(story.words, story.entities, self.config.index_terms)
        if terms == story.index_terms:
            return
        self._unindex(story)
        story.index_terms = terms
        for term in terms:
            self._index.setdefault(term, set()).add(story.id)

    def _unindex(self, story: _Story) -> None:
        for term in story.index_terms:
            postings = self._index.get(term)
            if postings is not None:
                postings.discard(story.id)
                if not postings:
                    del self._index[term]
        story.index_terms = []

    def _retire(self) -> None:
        """Drop stories idle past the window; bound the vocabulary."""
        expired = []
        for story in self._stories.values():
            idle_articles = self._seq - story.last_seq
            idle_days = (
                (self._clock - story.last).total_seconds() / 86400.0
                if self._clock is not None and story.last is not None
                else 0.0
            )
            if idle_articles > self.config.retire_articles or idle_days > self.config.retire_days:
                expired.append(story)
        for story in expired:
            self._unindex(story)
            del self._stories[story.id]
        if expired:
            gone = {s.id for s in expired}
            self.merged_into = {k: v for k, v in self.merged_into.items() if v not in gone}
        self.word_frequencies.prune(self.config.max_vocabulary)
        self.entity_frequencies.prune(self.config.max_vocabulary)

    # ------------------------------------------------------------------ persistence

    def state(self) -> dict[str, Any]:
        """Everything needed to go on assigning, as JSON-ready data."""
        return {
            "version": 1,
            "config": self.config.as_dict(),
            "words": self.word_frequencies.as_dict(),
            "entities": self.entity_frequencies.as_dict(),
            "merged_into": dict(self.merged_into),
            "seq": self._seq,
            "clock": self._clock.isoformat() if self._clock else None,
            "stories": [_story_state(s) for s in self._stories.values()],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> OnlineClusterer:
        """A clusterer that continues exactly where `state()` was taken."""
        clusterer = cls(ClusterConfig.from_dict(state["config"]))
        clusterer.word_frequencies = DocumentFrequencies.from_dict(state["words"])
        clusterer.entity_frequencies = DocumentFrequencies.from_dict(state["entities"])
        clusterer.merged_into = dict(state["merged_into"])
        clusterer._seq = int(state["seq"])
        clusterer._clock = datetime.fromisoformat(state["clock"]) if state["clock"] else None
        for data in state["stories"]:
            story = _story_from_state(data)
            clusterer._stories[story.id] = story
            terms = story.index_terms
            story.index_terms = []
            for term in terms:
                clusterer._index.setdefault(term, set()).add(story.id)
            story.index_terms = terms
        return clusterer


def _headline(story: _Story) -> str:
    best_title, best_score = "", -1.0
    for title, words in story.pool:
        score = cosine(words, story.words)
        if score > best_score + 1e-12:
            best_title, best_score = title, score
    return best_title


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return min(a, b)


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


def _story_state(story: _Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "seq": story.seq,
        "words": story.words,
        "entities": story.entities,
        "embedding": None if story.embedding is None else story.embedding.tolist(),
        "size": story.size,
        "members": story.members,
        "first": story.first.isoformat() if story.first else None,
        "last": story.last.isoformat() if story.last else None,
        "last_seq": story.last_seq,
        "index_terms": story.index_terms,
        "pool": [[title, words] for title, words in story.pool],
    }


def _story_from_state(data: dict[str, Any]) -> _Story:
    embedding = data["embedding"]
    return _Story(
        id=data["id"],
        seq=int(data["seq"]),
        words=dict(data["words"]),
        entities=dict(data["entities"]),
        embedding=None if embedding is None else np.asarray(embedding, dtype=np.float32),
        size=int(data["size"]),
        members=list(data["members"]),
        first=datetime.fromisoformat(data["first"]) if data["first"] else None,
        last=datetime.fromisoformat(data["last"]) if data["last"] else None,
        last_seq=int(data["last_seq"]),
        index_terms=list(data["index_terms"]),
        pool=[(title, dict(words)) for title, words in data["pool"]],
    )
