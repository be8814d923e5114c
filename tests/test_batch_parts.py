"""The pieces of `newsprism batch` without a cluster: partitions, clustering, tables, docs."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from newsprism.distributed import catalog, clustering, datasets
from newsprism.distributed.partitions import (
    count_newlines,
    number_lines,
    plan_partitions,
    read_partition,
)
from newsprism.ingest import read_inputs
from newsprism.model import Article, Story
from newsprism.stories.batch import cluster_articles, named_by_arrival
from newsprism.stories.config import ClusterConfig
from tests.conftest import REPO, data_path


def _jsonl(path: Path) -> None:
    """A JSONL file with blank lines, CRLF endings, a bad line and a UTF-8 BOM (generated)."""
    lines = []
    for number in range(30):
        record = {
            "id": f"r{number}",
            "title": f"Title {number}",
            "text": f"Body of {number}. " * 30,
        }
        lines.append(json.dumps(record))
        if number % 7 == 0:
            lines.append("")
        if number == 11:
            lines.append("{not json")
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\n")


def _read_split(inputs: list[str], size: int) -> tuple[list[str], list[tuple[str, str]]]:
    partitions = plan_partitions(inputs, partition_bytes=size)
    partitions = number_lines(partitions, [count_newlines(p) for p in partitions])
    documents, rejections = [], []
    for partition in partitions:
        result = read_partition(partition)
        documents += [d.source for d in result.documents]
        rejections += [(r.source, r.reason) for r in result.rejections]
    return documents, rejections


def test_jsonl_ranges_read_as_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    _jsonl(path)
    whole = read_inputs([str(path)])
    documents, rejections = _read_split([str(path)], 700)
    assert len(plan_partitions([str(path)], partition_bytes=700)) > 5
    assert documents == [d.source for d in whole.documents]
    assert rejections == [(r.source, r.reason) for r in whole.rejections]
    assert any(source.endswith("#15") for source, _ in rejections)  # the bad line, by number


def test_folders_and_globs_list_in_reading_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.txt", ".hidden/d.txt", "e.unknown"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"Text of {name}. " * 20, encoding="utf-8")
    missing = str(tmp_path / "missing.txt")
    inputs = [str(tmp_path), str(tmp_path / "*.txt"), missing]
    whole = read_inputs([str(tmp_path), str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), missing])
    documents, rejections = _read_split(inputs, 40)
    assert documents == [d.source for d in whole.documents]
    assert rejections == [(r.source, r.reason) for r in whole.rejections]


def _ecb_articles(count: int) -> list[Article]:
    from datetime import datetime, timedelta

    lines = data_path("ecbplus", "docs.jsonl").read_text(encoding="utf-8").splitlines()[:count]
    articles = []
    for number, line in enumerate(lines):
        record = json.loads(line)
        published = datetime(2024, 1, 1) + timedelta(hours=7 * (number % 40))
        articles.append(
            Article(
                id=f"a{number:04d}",
                source=f"s{number}",
                outlet="o",
                title=record["sentences"][0],
                text="\n".join(record["sentences"]),
                published=None if number % 13 == 0 else published,
                story="given" if number % 50 == 7 else None,
            )
        )
    random.Random(5).shuffle(articles)
    return articles


def _distributed_stories(parts: list[list[Article]], buckets: int, link: int) -> list[Story]:
    """The clustering pieces run in this process, as the Dask graph chains them."""
    config = ClusterConfig()
    made = catalog.build_catalog([[catalog.meta_of(a) for a in part] for part in parts])
    features = [
        clustering.partition_features(p, made.plans[i], config) for i, p in enumerate(parts)
    ]
    frequencies = clustering.add_frequencies([(w, e) for _, w, e in features])
    vectors = [
        clustering.vectorise_partition(k, frequencies, config, buckets) for k, _, _ in features
    ]
    hits = [
        clustering.window_hits(
            [v[1][b] for v in vectors], made.free, config.posting_window, buckets
        )
        for b in range(buckets)
    ]
    partners = [
        clustering.best_partners([h[a] for h in hits], made.free, config.batch_candidates)
        for a in range(buckets)
    ]
    plan = clustering.plan_links(partners, made.free, link)
    groups = [clustering.split_by_group(v[0], plan) for v in vectors]
    linked = [
        clustering.link_group([g[k] for g in groups], plan.pairs[k], config)
        for k in range(len(plan.pairs))
    ]
    return clustering.order_stories([*linked, list(made.given)])


@pytest.mark.parametrize(("partitions", "buckets", "link"), [(1, 2, 10_000), (7, 5, 40)])
def test_clustering_pieces_equal_cluster_articles(partitions: int, buckets: int, link: int) -> None:
    articles = _ecb_articles(600)
    parts = [articles[i::partitions] for i in range(partitions)]
    reading = [a for part in parts for a in part]
    local = named_by_arrival(cluster_articles(reading), reading)
    stories = _distributed_stories(parts, buckets, link)
    assert stories == list(local)
    assert any(len(s.article_ids) > 3 for s in local)  # real stories, not all singletons


def test_tables_have_the_documented_schema() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert datasets.schema_markdown() in readme, "README's batch schema table is out of date"
    rows = datasets.story_rows(
        [
            {
                "id": "s-1",
                "headline": "H",
                "article_ids": ["a"],
                "facts": [
                    {
                        "id": "f",
                        "text": "t",
                        "status": "corroborated",
                        "independent_sources": 2,
                        "article_ids": ["a", "b"],
                        "citations": [{"article_id": "a", "start": 0, "end": 1}],
                    }
                ],
                "disagreements": [],
                "quotes": [],
                "entities": [],
                "timeline": [],
            }
        ]
    )
    (fact,) = rows["facts"]
    assert fact["story_id"] == "s-1" and fact["article_ids"] == ["a", "b"]
    assert json.loads(fact["citations"]) == [{"article_id": "a", "start": 0, "end": 1}]
    assert fact["added"] is None


def _warc(path: Path, compress: bool) -> None:
    """A WARC of HTML responses, a 404, a request and an image (generated with warcio)."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        for number in range(40):
            status, kind = (
                ("404 Not Found", "text/html") if number == 9 else ("200 OK", "text/html")
            )
            if number == 17:
                kind = "image/png"
            body = f"<html><body><p>Page {number}. {'Words here. ' * 40}</p></body></html>"
            headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
            uri = f"https://example.org/{number}"
            record = writer.create_warc_record(
                uri, "response", payload=BytesIO(body.encode()), http_headers=headers
            )
            writer.write_record(record)
            if number % 10 == 3:
                request = StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True)
                writer.write_record(
                    writer.create_warc_record(
                        uri, "request", payload=BytesIO(b""), http_headers=request
                    )
                )


