"""The composer: the one place the stage sequence is written. Knows nothing of HTTP or SQL.

    corpus stages (once per run)              story stages (per story, mapped by an executor)
    load -> cluster -> annotate       ==>     dedup -> compare -> compose

Every stage is a function declared with `@stage` beside its code (what it requires from the
state, what it assigns, which context values - models, settings - it uses). `run` chains them;
the CLI, the store's service, the API, the evaluations and Dask all call it (or `brief_story`
for one known story), and none re-states the sequence. Heavy models are built at the edge and
passed in as a `Models` value; this module imports no model code.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsprism.annotate.annotator import annotate_articles
from newsprism.brief.compose import compose_brief
from newsprism.compare import compare_story
from newsprism.dedup import story_origins
from newsprism.errors import InputError, MalformedInput, NoArticles
from newsprism.executors import Executor, InProcess
from newsprism.model import (
    AnnotatedArticle,
    Article,
    Brief,
    Origins,
    RawDocument,
    Rejection,
    Story,
    StoryAnalysis,
    StoryBrief,
)
from newsprism.order import brief_order as article_order_key
from newsprism.settings import Settings
from newsprism.stages import check_order, run_stage, stage, stage_info
from newsprism.stories import cluster_stories

if TYPE_CHECKING:
    from newsprism.annotate.models import Models
    from newsprism.fetch import Fetcher

ProgressCallback = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, slots=True, kw_only=True)
class CorpusState:
    """What a run knows after each corpus stage (None: not produced yet)."""

    inputs: tuple[str, ...] | None = None
    articles: tuple[Article, ...] | None = None
    rejections: tuple[Rejection, ...] | None = None
    stories: tuple[Story, ...] | None = None
    annotated: tuple[AnnotatedArticle, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryState:
    """What the story stages know of one story (members in publication order)."""

    story: Story
    members: tuple[AnnotatedArticle, ...]
    origins: Origins | None = None
    analysis: StoryAnalysis | None = None
    brief: StoryBrief | None = None


def unique_articles(articles: Sequence[Article]) -> tuple[Article, ...]:
    """One copy of each article id (the same text given twice is one article), in brief order."""
    seen: dict[str, Article] = {}
    for article in sorted(articles, key=article_order_key):
        seen.setdefault(article.id, article)
    return tuple(seen.values())


def read_order(articles: Sequence[Article]) -> tuple[Article, ...]:
    """`unique_articles` (the same copy of each id kept), in the order the articles were read.

    The cluster stage names each story after its member read first, as the store names a
    story after the article that started it (`stories.batch.named_by_arrival`); the Brief
    lists its articles in brief order again.
    """
    first: dict[str, int] = {}
    for index, article in enumerate(articles):
        first.setdefault(article.id, index)
    return tuple(sorted(unique_articles(articles), key=lambda a: first[a.id]))


def story_conflicts(articles: Sequence[Article]) -> tuple[Rejection, ...]:
    """A rejection for each repeat of an article that was given another story than the copy
    `unique_articles` keeps: an article is in one story only, so that repeat leaves its given
    story; said here, so that a story whose only article it was never vanishes unseen."""
    kept = {article.id: article for article in unique_articles(articles)}
    stories_left = {article.story for article in kept.values()}
    return tuple(
        story_conflict(repeat, kept[repeat.id].source, kept[repeat.id].story, stories_left)
        for repeat in articles
        if repeat is not kept[repeat.id] and repeat.story not in (None, kept[repeat.id].story)
    )


def story_conflict(
    repeat: Article, first_source: str, first_story: str | None, stories_left: Container[str | None]
) -> Rejection:
    """The rejection of *repeat*, given a story other than *first_story* of the same article
    (from *first_source*) that is kept; *stories_left* are the stories that still exist."""
    where = f"story {first_story!r}" if first_story else "the stories found by clustering"
    lost = "" if repeat.story in stories_left else f"; story {repeat.story!r} has no other article"
    problem = MalformedInput(
        repeat.source,
        f"the same article (same text) as {first_source}, which is in {where}; an article is "
        f"in one story only, so it is left out of story {repeat.story!r}{lost}. Give the two "
        "records the same story, or drop one",
    )
    return Rejection.from_error(problem)


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
            rejections.append(Rejection.from_error(error))
    return tuple(articles), tuple(rejections)


@stage(
    "load",
    scope="corpus",
    requires=("inputs",),
    assigns=("articles", "rejections"),
    uses=("fetcher",),
)
def load_articles(
    inputs: Sequence[str], *, fetcher: Fetcher | None = None
) -> tuple[tuple[Article, ...], tuple[Rejection, ...]]:
    """Read and clean *inputs*: every input ends as an article or a recorded rejection.

    Raises:
        NoArticles: no input gave an article (it carries the rejections that say why).
    """
    from newsprism.ingest import read_inputs

    result = read_inputs(inputs, fetcher=fetcher)
    articles, rejections = clean_documents(result.documents)
    return _at_least_one(articles, (*result.rejections, *rejections), f"{list(inputs)}")


def load_documents(
    documents: Sequence[RawDocument], rejections: Sequence[Rejection] = (), *, source: str
) -> CorpusState:
    """The state after loading, for documents already read (an upload, posted records)."""
    articles, failed = clean_documents(documents)
    loaded, all_rejections = _at_least_one(articles, (*rejections, *failed), source)
    return CorpusState(articles=loaded, rejections=all_rejections)


def _at_least_one(
    articles: Sequence[Article], rejections: Sequence[Rejection], where: str
) -> tuple[tuple[Article, ...], tuple[Rejection, ...]]:
    unique = read_order(articles)
    rejections = (*rejections, *story_conflicts(articles))
    if not unique:
        reasons = "; ".join(f"{r.source}: {r.reason}" for r in rejections) or "nothing was found"
        raise NoArticles(f"no article could be read from {where}: {reasons}", rejections)
    return unique, tuple(rejections)


CORPUS_STAGES: tuple[Callable[..., Any], ...] = (load_articles, cluster_stories, annotate_articles)
STORY_STAGES: tuple[Callable[..., Any], ...] = (story_origins, compare_story, compose_brief)


def check_pipeline(
    corpus: Sequence[Callable[..., Any]] = CORPUS_STAGES,
    story: Sequence[Callable[..., Any]] = STORY_STAGES,
) -> None:
    """Raise ValueError when a stage of the live sequence would run before its inputs exist."""
    check_order(corpus, available={"inputs"})
    produced = {name for function in corpus for name in stage_info(function).assigns}
    for needed in ("stories", "annotated"):  # what the story states are built from
        if needed not in produced:
            raise ValueError(f"no corpus stage assigns {needed!r}, which the story stages need")
    check_order(story, available={"story", "members"})


def stages_between(
    start: str | None = None, until: str | None = None
) -> tuple[Callable[..., Any], ...]:
    """The corpus stages from *start* to *until* (names, both included)."""
    names = [stage_info(function).name for function in CORPUS_STAGES]
    first = names.index(start) if start else 0
    last = names.index(until) if until else len(names) - 1
    return CORPUS_STAGES[first : last + 1]


class _Context(dict[str, Any]):
    """Stage context whose "models" entry is loaded on first use when given as a loader."""

    def __missing__(self, key: str) -> Any:
        if key == "models":
            self["models"] = self.pop("load_models")()
            return self["models"]
        raise KeyError(key)


def _context(models: Models | Callable[[], Models], **values: Any) -> _Context:
    context = _Context(values)
    if callable(models):
        context["load_models"] = models
    else:
        context["models"] = models
    return context


def run_corpus(
    state: CorpusState,
    *,
    models: Models | Callable[[], Models],
    settings: Settings | None = None,
    stages: Sequence[Callable[..., Any]] = CORPUS_STAGES,
    fetcher: Fetcher | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[CorpusState, Models | Callable[[], Models]]:
    """Run corpus *stages* (a slice of `CORPUS_STAGES`) on *state*; return the new state and
    the models (loaded, if a stage needed them)."""
    context = _context(models, settings=settings or Settings(), fetcher=fetcher)
    for function in stages:
        state = run_stage(function, state, context)
        if progress and state.articles is not None:
            progress(stage_info(function).name, len(state.articles), len(state.articles))
    return state, context.get("models", models)


def story_states(
    stories: Sequence[Story], annotated: Sequence[AnnotatedArticle]
) -> list[StoryState]:
    """One story state per story, its members in publication order."""
    by_id = {a.id: a for a in annotated}
    return [
        StoryState(
            story=story,
            members=tuple(
                sorted(
                    (by_id[i] for i in story.article_ids),
                    key=lambda a: article_order_key(a.article),
                )
            ),
        )
        for story in stories
    ]


def brief_story(state: StoryState, *, models: Models, settings: Settings) -> StoryBrief:
    """Run the story stages on one story and return its brief."""
    context: Mapping[str, Any] = {"models": models, "settings": settings}
    for function in STORY_STAGES:
        state = run_stage(function, state, context)
    assert state.brief is not None  # compose assigns it (check_pipeline)
    return state.brief


def brief_stories(
    states: Sequence[StoryState],
    *,
    models: Models,
    settings: Settings | None = None,
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[StoryBrief, ...]:
    """The story stages over every story, mapped by *executor* (in this process by default)."""
    executor = executor or InProcess()
    done = (lambda count: progress("brief", count, len(states))) if progress else None
    briefs = executor.map_stories(
        brief_story, states, models=models, settings=settings or Settings(), done=done
    )
    return tuple(briefs)


def run(
    inputs: Sequence[str],
    *,
    models: Models | Callable[[], Models],
    settings: Settings | None = None,
    executor: Executor | None = None,
    fetcher: Fetcher | None = None,
    progress: ProgressCallback | None = None,
) -> Brief:
    """Everything `newsprism brief` does: inputs in, a Brief out.

    *models* may be a loader (`load_models`): it is called once, when the first stage that
    uses models is reached, so a run whose inputs all fail never pays for loading them.

    Raises:
        NoArticles: when no input gave an article (the rejections say why).
    """
    start = CorpusState(inputs=tuple(inputs))
    return run_from(
        start,
        models=models,
        settings=settings,
        executor=executor,
        fetcher=fetcher,
        progress=progress,
    )


def run_from(
    state: CorpusState,
    *,
    models: Models | Callable[[], Models],
    settings: Settings | None = None,
    executor: Executor | None = None,
    fetcher: Fetcher | None = None,
    progress: ProgressCallback | None = None,
) -> Brief:
    """`run` from a state that may already hold the loaded articles."""
    settings = settings or Settings()
    stages = CORPUS_STAGES if state.articles is None else stages_between(start="cluster")
    state, loaded = run_corpus(
        state, models=models, settings=settings, stages=stages, fetcher=fetcher, progress=progress
    )
    assert state.articles is not None and state.stories is not None
    assert state.annotated is not None
    assert not callable(loaded)  # the annotate stage uses (and so loaded) the models
    briefs = brief_stories(
        story_states(state.stories, state.annotated),
        models=loaded,
        settings=settings,
        executor=executor,
        progress=progress,
    )
    articles = unique_articles(state.articles)  # brief order, whatever order they were read in
    return Brief(articles=articles, stories=briefs, rejections=state.rejections or ())


def brief_articles(
    articles: Sequence[Article],
    *,
    story_id: str,
    models: Models,
    settings: Settings | None = None,
    annotations: dict[str, AnnotatedArticle] | None = None,
) -> StoryBrief:
    """The brief of one known story (the store's path). *annotations* caches annotated
    articles by id across calls, so a story that gained one article annotates one."""
    settings = settings or Settings()
    members = unique_articles(articles)
    cache = annotations if annotations is not None else {}
    missing = [a for a in members if a.id not in cache]
    if missing:
        fresh = annotate_articles(missing, models=models, settings=settings)
        cache.update((a.id, a) for a in fresh)
    story = Story(id=story_id, article_ids=tuple(a.id for a in members))
    (state,) = story_states([story], [cache[a.id] for a in members])
    return brief_story(state, models=models, settings=settings)
