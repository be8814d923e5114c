"""Online story clustering: articles arrive one at a time and each gets a stable story id.

Each story keeps the sums of its members' vectors, so an article's average-link similarity to
it is one sparse dot product. Candidate stories come from an inverted index over each story's
heaviest terms, never from a scan of all stories, so the cost per article stays flat as the
stream grows. Stories idle longer than the retirement window leave the index and memory.
When an article is close to two stories that are close to each other, they merge: the older
id is kept, and `merged_into` records where the younger one went. A story of reports is
re-linked from its members' own vectors each time one joins (up to 64 members), and a part the
linkage sets apart splits off under its own first member's id: the centroid alone cannot tell
two events of one kind apart. `take_moves` lists the merges and splits for a store to apply.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from newsprism import ids
from newsprism.model import Article, Story
from newsprism.stories.config import ClusterConfig
from newsprism.stories.features import (
    ArticleFeatures,
    DocumentFrequencies,
    cosine,
    extract_features,
)
from newsprism.stories.heaviest import heaviest, index_terms
from newsprism.stories.linkage import ClusterRep, ClusterSpans, link_clusters, score_clusters
from newsprism.stories.moves import Merge, Move, Split
from newsprism.stories.similarity import (
    ArticleVector,
    add_into,
    centroid_similarity,
    embed_all,
    embedding_text,
    length_scale,
    norm,
    time_factor,
    vectorise,
)

if TYPE_CHECKING:
    from newsprism.annotate.embed import Embedder

log = logging.getLogger(__name__)
_HEADLINE_POOL = 8  # members kept per story to pick the most central title from
_RETIRE_EVERY = 256  # arrivals between retirement sweeps
_EPOCH = datetime(1970, 1, 1)
# 2: articles waiting for a decision; 3: centroid matching (words_seen); 4: members' vectors
# kept for re-clustering (held)
STATE_VERSION = 4
_MICROSECOND = timedelta(microseconds=1)
# Re-clustering: a story of reports is re-linked from its members each time one joins, from
# its third member until it has _RECLUSTER_MEMBERS (the linkage compares all their pairs; a
# story past that size has shown what it is about, and the cost per article stays bounded).
_RECLUSTER_FROM = 3
_RECLUSTER_MEMBERS = 64


@dataclass(frozen=True, slots=True)
class _Member:
    """A story member as re-clustering needs it: its vector as it joined, its arrival number."""

    vector: ArticleVector
    seq: int


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
    words_seen: int = 0  # distinct words of its members, summed (their mean text length)
    norms: tuple[float, float, float] = (0.0, 0.0, 0.0)  # lengths of the word/entity/embedding sums
    # The members' own vectors and arrival numbers, kept while the story is small enough to
    # re-cluster (None after): what a split needs, which the summed vectors cannot give.
    held: list[_Member] | None = field(default_factory=list)
    named: bool = False  # formed by records that name it: never split
    checked: int = 0  # its size when it was last re-clustered


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
        self._pending: list[str] = []  # singleton stories of articles waiting for a decision
        self._move_log: list[Move] = []  # since `take_moves`

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
            vector = self._vectorise(feature, embedding)
            ids.append(self._assign(vector, article.story))
        return ids

    def take_moves(self) -> list[Move]:
        """The merges and splits since the last call, in order: what a store must apply
        (`merged_into` forgets merges into stories that retired)."""
        moves, self._move_log = self._move_log, []
        return moves

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
            story.named, story.held = True, None
            self._join(story, vector)
        else:
            scored = self._score_candidates(vector)
            bar = self.config.online_threshold * length_scale(len(vector.words), self.config)
            if scored and scored[0][0] >= bar * self.config.confident_join:
                story = self._stories[scored[0][1]]
                self._join(story, vector)
                story = self._recluster(story, vector.article_id)
            else:
                # A weak best match waits: a singleton story (its id is the article's own,
                # so any merge keeps an older id), decided with the next arrivals.
                story = self._new_story(ids.story_id(vector.article_id))
                self._join(story, vector, index=False)
                self._pending.append(story.id)
        if len(self._pending) >= self.config.defer_articles:
            self.decide()
        if self._seq % _RETIRE_EVERY == 0:
            self._retire()
        return self.resolve(story.id)

    def decide(self) -> None:
        """Decide the waiting articles: best-first linkage (as in batch mode) of them with
        each other and with their candidate stories; every merge keeps the older id."""
        waiting = [self._stories[i] for i in self._pending if i in self._stories]
        self._pending = []
        if not waiting:
            return
        group = list(waiting)
        place = {s.id: n for n, s in enumerate(group)}
        pairs: list[tuple[int, int]] = []
        for n, story in enumerate(waiting):
            pairs.extend((m, n) for m in range(n))
            for candidate in self._candidate_ids(story.words, story.entities):
                if candidate not in place:
                    place[candidate] = len(group)
                    group.append(self._stories[candidate])
                pairs.append((n, place[candidate]))
        # Size-weighted (average) merges: one article moves a large story's centroid little.
        labels = link_stories(group, pairs, replace(self.config, linkage="average"))
        members: dict[int, list[_Story]] = {}
        for story, label in zip(group, labels, strict=True):
            members.setdefault(label, []).append(story)
        for stories in members.values():
            keep = min(stories, key=lambda s: s.seq)
            for other in stories:
                if other is not keep:
                    self._absorb(keep, other)
            self._reindex(keep)
        for story in waiting:
            if story.id in self._stories:
                self._reindex(story)

    def _candidate_ids(self, words: dict[str, float], entities: dict[str, float]) -> list[str]:
        """Stories sharing most of these vectors' heaviest terms, at most `candidates`."""
        hits: Counter[str] = Counter()
        for term in index_terms(words, entities, self.config.index_terms):
            for story_id in self._index.get(term, ()):
                hits[story_id] += 1
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[: self.config.candidates]
        return [story_id for story_id, _ in ranked]

    def _score_candidates(self, vector: ArticleVector) -> list[tuple[float, str]]:
        scored = []
        for story_id in self._candidate_ids(vector.words, vector.entities):
            s = self._stories[story_id]
            similarity = centroid_similarity(
                vector, s.words, s.entities, s.norms, s.embedding, self.config
            ) * time_factor(vector.published, s.first, s.last, self.config)
            scored.append((similarity, story_id))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return scored

    def _absorb(self, keep: _Story, drop: _Story) -> None:
        """Merge *drop* into *keep* (the older): `merged_into` records where it went."""
        add_into(keep.words, drop.words)
        add_into(keep.entities, drop.entities)
        if keep.embedding is not None and drop.embedding is not None:
            keep.embedding = keep.embedding + drop.embedding
        keep.size += drop.size
        keep.words_seen += drop.words_seen
        keep.members.extend(drop.members)
        keep.pool = (keep.pool + drop.pool)[:_HEADLINE_POOL]
        keep.first = _earliest(keep.first, drop.first)
        keep.last = _latest(keep.last, drop.last)
        keep.last_seq = max(keep.last_seq, drop.last_seq)
        keep.norms = _norms(keep)
        if keep.held is None or drop.held is None or keep.size > _RECLUSTER_MEMBERS:
            keep.held = None
        else:
            keep.held = keep.held + drop.held
        keep.named = keep.named or drop.named
        self._unindex(drop)
        del self._stories[drop.id]
        self.merged_into[drop.id] = keep.id
        self._move_log.append(Merge(drop.id, keep.id))
        log.debug("merged story %s into %s", drop.id, keep.id)

    def _new_story(self, story_id: str) -> _Story:
        story = _Story(id=story_id, seq=self._seq)
        self._stories[story_id] = story
        return story

    def _join(
        self, story: _Story, vector: ArticleVector, *, seq: int | None = None, index: bool = True
    ) -> None:
        seq = self._seq if seq is None else seq
        add_into(story.words, vector.words)
        add_into(story.entities, vector.entities)
        if vector.embedding is not None:
            emb = np.asarray(vector.embedding, dtype=np.float32)
            story.embedding = emb.copy() if story.embedding is None else story.embedding + emb
        story.size += 1
        story.words_seen += len(vector.words)
        story.members.append(vector.article_id)
        if len(story.pool) < _HEADLINE_POOL:
            story.pool.append((vector.title, vector.words))
        story.first = _earliest(story.first, vector.published)
        story.last = _latest(story.last, vector.published)
        story.last_seq = max(story.last_seq, seq)
        limit = self.config.story_terms
        if len(story.words) > 2 * limit:
            story.words = {t: story.words[t] for t in heaviest(story.words, limit)}
        if len(story.entities) > 2 * limit:
            story.entities = {t: story.entities[t] for t in heaviest(story.entities, limit)}
        story.norms = _norms(story)
        if story.held is not None:
            if story.size > _RECLUSTER_MEMBERS:
                story.held = None
            else:
                story.held.append(_Member(vector, seq))
        if index:
            self._reindex(story)

    # ------------------------------------------------------------------ splits

    def _recluster(self, story: _Story, article_id: str) -> _Story:
        """Re-link *story* from its members, as batch mode would, and split off what parts.

        An article joins the story whose centroid is nearest, which cannot tell two events of
        one kind apart (two earthquakes, two rehab check-ins) once one has a diffuse centroid;
        the linkage over the members themselves can. The part holding the story's first member
        keeps its id; each other part becomes a story named after its own first member, as if
        that member had started it. Returns the story that now holds *article_id*.
        """
        if not self._due(story):
            return story
        story.checked = story.size
        from newsprism.stories.batch import stories_from_graph

        members = sorted(story.held or (), key=lambda m: m.seq)
        count = len(members)
        pairs = np.array([(i, j) for j in range(count) for i in range(j)], dtype=np.int64)
        # Only stories of reports are re-linked, by the linkage of reports (no snippet rule).
        reports = replace(self.config, snippet_words=0)
        groups = stories_from_graph([m.vector for m in members], pairs.reshape(-1, 2), reports)
        parts = _parts(groups, story.members[0])
        if len(parts) == 1:
            return story
        held = {m.vector.article_id: m for m in members}
        self._unindex(story)
        holder = story
        for number, part in enumerate(parts):
            first = held[part[0]]
            if number == 0:
                fresh = _Story(id=story.id, seq=story.seq, checked=len(part))
            else:
                fresh = _Story(id=ids.story_id(part[0]), seq=first.seq, checked=len(part))
                self.merged_into.pop(fresh.id, None)  # a story merged in earlier lives again
                self._move_log.append(Split(story.id, fresh.id, part))
            self._stories[fresh.id] = fresh
            for member in sorted((held[a] for a in part), key=lambda m: m.seq):
                self._join(fresh, member.vector, seq=member.seq, index=False)
            self._reindex(fresh)
            if article_id in part:
                holder = fresh
        return holder

    def _due(self, story: _Story) -> bool:
        """Whether *story* is re-clustered now: it gained a member, holds its members'
        vectors, is not one that records name, and is made of reports, not headlines (a
        headline shares a name or two with its story: too little to part them on)."""
        return (
            not story.named
            and story.held is not None
            and _RECLUSTER_FROM <= story.size > story.checked
            and story.words_seen >= story.size * self.config.short_text_words
        )

    def _vectorise(self, features: ArticleFeatures, embedding: Any) -> ArticleVector:
        return vectorise(features, self.word_frequencies, self.entity_frequencies, embedding)

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
            "version": STATE_VERSION,
            "config": self.config.as_dict(),
            "words": self.word_frequencies.as_dict(),
            "entities": self.entity_frequencies.as_dict(),
            "merged_into": dict(self.merged_into),
            "seq": self._seq,
            "pending": list(self._pending),
            "clock": self._clock.isoformat() if self._clock else None,
            "stories": [_story_state(s) for s in self._stories.values()],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> OnlineClusterer:
        """A clusterer that continues exactly where `state()` was taken.

        Raises:
            ValueError: the state was written by another version of the clusterer.
        """
        if state.get("version") != STATE_VERSION:
            raise ValueError(
                f"clusterer state version {state.get('version')!r}, expected {STATE_VERSION}"
            )
        clusterer = cls(ClusterConfig.from_dict(state["config"]))
        clusterer.word_frequencies = DocumentFrequencies.from_dict(state["words"])
        clusterer.entity_frequencies = DocumentFrequencies.from_dict(state["entities"])
        clusterer.merged_into = dict(state["merged_into"])
        clusterer._seq = int(state["seq"])
        clusterer._pending = [str(p) for p in state["pending"]]
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


