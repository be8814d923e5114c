"""The compose stage: a story's analysis and articles become its brief (headline, cited
summary, per-outlet coverage). It only composes; the comparison is the compare stage's."""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.brief.headline import choose_headline
from newsprism.brief.summary import summarize
from newsprism.compare.coverage import compute_coverage
from newsprism.model import AnnotatedArticle, Story, StoryAnalysis, StoryBrief
from newsprism.settings import Settings
from newsprism.stages import stage


@stage(
    "compose",
    scope="story",
    requires=("story", "members", "analysis"),
    assigns=("brief",),
    uses=("settings",),
)
def compose_brief(
    story: Story,
    members: Sequence[AnnotatedArticle],
    analysis: StoryAnalysis,
    *,
    settings: Settings,
) -> StoryBrief:
    """The cross-source brief of *story* (members in publication order)."""
    analysed = set(analysis.primary)
    primary = [a for a in members if a.id in analysed]
    return StoryBrief(
        id=story.id,
        headline=choose_headline(primary, analysis.facts),
        article_ids=tuple(a.id for a in members),
        summary=summarize(primary, analysis.facts, max_words=settings.summary_words),
        facts=analysis.facts,
        disagreements=analysis.disagreements,
        quotes=analysis.quotes,
        entities=analysis.entities,
        timeline=analysis.timeline,
        coverage=compute_coverage(primary, analysis.facts),
        duplicates=analysis.duplicates,
    )
