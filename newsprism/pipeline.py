"""Chain the stages: inputs -> articles -> stories -> briefs. Knows nothing of HTTP or SQL.

Stages declare what they read and write (`STAGES`); `check_stage_order` verifies that every
stage's inputs are produced by an earlier one, and a test runs it on the configured order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from newsprism.errors import InputError, NoArticles
from newsprism.model import (
    AnnotatedArticle,
    Article,
    Brief,
    RawDocument,
    Rejection,
    Story,
    StoryBrief,
)

ProgressCallback = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage:
    """A pipeline stage and the data it requires and assigns (spaCy's requires/assigns idea)."""

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


STAGES: tuple[Stage, ...] = (
    Stage(name="ingest", requires=("inputs",), assigns=("raw_documents", "rejections")),
    Stage(name="clean", requires=("raw_documents",), assigns=("articles",)),
    Stage(name="dedup", requires=("articles",), assigns=("origins",)),
    Stage(name="stories", requires=("articles",), assigns=("stories",)),
    Stage(name="annotate", requires=("articles",), assigns=("annotated",)),
    Stage(
        name="compare",
        requires=("annotated", "origins", "stories"),
        assigns=("facts", "disagreements", "quotes", "entities", "timeline", "coverage"),
    ),
    Stage(name="brief", requires=("facts", "annotated"), assigns=("briefs",)),
)


def check_stage_order(stages: Sequence[Stage] = STAGES) -> None:
    """Raise ValueError naming the first stage whose inputs no earlier stage produced."""
    available = {"inputs"}
    for stage in stages:
        missing = [need for need in stage.requires if need not in available]
        if missing:
            raise ValueError(
                f"stage {stage.name!r} requires {missing} but no earlier stage assigns them; "
                "move it after the stage that does"
            )
        available.update(stage.assigns)


@dataclass(frozen=True, slots=True, kw_only=True)
class BriefSettings:
    """Options of `run_pipeline`, built once at the edge (CLI, API)."""

    summary_words: int | None = None


def load_articles(
    inputs: Sequence[str], *, fetcher: object | None = None
) -> tuple[tuple[Article, ...], tuple[Rejection, ...]]:
    """Read and clean *inputs*; every input ends as an article or a recorded rejection."""
    from newsprism.ingest import read_inputs

    result = read_inputs(inputs, fetcher=fetcher)  # type: ignore[arg-type]
    articles, rejections = clean_documents(result.documents)
    return articles, (*result.rejections, *rejections)


def clean_documents(
    documents: Sequence[RawDocument],
) -> tuple[tuple[Article, ...], tuple[Rejection, ...]]:
    """Clean each document; one that leaves no article becomes a rejection with its reason."""
    from newsprism.clean import clean_document

    articles: list[Article] = []
    rejections: list[Rejection] = []
    for document in documents:
        try:
            articles.append(clean_document(document))
        except InputError as error:
            rejections.append(Rejection(source=document.source, reason=str(error), code=error.code))
    return tuple(articles), tuple(rejections)


def article_order_key(article: Article) -> tuple[datetime, str, str]:
    """Articles are briefed in publication order, then by source: never by input order."""
    return (article.published or datetime.min, article.source, article.id)


def unique_articles(articles: Sequence[Article]) -> list[Article]:
    """One copy of each article id (the same text given twice is one article), in brief order."""
    seen: dict[str, Article] = {}
    for article in sorted(articles, key=article_order_key):
        seen.setdefault(article.id, article)
    return list(seen.values())


def group_stories(articles: Sequence[Article]) -> tuple[Story, ...]:
    """Stories as given by records' `story` field, the rest by batch clustering."""
    from newsprism.stories import cluster_articles

    return cluster_articles(articles)


def brief_stories(
    articles: Sequence[Article],
    stories: Sequence[Story],
    *,
    settings: BriefSettings | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[StoryBrief, ...]:
    """Annotate, compare and compose a brief for each story."""
    from newsprism.annotate.annotator import annotate_articles
    from newsprism.annotate.embed import get_embedder
    from newsprism.brief.compose import compose_story
    from newsprism.dedup import find_origins

    settings = settings or BriefSettings()
    embedder = get_embedder()
    by_id = {a.id: a for a in articles}
    briefs: list[StoryBrief] = []
    for number, story in enumerate(stories):
        members = sorted((by_id[i] for i in story.article_ids), key=article_order_key)
        annotated: list[AnnotatedArticle] = annotate_articles(members, embedder=embedder)
        origins = find_origins(members)
        briefs.append(
            compose_story(
                story.id,
                annotated,
                origins,
                embedder=embedder,
                summary_words=settings.summary_words,
            )
        )
        if progress:
            progress("brief", number + 1, len(stories))
    return tuple(briefs)


def brief_articles(
    articles: Sequence[Article], *, story_id: str, settings: BriefSettings | None = None
) -> StoryBrief:
    """The brief of one known story (used by the store and the API)."""
    members = unique_articles(articles)
    story = Story(id=story_id, article_ids=tuple(a.id for a in members))
    return brief_stories(members, [story], settings=settings)[0]


def run_pipeline(
    inputs: Sequence[str],
    *,
    settings: BriefSettings | None = None,
    progress: ProgressCallback | None = None,
    fetcher: object | None = None,
) -> Brief:
    """Everything `newsprism brief` does: inputs in, a Brief out.

    Raises:
        NoArticles: when no input gave an article (the rejections say why).
    """
    settings = settings or BriefSettings()
    from newsprism.annotate.embed import preload_embedder

    preload_embedder()  # the ONNX session builds on another core while inputs are read
    loaded, rejections = load_articles(inputs, fetcher=fetcher)
    articles = unique_articles(loaded)
    if not articles:
        reasons = "; ".join(r.reason for r in rejections) or "no input files were found"
        raise NoArticles(f"no article could be read from {list(inputs)}: {reasons}")
    if progress:
        progress("load", len(articles), len(articles))
    stories = group_stories(articles)
    briefs = brief_stories(articles, stories, settings=settings, progress=progress)
    return Brief(articles=tuple(articles), stories=briefs, rejections=rejections)
