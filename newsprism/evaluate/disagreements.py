"""`newsprism eval disagreements`: print the figure disagreements found in Multi-News clusters.

There is no gold standard for cross-outlet figure disagreements, so this prints every one found
(cluster, kind, claims with their sentences) for a person to check; precision is hand-counted.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path

import click

from newsprism.annotate.embed import Embedder
from newsprism.model import AnnotatedArticle, Article

DEFAULT = Path("../shared/data/multinews_dev/clusters.jsonl")


def annotate_minimal(
    articles: Sequence[Article], embedder: Embedder | None = None
) -> list[AnnotatedArticle]:
    """Sentences, quantities, dates (and sentence vectors with an embedder): what comparison reads.

    Without an embedder `sentence_vectors` stay None and `find_disagreements` embeds only the
    few sentences that hold comparable figures, which is much cheaper on long articles.
    """
    from newsprism.annotate.dates import find_dates
    from newsprism.annotate.models import load_nlp
    from newsprism.annotate.quantities import find_quantities
    from newsprism.annotate.sentences import split_sentences

    nlp = load_nlp()
    out: list[AnnotatedArticle] = []
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        sentences = split_sentences(article)
        vectors = embedder.embed([s.text for s in sentences]) if embedder is not None else None
        out.append(
            AnnotatedArticle(
                article=article,
                sentences=sentences,
                quantities=find_quantities(doc, sentences, article.id),
                dates=find_dates(doc, sentences, article),
                sentence_vectors=vectors,
            )
        )
    return out


def _article(cluster_id: str, number: int, text: str) -> Article:
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return Article(
        id=digest, source=f"{cluster_id}#{number}", outlet=f"doc{number}", title="", text=text
    )


@click.command(name="disagreements")
@click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path),
    default=DEFAULT,
    show_default=True,
    help="Multi-News clusters.jsonl",
)
@click.option("--limit", type=int, default=20, show_default=True, help="multi-article clusters")
@click.option("--no-embedder", is_flag=True, help="compare with word lists only")
def command(data: Path, limit: int, no_embedder: bool) -> None:
    """Print the figure disagreements found in the first LIMIT multi-article clusters."""
    from newsprism.annotate.embed import get_embedder
    from newsprism.compare.disagreements import find_disagreements

    if not data.is_file():
        raise click.ClickException(f"{data} not found: pass --data PATH to clusters.jsonl")
    embedder = None if no_embedder else get_embedder()
    started = time.perf_counter()
    clusters = found = figures = 0
    with data.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            documents = [d for d in record.get("documents", []) if d.strip()]
            if len(documents) < 2:
                continue
            clusters += 1
            articles = [_article(record["id"], n, d) for n, d in enumerate(documents)]
            annotated = annotate_minimal(articles)
            figures += sum(len(a.quantities) for a in annotated)
            results = find_disagreements(annotated, embedder)
            click.echo(f"== cluster {clusters} {record['id'][:12]} ({len(documents)} docs)")
            for d in results:
                found += 1
                click.echo(f"  [{d.kind}] {d.subject}" + (f"  note: {d.note}" if d.note else ""))
                for claim in d.claims:
                    doc = next(a for a in annotated if a.id == claim.span.article_id)
                    click.echo(
                        f"    {doc.article.outlet}: {claim.value!r} [{claim.low:g}, {claim.high:g}]"
                        f" | {claim.text[:300]}"
                    )
            if clusters >= limit:
                break
    seconds = time.perf_counter() - started
    click.echo(f"clusters={clusters} figures={figures} disagreements={found} seconds={seconds:.1f}")
