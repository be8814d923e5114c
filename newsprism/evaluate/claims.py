"""`newsprism eval claims`: the judge of "same claim" on the hand-labelled claim pairs.

Each side of a pair is a span of a real document (newsprism/data/claim_pairs.jsonl). The
documents are parsed by the shipped models, each span becomes a `Claim` through the shipped
`annotate.claims.claim_at` (content lemmas, entities, figures, polarity), claims are embedded
by the shipped embedder as the annotator embeds them (a claim that is nearly its whole sentence
takes the sentence's vector), and the shipped `compare.judge.judge_claims` labels the pair.

Scores: precision and recall of `same` (strict), of "corroborates" (same or partial against
related or contradicting: what makes a fact corroborated), and recall of `contradicting`. The
`dev` split is for building the judge; `heldout` is scored once, at the end (see the file).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click
import numpy as np

from newsprism.evaluate.claim_pairs import (
    ClaimPair,
    DocumentSource,
    default_data_root,
    load_claim_pairs,
)

if TYPE_CHECKING:
    from newsprism.annotate.models import Models
    from newsprism.compare.judge import Verdict
    from newsprism.model import Claim

LABELS = ("same", "partial", "related", "contradicting")


def judge_pairs(pairs: Sequence[ClaimPair], models: Models) -> list[Verdict]:
    """The shipped judge's verdict on every pair (in order), with the models' cross-encoder as the
    pipeline runs it."""
    from newsprism.compare.judge import judge_many

    return judge_many(pair_claims(pairs, models), models.cross_encoder)


def pair_claims(pairs: Sequence[ClaimPair], models: Models) -> list[tuple[Claim, Claim, float]]:
    """Both sides of every pair as shipped `Claim`s, with the cosine of their embeddings."""
    claims, texts = _claims(pairs, models)
    vectors = models.need_embedder().embed(texts)
    return [
        (claims[2 * n], claims[2 * n + 1], float(np.dot(vectors[2 * n], vectors[2 * n + 1])))
        for n in range(len(pairs))
    ]


def fit_blocks(pairs: Sequence[ClaimPair], models: Models) -> str:
    """Refit the judge's models on *pairs* (the dev half) and return the lines for
    `newsprism.data.claims`: the rules-only corroboration and `same` models, then the
    corroboration model with the cross-encoder's evidence, fitted on the pairs the new rules-only
    model sends to the cross-encoder (`CROSS_ENCODER_FLOOR`)."""
    from newsprism.compare.judge import (
        CROSS_ENCODER_FEATURES,
        FEATURES,
        needs_cross_encoder,
        pair_features,
        reading_order,
    )
    from newsprism.evaluate.fit_judge import fit, model_block

    if any(pair.split != "dev" for pair in pairs):
        raise click.UsageError("the judge is fitted on the dev half only")
    triples = pair_claims(pairs, models)
    features = np.array([pair_features(a, b, c) for a, b, c in triples])
    labels = np.array([pair.label for pair in pairs])
    corroborating = np.isin(labels, ("same", "partial"))
    corroborates = fit(features, corroborating)
    same = fit(features, labels == "same")
    blocks = model_block("CORROBORATES", corroborates, FEATURES)
    blocks += model_block("SAME", same, FEATURES)
    if models.cross_encoder is None:
        return blocks
    rules = (corroborates.weights, corroborates.intercept)
    gate = np.array([needs_cross_encoder(a, b, cosine, rules) for a, b, cosine in triples])
    scores = models.cross_encoder.compatibility([reading_order(a, b) for a, b, _ in triples])
    extended = np.column_stack([features, scores])
    with_cross_encoder = fit(extended, corroborating, gate)
    return blocks + model_block(
        "CORROBORATES_CROSS_ENCODER", with_cross_encoder, FEATURES + CROSS_ENCODER_FEATURES
    )


def _claims(pairs: Sequence[ClaimPair], models: Models) -> tuple[list[Claim], list[str]]:
    """Both sides of every pair as `Claim`s, and the text the annotator embeds for each: the
    claim's own, or its sentence's when the claim is (nearly) all of it (`reuses_sentence`)."""
    from newsprism.annotate.annotator import reuses_sentence
    from newsprism.annotate.claims import claim_at
    from newsprism.annotate.entities import find_entities
    from newsprism.annotate.quantities import find_quantities
    from newsprism.annotate.sentences import split_sentences
    from newsprism.model import Article

    source = DocumentSource(default_data_root())
    sides = [side for pair in pairs for side in (pair.a, pair.b)]
    texts: dict[str, str] = {}
    for side in sides:
        if side.span.article_id not in texts:
            texts[side.span.article_id] = source.text(side.dataset, side.doc)
    ids = list(texts)
    docs = dict(zip(ids, models.need_nlp().pipe(texts[i] for i in ids), strict=True))
    found: dict[str, tuple[Any, Any, Any]] = {}
    claims: list[Claim] = []
    embedded: list[str] = []
    for side in sides:
        key = side.span.article_id
        if key not in found:
            article = Article(id=key, source=key, outlet="", title="", text=texts[key])
            sentences = split_sentences(article)
            found[key] = (
                sentences,
                find_entities(docs[key], key),
                find_quantities(docs[key], sentences, key),
            )
        sentences, entities, quantities = found[key]
        claim = claim_at(
            docs[key],
            side.span.start,
            side.span.end,
            sentence=None,
            entities=entities,
            quantities=quantities,
            article_id=key,
            fragments=True,
        )
        assert claim is not None  # a hand-made span always aligns to tokens
        claims.append(claim)
        around = [x for x in sentences if x.span.start <= claim.span.start < x.span.end]
        reused = around and reuses_sentence(claim.span, around[0])
        embedded.append(around[0].text if reused else claim.text)
    return claims, embedded


def score(pairs: Sequence[ClaimPair], verdicts: Sequence[Verdict]) -> dict[str, Any]:
    """Precision/recall of same, of corroborates (same|partial), recall of contradicting."""
    confusion: Counter[tuple[str, str]] = Counter(
        (pair.label, verdict.label) for pair, verdict in zip(pairs, verdicts, strict=True)
    )

    def pr(positive: set[str]) -> tuple[float, float]:
        tp = sum(n for (g, p), n in confusion.items() if g in positive and p in positive)
        predicted = sum(n for (_, p), n in confusion.items() if p in positive)
        gold = sum(n for (g, _), n in confusion.items() if g in positive)
        return (tp / predicted if predicted else 0.0, tp / gold if gold else 0.0)

    same_p, same_r = pr({"same"})
    corr_p, corr_r = pr({"same", "partial"})
    contra_p, contra_r = pr({"contradicting"})
    return {
        "pairs": len(pairs),
        "same_precision": same_p,
        "same_recall": same_r,
        "corroborates_precision": corr_p,
        "corroborates_recall": corr_r,
        "contradicting_precision": contra_p,
        "contradicting_recall": contra_r,
        "confusion": {f"{g}->{p}": n for (g, p), n in sorted(confusion.items())},
    }


@click.command(name="claims")
@click.option(
    "--split",
    type=click.Choice(["dev", "heldout", "all"]),
    default="dev",
    show_default=True,
    help="heldout is for the final report only: never tune on it.",
)
@click.option("--errors", "show_errors", is_flag=True, help="Print every wrongly judged pair.")
@click.option(
    "--fit",
    "refit",
    is_flag=True,
    help="Refit the judge's models on the dev half and print them for newsprism/data/claims.py.",
)
def command(split: str, show_errors: bool, refit: bool) -> None:
    """Score the same-claim judge on the hand-labelled claim pairs."""
    from newsprism.annotate.models import load_models

    started = time.perf_counter()
    if refit:
        click.echo(fit_blocks(load_claim_pairs(None, "dev"), load_models()), nl=False)
        return
    pairs = load_claim_pairs(None, None if split == "all" else split)
    verdicts = judge_pairs(pairs, load_models())
    result = score(pairs, verdicts)
    click.echo(f"claim pairs ({split}): {result['pairs']}")
    for name in ("same", "corroborates", "contradicting"):
        click.echo(
            f"  {name:<14} precision {result[f'{name}_precision']:.3f}"
            f"  recall {result[f'{name}_recall']:.3f}"
        )
    click.echo("  gold -> judged (count):")
    gold_rows = [
        f"{g:<13}" + " ".join(f"{result['confusion'].get(f'{g}->{p}', 0):>5}" for p in LABELS)
        for g in LABELS
    ]
    click.echo("  " + " " * 13 + " ".join(f"{p[:5]:>5}" for p in LABELS))
    for row in gold_rows:
        click.echo("  " + row)
    if show_errors:
        for pair, verdict in zip(pairs, verdicts, strict=True):
            if pair.label != verdict.label:
                click.echo(
                    f"{pair.id} gold {pair.label} judged {verdict.label} ({verdict.reason}; "
                    f"cos {verdict.cosine:.2f} shared {verdict.shared:.2f} "
                    f"contained {verdict.contained:.2f})\n  A: {pair.a.text[:160]}\n"
                    f"  B: {pair.b.text[:160]}"
                )
    click.echo(f"seconds: {time.perf_counter() - started:.1f}")
