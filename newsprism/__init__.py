"""newsprism: see one story through every outlet.

The public API (everything else is internal and may change)::

    import newsprism
    brief = newsprism.brief(["../shared/data/seeds"])      # a Brief (frozen dataclasses)
    data = newsprism.brief_to_dict(brief)                   # the JSON contract
    stories = newsprism.cluster(articles)                   # Story groups, no comparison
    articles, rejections = newsprism.load_articles(["folder/"])
"""

from __future__ import annotations

from collections.abc import Sequence as _Sequence

# The stage subpackage `newsprism.brief` shares its name with the public `brief()` function.
# Importing the subpackage first lets the function defined below take the attribute for good
# (later imports of its submodules do not reset it).
import newsprism.brief as _brief_stage  # noqa: F401
from newsprism.contract import BriefDict
from newsprism.errors import NewsprismError
from newsprism.model import (
    AnnotatedArticle,
    Article,
    Brief,
    ClaimGroup,
    Disagreement,
    Entity,
    QuoteGroup,
    Rejection,
    Span,
    Story,
    StoryBrief,
    TimelineEntry,
)

__version__ = "0.1.0"

__all__ = [
    "AnnotatedArticle",
    "Article",
    "Brief",
    "BriefDict",
    "ClaimGroup",
    "Disagreement",
    "Entity",
    "NewsprismError",
    "QuoteGroup",
    "Rejection",
    "Span",
    "Story",
    "StoryBrief",
    "TimelineEntry",
    "__version__",
    "brief",
    "brief_to_dict",
    "cluster",
    "load_articles",
]


def brief(inputs: _Sequence[str], *, summary_words: int | None = None) -> Brief:
    """Read *inputs* (paths, folders, URLs), group them into stories and brief each story.

    Loads the default models; to brief many times, load them once with
    `newsprism.annotate.models.load_models()` and call `newsprism.pipeline.run`.
    """
    from newsprism.annotate.models import load_models
    from newsprism.pipeline import run
    from newsprism.settings import Settings

    return run(inputs, models=load_models(), settings=Settings(summary_words=summary_words))


def brief_to_dict(value: Brief) -> BriefDict:
    """The brief as the public JSON contract (``newsprism/brief@1``)."""
    from newsprism.render.json import brief_to_dict as to_dict

    return to_dict(value)


def cluster(articles: _Sequence[Article]) -> tuple[Story, ...]:
    """Group cleaned articles into stories (batch mode)."""
    from newsprism.stories import cluster_articles

    return cluster_articles(articles)


def load_articles(inputs: _Sequence[str]) -> tuple[tuple[Article, ...], tuple[Rejection, ...]]:
    """Read and clean *inputs*: the articles, and the inputs rejected with their reasons."""
    from newsprism.errors import NoArticles
    from newsprism.pipeline import load_articles as load

    try:
        return load(inputs)
    except NoArticles as error:
        return (), error.rejections