@pytest.mark.parametrize("compress", [True, False])
def test_warc_record_runs_read_as_the_whole_file(tmp_path: Path, compress: bool) -> None:
    from newsprism.distributed.warc import warc_ranges

    path = tmp_path / ("a.warc.gz" if compress else "a.warc")
    _warc(path, compress)
    whole = read_inputs([str(path)])
    (placeholder,) = plan_partitions([str(path)], partition_bytes=2_000)
    runs = warc_ranges(placeholder, 2_000)
    assert len(runs) > 5 and all(run.kind == "warc" for run in runs)
    items = [read_partition(run) for run in runs]
    assert [d.source for r in items for d in r.documents] == [d.source for d in whole.documents]
    assert [d.data for r in items for d in r.documents] == [d.data for d in whole.documents]
    assert [x.source for r in items for x in r.rejections] == [x.source for x in whole.rejections]


def test_a_single_stream_warc_gz_stays_whole(tmp_path: Path) -> None:
    import gzip

    from newsprism.distributed.warc import warc_ranges

    plain = tmp_path / "a.warc"
    _warc(plain, compress=False)
    path = tmp_path / "b.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))  # one gzip stream: no record offsets
    (placeholder,) = plan_partitions([str(path)], partition_bytes=500)
    (run,) = warc_ranges(placeholder, 500)
    assert run.kind == "inputs" and run.inputs == (str(path),)
    assert [d.source for d in read_partition(run).documents] == [
        d.source for d in read_inputs([str(path)]).documents
    ]
