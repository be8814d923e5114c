"""Injected figure conflicts (`eval disagreements --inject`): choosing, rewriting, mapping the
rewrite back to the input, matching disagreements, and the command on hand-written clusters and
on a few real Multi-News clusters."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.clean import clean_document
from newsprism.errors import EmptyInput
from newsprism.evaluate import inject
from newsprism.evaluate.data import cluster_documents, read_rows
from newsprism.evaluate.disagreements import command
from newsprism.model import (
    AnnotatedArticle,
    Article,
    Disagreement,
    DisagreementClaim,
    Quantity,
    Sentence,
    Span,
    StoryBrief,
)
from tests.conftest import data_path


def _quantity(text: str, words: str, value: float, **fields: object) -> Quantity:
    """The Quantity of *words* (first occurrence) in *text*, as the annotator would give it."""
    start = text.index(words)
    defaults: dict[str, object] = {
        "low": value,
        "high": value,
        "qualifier": "exact",
        "unit": "people",
        "event": "kill",
        "kind": "count",
    }
    defaults.update(fields)
    return Quantity(
        span=Span(article_id="a", start=start, end=start + len(words)),
        text=words,
        value=value,
        sentence=0,
        **defaults,  # type: ignore[arg-type]
    )


def _rewritten(text: str, quantity: Quantity, change: str) -> str | None:
    rewrite = inject.rewrite_figure(text, quantity, change)
    return rewrite.apply(text) if rewrite else None


# ------------------------------------------------------------------ rewriting by a factor

TROOPS = "The ministry said about 2,500 troops were sent in."


def test_scale_keeps_the_hedge_and_the_thousands_separator():
    quantity = _quantity(TROOPS, "about 2,500", 2500, unit="troops", qualifier="about")
    assert (
        _rewritten(TROOPS, quantity, "x3") == "The ministry said about 7,500 troops were sent in."
    )
    assert _rewritten(TROOPS, quantity, "x0.5") == (
        "The ministry said about 1,250 troops were sent in."
    )


def test_scale_rewrites_number_words_as_words_and_keeps_a_capital():
    text = "Four people were killed and four more were hurt."
    quantity = _quantity(text, "Four", 4)
    assert _rewritten(text, quantity, "x5") == "Twenty people were killed and four more were hurt."
    assert _rewritten(text, quantity, "x1.25") == "Five people were killed and four more were hurt."
    assert _rewritten(text, quantity, "x2") == "Eight people were killed and four more were hurt."


def test_scale_skips_a_factor_the_figure_cannot_realise_closely():
    text = "Four people were killed."
    # 4 x 0.8 = 3.2: "three" would be x0.75, outside FACTOR_TOLERANCE
    assert inject.rewrite_figure(text, _quantity(text, "Four", 4), "x0.8") is None
    small = "3 people were killed."
    assert inject.rewrite_figure(small, _quantity(small, "3", 3), "x1.25") is None  # 4 is x1.33
    many = "25 people were killed."
    assert _rewritten(many, _quantity(many, "25", 25), "x1.25") == "31 people were killed."


def test_scale_with_a_scale_word_may_take_decimals():
    text = "The firm paid $1 million and spent 1.8 million hours on it."
    money = _quantity(text, "$1 million", 1e6, unit="dollars", kind="money", event="pay")
    assert _rewritten(text, money, "x1.25") == (
        "The firm paid $1.25 million and spent 1.8 million hours on it."
    )
    hours = _quantity(text, "1.8 million", 1.8e6, unit="hours", event="spend")
    assert _rewritten(text, hours, "x0.5") == (
        "The firm paid $1 million and spent 0.9 million hours on it."
    )


def test_scale_writes_the_separator_when_a_small_figure_grows_past_a_thousand():
    text = "Some 400 homes were flooded."
    quantity = _quantity(text, "Some 400", 400, unit="homes", qualifier="about")
    assert _rewritten(text, quantity, "x5") == "Some 2,000 homes were flooded."


def test_scale_refuses_a_figure_of_two_numbers():
    text = "The plan could cost $2-3 billion."
    quantity = _quantity(text, "$2-3 billion", 2.5e9, unit="dollars", kind="money")
    assert inject.rewrite_figure(text, quantity, "x2") is None


# ------------------------------------------------------------------ hedge flips


@pytest.mark.parametrize(
    ("words", "kind", "flipped"),
    [
        ("at least 40", "count", "at most 40"),
        ("More than 40", "count", "Fewer than 40"),
        ("more than $40", "money", "less than $40"),
        ("fewer than 40", "count", "more than 40"),
        ("nearly 40", "count", "more than 40"),
        ("40 or more", "count", "40 or fewer"),
        ("up to 40", "count", "at least 40"),
    ],
)
def test_flip_turns_the_hedge_to_its_opposite(words, kind, flipped):
    text = f"Police said {words} people were killed."
    quantity = _quantity(text, words, 40, kind=kind, qualifier="hedged")
    assert _rewritten(text, quantity, inject.FLIP) == f"Police said {flipped} people were killed."


def test_flip_leaves_figures_without_a_turnable_hedge():
    text = "Police said about 40 people and 12 children were killed."
    assert inject.flip_hedge(text, _quantity(text, "about 40", 40, qualifier="about")) is None
    assert inject.flip_hedge(text, _quantity(text, "12", 12)) is None


# ------------------------------------------------------------------ back to the input text


def _document(source: str, text: str) -> Article:
    (document,) = cluster_documents([{"id": source, "documents": [text]}])
    return clean_document(document)


def test_map_to_input_finds_the_figure_in_the_text_before_cleaning():
    raw = (
        "Fire kills 40 at chemical plant\n\n"
        "A fire at a chemical plant killed 40 people on Monday.   \n\n\n\n"
        "Officials said 40 people had died and 12 were hurt.\n"
    )
    article = _document("c", raw)
    assert article.text != raw  # the headline and blank runs were taken out
    start = article.text.index("40 people had")
    rewrite = inject.Rewrite(start=start, end=start + 2, old="40", new="200")
    mapped = inject.map_to_input(article.text, raw, rewrite)
    assert mapped is not None
    recleaned = _document("c", mapped.apply(raw))
    assert recleaned.text == rewrite.apply(article.text)


def test_map_to_input_refuses_a_line_that_stands_twice_in_the_input():
    raw = "Officials said 40 people died.\n\nOfficials said 40 people died.\n"
    start = raw.index("40")
    rewrite = inject.Rewrite(start=start, end=start + 2, old="40", new="80")
    assert inject.map_to_input(raw.strip("\n"), raw, rewrite) is None


def test_rewrite_apply_checks_the_words_it_replaces():
    with pytest.raises(ValueError, match="not '41'"):
        inject.Rewrite(start=0, end=2, old="41", new="82").apply("40 people")


def test_map_to_input_on_real_documents_survives_cleaning():
    """Every digit figure of the first real clusters, doubled in the input where its line is
    unique there, cleans to the cleaned text with the same change."""
    rows = read_rows(data_path("multinews_dev", "clusters.jsonl"), limit=12)
    checked = 0
    for row in rows:
        for index, raw in enumerate(row["documents"]):
            if not raw.strip():
                continue
            try:
                article = _document(f"{row['id']}#{index}", raw)
            except EmptyInput:
                continue  # a page of notices is rejected, so there is nothing to inject into
            for match in list(re.finditer(r"\b\d+\b", article.text))[:5]:
                new = str(int(match.group(0)) * 2 + 1)
                rewrite = inject.Rewrite(
                    start=match.start(), end=match.end(), old=match.group(0), new=new
                )
                mapped = inject.map_to_input(article.text, raw, rewrite)
                if mapped is None:
                    continue
                changed = _document(f"{row['id']}#{index}", mapped.apply(raw))
                assert changed.text == rewrite.apply(article.text), (row["id"], index, match)
                checked += 1
    assert checked >= 50


# ------------------------------------------------------------------ shared figures, choice


def _annotated(article_id: str, text: str, quantities: list[Quantity]) -> AnnotatedArticle:
    article = Article(id=article_id, source=f"c#{article_id}", outlet="o", title="t", text=text)
    sentence = Sentence(
        span=Span(article_id=article_id, start=0, end=len(text)), text=text, index=0, paragraph=0
    )
    moved = [
        Quantity(
            span=Span(article_id=article_id, start=q.span.start, end=q.span.end),
            text=q.text,
            value=q.value,
            low=q.low,
            high=q.high,
            qualifier=q.qualifier,
            unit=q.unit,
            event=q.event,
            sentence=0,
            kind=q.kind,
        )
        for q in quantities
    ]
    return AnnotatedArticle(article=article, sentences=(sentence,), quantities=tuple(moved))


A_TEXT = "At least 40 people were killed in three days of fighting; a 7-year-old died."
B_TEXT = "Forty People died in five days of fighting, and 7 years old was the youngest."
C_TEXT = "The town spent 40 dollars on candles."


def _story() -> list[AnnotatedArticle]:
    a = _annotated(
        "a",
        A_TEXT,
        [
            _quantity(A_TEXT, "At least 40", 40, qualifier="at least", high=float("inf")),
            _quantity(A_TEXT, "three days", 3, unit="days", kind="duration"),
            _quantity(A_TEXT, "7-year-old", 7, unit="years old", kind="other"),
        ],
    )
    b = _annotated(
        "b",
        B_TEXT,
        [
            _quantity(B_TEXT, "Forty", 40, unit="People"),
            _quantity(B_TEXT, "five days", 5, unit="days", kind="duration"),
            _quantity(B_TEXT, "7 years old", 7, unit="years old", kind="other"),
        ],
    )
    c = _annotated("c", C_TEXT, [_quantity(C_TEXT, "40 dollars", 40, unit="dollars", kind="money")])
    return [a, b, c]


def test_shared_figures_need_the_same_value_kind_and_unit_in_another_article():
    candidates = inject.shared_figures(_story())
    assert [(c.article_id, c.quantity.text) for c in candidates] == [
        ("a", "At least 40"),
        ("b", "Forty"),
    ]  # not the days (3 vs 5), not the ages (kind "other"), not the 40 dollars
    a, b = candidates
    assert a.partners == (b.quantity.span,)
    assert b.partners == (a.quantity.span,)


def test_shared_figures_do_not_pair_an_article_with_itself():
    text = "40 people died; 40 people were hurt."
    twice = _annotated("a", text, [_quantity(text, "40", 40), _quantity(text, "40 people w", 40)])
    assert inject.shared_figures([twice]) == ()


def test_seeded_order_is_fixed_by_seed_and_story():
    texts = [f"Officials said {n} people died." for n in range(10, 18)]
    members = [
        _annotated(f"a{i}", t, [_quantity(t, str(n), 40)])
        for i, (t, n) in enumerate(zip(texts, range(10, 18), strict=True))
    ]
    candidates = inject.shared_figures(members)
    first = inject.seeded_order(candidates, 0, "story")
    assert first == inject.seeded_order(list(reversed(candidates)), 0, "story")
    orders = {
        tuple(c.article_id for c in inject.seeded_order(candidates, s, "story")) for s in range(5)
    }
    assert len(orders) > 1


def test_plan_injection_takes_the_first_candidate_the_change_can_rewrite():
    story = _story()
    texts = {m.article.id: (m.article.text, m.article.text) for m in story}
    ordered = list(inject.shared_figures(story))  # "At least 40" first, then "Forty"
    plan = inject.plan_injection("c", ordered, "x2", texts)
    assert plan is not None and plan.candidate.article_id == "a"
    assert plan.new_words == "At least 80"
    flip = inject.plan_injection("c", list(reversed(ordered)), inject.FLIP, texts)
    assert flip is not None and flip.candidate.article_id == "a"  # "Forty" has no hedge
    assert flip.new_words == "At most 40"
    assert inject.plan_injection("c", ordered[1:], inject.FLIP, texts) is None


# ------------------------------------------------------------------ matching and scoring


def _claim(article_id: str, start: int, end: int, value: str = "v") -> DisagreementClaim:
    return DisagreementClaim(
        value=value,
        low=None,
        high=None,
        qualifier=None,
        unit=None,
        text="",
        span=Span(article_id=article_id, start=start, end=end),
    )


def _disagreement(*claims: DisagreementClaim) -> Disagreement:
    return Disagreement(subject="people (kill)", kind="incompatible", field="number", claims=claims)


def test_covering_needs_the_changed_span_and_a_partner_span():
    partners = (Span(article_id="b", start=0, end=5),)
    both = _disagreement(_claim("a", 10, 20), _claim("b", 0, 5))
    assert inject.covering([both], "a", 12, 14, partners) is both
    elsewhere = _disagreement(_claim("a", 30, 40), _claim("b", 0, 5))  # not the changed words
    assert inject.covering([elsewhere], "a", 12, 14, partners) is None
    other_figure = _disagreement(_claim("a", 10, 20), _claim("b", 50, 60))
    assert inject.covering([other_figure], "a", 12, 14, partners) is None
    one_article = _disagreement(_claim("a", 10, 20), _claim("a", 0, 5))
    assert (
        inject.covering([one_article], "a", 12, 14, (Span(article_id="a", start=0, end=5),)) is None
    )
    touching = _disagreement(
        _claim("a", 14, 20), _claim("b", 0, 5)
    )  # [12, 14) ends where it starts
    assert inject.covering([touching], "a", 12, 14, partners) is None


def _plan() -> tuple[inject.Injection, str]:
    story = _story()
    texts = {m.article.id: (m.article.text, m.article.text) for m in story}
    plan = inject.plan_injection("c", list(inject.shared_figures(story)), "x2", texts)
    assert plan is not None
    return plan, A_TEXT


def _brief_of(*disagreements: Disagreement) -> StoryBrief:
    return StoryBrief(id="s", headline="h", article_ids=("a", "b"), disagreements=disagreements)


def test_score_found_missed_and_not_applied():
    plan, old = _plan()
    new_text = plan.clean.apply(old)
    changed = Article(id="a2", source="c#a", outlet="o", title="t", text=new_text)
    partner = plan.candidate.partners[0]
    hit = _disagreement(
        _claim("a2", plan.clean.start, plan.changed_end, "At least 80"),
        _claim("b", partner.start, partner.end, "Forty"),
    )
    found = inject.score(
        plan, old_text=old, article=changed, changed=_brief_of(hit), unchanged=None
    )
    assert (found.status, found.disagreement, found.already) == ("found", hit, False)
    missed = inject.score(plan, old_text=old, article=changed, changed=_brief_of(), unchanged=None)
    assert missed.status == "missed" and missed.disagreement is None
    moved = Article(id="a3", source="c#a", outlet="o", title="t", text=" " + new_text)
    assert inject.score(plan, old_text=old, article=moved, changed=None, unchanged=None).status == (
        "not applied"
    )
    span = plan.candidate.quantity.span
    before = _disagreement(
        _claim("a", span.start, span.end), _claim("b", partner.start, partner.end)
    )
    already = inject.score(
        plan, old_text=old, article=changed, changed=_brief_of(hit), unchanged=_brief_of(before)
    )
    assert already.already
    hits, scored, value = inject.recall([found, missed, already])
    assert (hits, scored) == (2, 3) and value == pytest.approx(2 / 3)
    assert inject.recall([]) == (0, 0, None)


# ------------------------------------------------------------------ the command

FIRE_0 = (
    "A fire at a chemical plant in Springfield killed at least 40 people on Monday, officials "
    "said.\n\nThe blaze started in a storage hall and spread to two nearby warehouses. "
    "Firefighters needed six hours to bring it under control.\n\nThe plant's owner said it would "
    "cooperate with investigators."
)
FIRE_1 = (
    "At least 40 people died when a fire tore through a chemical plant in Springfield on Monday, "
    "according to officials.\n\nThe fire began in a storage hall before it reached two "
    "warehouses nearby. It took firefighters most of the night to put it out.\n\nInvestigators have "
    "begun looking into the cause."
)
VOTE_0 = "The city council approved the new budget on Tuesday after a long debate."
VOTE_1 = "After a long debate, the council passed the city's budget on Tuesday evening."


def _clusters(tmp_path: Path) -> Path:
    path = tmp_path / "clusters.jsonl"
    rows = [
        {"id": "fire", "documents": [FIRE_0, FIRE_1]},
        {"id": "vote", "documents": [VOTE_0, VOTE_1]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_command_injects_rebriefs_and_reports(tmp_path):
    result = CliRunner().invoke(
        command, ["--data", str(_clusters(tmp_path)), "--inject", "--changes", "1.5,flip"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "1 of 2 clusters have a shared figure" in result.output
    (x15,) = [line for line in lines if line.strip().startswith("x1.5:")]
    # the toll, the one shared figure, in the lead sentence of both: found at x1.5
    assert "1/1 = 1.000 (not applied 0;" in x15
    assert "'At least 40' -> 'At least 60'" in result.output
    (flip,) = [line for line in lines if line.strip().startswith("flip:")]
    assert "1 = " in flip and "(not applied 0;" in flip  # "at least 40" is the one hedge
    assert any(line.strip().startswith("all:") for line in lines)
    assert "unchanged: stories=2 " in result.output


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ("1", "neither a factor"),
        ("x0", "neither a factor"),
        ("half", "neither a factor"),
        (",", "no change"),
    ],
)
def test_command_refuses_a_bad_change(tmp_path, changes, message):
    result = CliRunner().invoke(
        command, ["--data", str(_clusters(tmp_path)), "--inject", "--changes", changes]
    )
    assert result.exit_code == 2
    assert message in result.output and "--changes" in result.output


def test_command_names_a_missing_data_file(tmp_path):
    result = CliRunner().invoke(command, ["--data", str(tmp_path / "none.jsonl"), "--inject"])
    assert result.exit_code == 1
    assert "none.jsonl not found: pass --data PATH" in result.output


def test_command_on_real_clusters_applies_every_injection():
    """The first real multi-article clusters with one factor: the figures found by the shipped
    annotator are changed in the input and come back changed at the planned place."""
    path = data_path("multinews_dev", "clusters.jsonl")
    result = CliRunner().invoke(
        command, ["--data", str(path), "--inject", "--limit", "5", "--changes", "x3"]
    )
    assert result.exit_code == 0, result.output
    (x3,) = [line for line in result.output.splitlines() if line.strip().startswith("x3:")]
    scored = int(re.search(r"/(\d+) = ", x3).group(1))  # type: ignore[union-attr]
    assert scored >= 1 and "(not applied 0;" in x3
    assert "unchanged: stories=5 " in result.output