def link_stories(
    stories: list[_Story], pairs: list[tuple[int, int]], config: ClusterConfig
) -> list[int]:
    """`linkage.link_clusters` over *stories* (each as its unit-length centroid, so a dot
    product is `centroid_similarity`) and the candidate *pairs* of their indices, at the
    online threshold scaled for short texts: a label per story."""
    vocabulary = sorted(
        {"w:" + t for s in stories for t in s.words}
        | {"e:" + t for s in stories for t in s.entities}
    )
    term_id = {term: number for number, term in enumerate(vocabulary)}
    reps = [_story_rep(story, term_id, config) for story in stories]
    spans = ClusterSpans.of_clusters(reps)
    scratch = np.zeros(max(1, len(vocabulary)))
    found, sims = _pair_scores(reps, pairs, spans, scratch, config)
    scales = [length_scale(s.words_seen // max(1, s.size), config) for s in stories]
    return link_clusters(
        reps,
        spans,
        found,
        sims,
        scratch,
        config,
        threshold=config.online_threshold,
        scales=np.array(scales),
        fixed=frozenset(n for n, story in enumerate(stories) if story.index_terms),
    )


def _story_rep(story: _Story, term_id: dict[str, int], config: ClusterConfig) -> ClusterRep:
    """The story's centroid as a linkage cluster: each part unit length, scaled by its share."""
    lexical = 1.0 - config.embedding_weight if config.use_embeddings else 1.0
    word_scale = math.sqrt((1.0 - config.entity_weight) * lexical)
    entity_scale = math.sqrt(config.entity_weight * lexical)
    word_norm, entity_norm, embedding_norm = story.norms
    items = sorted(
        [(term_id["w:" + t], w * word_scale / word_norm) for t, w in story.words.items()]
        + [(term_id["e:" + t], w * entity_scale / entity_norm) for t, w in story.entities.items()]
    )
    dense = None
    if config.use_embeddings and story.embedding is not None and embedding_norm:
        dense = story.embedding * np.float32(math.sqrt(config.embedding_weight) / embedding_norm)
    return ClusterRep(
        np.array([i for i, _ in items], dtype=np.int64),
        np.array([v for _, v in items], dtype=np.float64),
        dense,
        story.size,
        _micros(story.first),
        _micros(story.last),
    )


def _pair_scores(
    reps: list[ClusterRep],
    pairs: list[tuple[int, int]],
    spans: ClusterSpans,
    scratch: np.ndarray[Any, Any],
    config: ClusterConfig,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The pairs as an (i < j) array and their similarities (time factor included)."""
    by_left: dict[int, list[int]] = {}
    for left, right in pairs:
        by_left.setdefault(left, []).append(right)
    ordered: list[tuple[int, int]] = []
    sims: list[float] = []
    for left, rights in by_left.items():
        where = np.array(rights)
        scores = score_clusters(
            reps[left], [reps[r] for r in rights], where, spans, scratch, config
        )
        ordered.extend((min(left, r), max(left, r)) for r in rights)
        sims.extend(scores.tolist())
    return np.array(ordered, dtype=np.int64).reshape(-1, 2), np.array(sims)


def _parts(groups: Sequence[Story], first: str) -> list[tuple[str, ...]]:
    """The linkage's groups as the parts a story splits into, the part of *first* first; a
    lone member set apart stays with *first* (one outlier is no second event)."""
    parts = [g.article_ids for g in groups if len(g.article_ids) > 1 and first not in g.article_ids]
    kept = [
        a
        for g in groups
        if first in g.article_ids or len(g.article_ids) == 1
        for a in g.article_ids
    ]
    return [tuple(kept), *parts]


def _norms(story: _Story) -> tuple[float, float, float]:
    embedding = 0.0 if story.embedding is None else float(np.linalg.norm(story.embedding))
    return norm(story.words), norm(story.entities), embedding


def _micros(moment: datetime | None) -> int | None:
    return None if moment is None else (moment - _EPOCH) // _MICROSECOND


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
        "words_seen": story.words_seen,
        "index_terms": story.index_terms,
        "pool": [[title, words] for title, words in story.pool],
        "named": story.named,
        "checked": story.checked,
        "held": None if story.held is None else [_member_state(m) for m in story.held],
    }


def _member_state(member: _Member) -> dict[str, Any]:
    vector = member.vector
    return {
        "seq": member.seq,
        "id": vector.article_id,
        "words": vector.words,
        "entities": vector.entities,
        "published": vector.published.isoformat() if vector.published else None,
        "title": vector.title,
        "embedding": None if vector.embedding is None else np.asarray(vector.embedding).tolist(),
    }


def _vector_of(data: Any) -> Any:
    """A stored embedding (a list, or None) as the float32 row it was."""
    return None if data is None else np.asarray(data, dtype=np.float32)


def _member_from_state(data: dict[str, Any]) -> _Member:
    vector = ArticleVector(
        article_id=data["id"],
        words=dict(data["words"]),
        entities=dict(data["entities"]),
        published=datetime.fromisoformat(data["published"]) if data["published"] else None,
        title=data["title"],
        embedding=_vector_of(data["embedding"]),
    )
    return _Member(vector, int(data["seq"]))


def _story_from_state(data: dict[str, Any]) -> _Story:
    story = _Story(
        id=data["id"],
        seq=int(data["seq"]),
        words=dict(data["words"]),
        entities=dict(data["entities"]),
        embedding=_vector_of(data["embedding"]),
        size=int(data["size"]),
        members=list(data["members"]),
        first=datetime.fromisoformat(data["first"]) if data["first"] else None,
        last=datetime.fromisoformat(data["last"]) if data["last"] else None,
        last_seq=int(data["last_seq"]),
        index_terms=list(data["index_terms"]),
        pool=[(title, dict(words)) for title, words in data["pool"]],
        words_seen=int(data["words_seen"]),
        named=bool(data["named"]),
        checked=int(data["checked"]),
        held=None if data["held"] is None else [_member_from_state(m) for m in data["held"]],
    )
    story.norms = _norms(story)
    return story
