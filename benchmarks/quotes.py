"""Cost of quote and entity annotation relative to the spaCy parse it runs on (PolNeAR dev).

Run: .venv/bin/python benchmarks/quotes.py [--data ../shared/data/polnear_dev]

Prints seconds and the ratio of each step to spaCy's parse of the same texts in the same process
(the baseline), plus the peak resident memory. Numbers vary with machine load; the ratios are
what to compare between runs.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from newsprism.annotate.entities import find_entities
from newsprism.annotate.models import load_nlp
from newsprism.annotate.quotes import find_quotes
from newsprism.annotate.sentences import split_sentences
from newsprism.model import AnnotatedArticle, Article


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/polnear_dev"))
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted((args.data / "dev/text").glob("*.txt"))]
    articles = [
        Article(id=str(i), source="", outlet="", title="", text=t) for i, t in enumerate(texts)
    ]
    nlp = load_nlp()

    started = time.process_time()
    docs = list(nlp.pipe(texts))
    parse = time.process_time() - started

    started = time.process_time()
    sentences = [split_sentences(a) for a in articles]
    split = time.process_time() - started

    started = time.process_time()
    entities = [find_entities(d, a.id) for d, a in zip(docs, articles, strict=True)]
    quotes = [
        find_quotes(d, s, e, a)
        for d, s, e, a in zip(docs, sentences, entities, articles, strict=True)
    ]
    ours = time.process_time() - started

    from newsprism.compare.entities import resolve_entities
    from newsprism.compare.quotes import group_quotes

    annotated = [
        AnnotatedArticle(article=a, sentences=s, entities=e, quotes=q)
        for a, s, e, q in zip(articles, sentences, entities, quotes, strict=True)
    ]
    started = time.process_time()
    story_entities = resolve_entities(annotated)  # all 84 articles as one (worst-case) story
    groups, _ = group_quotes(annotated, story_entities)
    compare = time.process_time() - started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles                     {len(texts)}")
    print(f"spaCy parse (baseline)       {parse:7.2f} s CPU   1.00")
    print(f"pysbd sentences              {split:7.2f} s CPU   {split / parse:.3f}")
    print(f"find_entities + find_quotes  {ours:7.2f} s CPU   {ours / parse:.3f}")
    print(
        f"resolve_entities + group_quotes over all as one story "
        f"({sum(len(q) for q in quotes)} quotes, {len(groups)} groups)  {compare:7.2f} s CPU   "
        f"{compare / parse:.3f}"
    )
    print(f"peak memory                  {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
