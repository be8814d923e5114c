"""Bad inputs become Rejections with a clear reason and an error code; the batch goes on."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism.data.limits import Limits
from newsprism.ingest import read_bytes, read_inputs


def _only_rejection(tmp_path: Path, name: str, data: bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text("The council passed the budget.")
    result = read_inputs([str(path), str(good)])
    # the good file is still read
    assert [doc.source for doc in result.documents] == [str(good)]
    (rejection,) = result.rejections
    assert rejection.source == str(path)
    # One convention: the input and the code are fields of their own, never repeated in the reason.
    assert not rejection.reason.startswith("[") and str(path) not in rejection.reason
    return rejection


def test_ingest_rejects_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    (rejection,) = read_inputs([str(missing)]).rejections
    assert rejection.code == "E101"
    assert (
        rejection.reason
        == "no such file or folder; check the path (relative to the current folder)"
    )


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("bin.txt", b"\x00\x01\x02\x03binary", "binary data (NUL bytes)"),
        ("doc.txt", b"%PDF-1.7 ...", "this is a PDF file, not text"),
        ("img.html", b"\x89PNG\r\n\x1a\n....", "this is a PNG image, not text"),
    ],
)
def test_ingest_rejects_binary(tmp_path: Path, name: str, data: bytes, words: str) -> None:
    rejection = _only_rejection(tmp_path, name, data)
    assert rejection.code == "E101"
    assert words in rejection.reason
    assert "newsprism reads .txt, .html" in rejection.reason


@pytest.mark.parametrize("name", ["empty.txt", "empty.html", "empty.json", "empty.jsonl"])
def test_ingest_rejects_empty_file(tmp_path: Path, name: str) -> None:
    rejection = _only_rejection(tmp_path, name, b"  \n")
    assert rejection.code == "E102"
    assert "empty" in rejection.reason or "no records" in rejection.reason


def test_ingest_rejects_undecodable_bytes(tmp_path: Path) -> None:
    rejection = _only_rejection(tmp_path, "latin1.txt", "Café au lait à Paris".encode("latin-1"))
    assert rejection.code == "E101"
    assert "not UTF-8 text (byte 0xe9 at offset 3)" in rejection.reason
    assert "iconv" in rejection.reason


def test_ingest_rejects_bad_json_line_and_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(
        '{"id": "a", "text": "One."}\n{"id": "b", "text": \n{"id": "c", "text": "Three."}\n'
    )
    result = read_inputs([str(path)])
    assert [doc.source for doc in result.documents] == ["a", "c"]
    (rejection,) = result.rejections
    assert rejection.source == f"{path}#2"
    assert rejection.code == "E103"
    assert "line 2 is not valid JSON" in rejection.reason
    assert "each line must be one JSON record" in rejection.reason


@pytest.mark.parametrize(
    ("line", "code", "words"),
    [
        ('["not", "an", "object"]', "E103", "a record must be a JSON object, not list"),
        ('{"id": "x", "title": "No body"}', "E103", 'has no "text" or "html" string field'),
        ('{"id": "x", "text": "   "}', "E102", 'has an empty "text"/"html" field'),
    ],
)
def test_ingest_rejects_bad_record(line: str, code: str, words: str) -> None:
    (rejection,) = read_bytes("up.jsonl", line.encode(), "up.jsonl").rejections
    assert rejection.code == code
    assert words in rejection.reason


def test_ingest_rejects_malformed_json_file(tmp_path: Path) -> None:
    rejection = _only_rejection(tmp_path, "bad.json", b'{"text": "x",\n')
    assert rejection.code == "E103"
    assert "invalid JSON at line" in rejection.reason


def test_ingest_rejects_broken_feed(tmp_path: Path) -> None:
    rejection = _only_rejection(
        tmp_path, "feed.xml", b"<?xml version='1.0'?><rss><channel><title>x</ti"
    )
    assert rejection.code == "E103"
    assert "not a readable RSS/Atom feed" in rejection.reason


def test_ingest_rejects_broken_gzip(tmp_path: Path) -> None:
    rejection = _only_rejection(tmp_path, "page.html.gz", gzip.compress(b"<p>hi</p>")[:12])
    assert rejection.code == "E103"
    assert "broken gzip data" in rejection.reason


def test_ingest_rejects_broken_warc_keeping_earlier_records(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
    payload = io.BytesIO(b"<html><body><p>The council passed it.</p></body></html>")
    writer.write_record(
        writer.create_warc_record(
            "https://example.com/a", "response", payload=payload, http_headers=headers
        )
    )
    path = tmp_path / "crawl.warc"
    path.write_bytes(buffer.getvalue() + b"this is not a warc record\r\n\r\n")
    result = read_inputs([str(path)])
    assert [doc.source for doc in result.documents] == ["https://example.com/a"]
    (rejection,) = result.rejections
    assert rejection.code == "E103"
    assert "broken WARC after 1 HTML responses" in rejection.reason


def test_ingest_rejects_warc_without_html(tmp_path: Path) -> None:
    rejection = _only_rejection(tmp_path, "x.warc", b"")
    assert rejection.code == "E102"


def test_ingest_rejections_over_limit_names_the_limit_and_how_to_raise_it() -> None:
    from newsprism.data.limits import Limits

    (rejection,) = read_bytes(
        "up.txt", b"x" * 100, "up.txt", limits=Limits(max_input_bytes=10)
    ).rejections
    assert rejection.code == "E105"
    assert rejection.code == "E105" and rejection.source == "up.txt"
    assert rejection.reason.startswith("input of 100 bytes")
    assert "max_input_bytes=10" in rejection.reason
    assert "NEWSPRISM_LIMIT_MAX_INPUT_BYTES" in rejection.reason


def test_ingest_rejections_limits_from_env() -> None:
    from newsprism.data.limits import Limits

    limits = Limits.from_env({"NEWSPRISM_LIMIT_MAX_HTML_DEPTH": "100", "OTHER": "x"})
    assert limits.max_html_depth == 100
    assert limits.max_input_bytes == Limits().max_input_bytes
    with pytest.raises(ValueError, match="NEWSPRISM_LIMIT_MAX_INPUT_BYTES='-3'"):
        Limits.from_env({"NEWSPRISM_LIMIT_MAX_INPUT_BYTES": "-3"})


def test_ingest_rejections_nul_anywhere_in_text_is_binary() -> None:
    data = b"The council met. " * 1000 + b"\x00 and more"
    (rejection,) = read_bytes("late.txt", data, "late.txt").rejections
    assert rejection.code == "E101"
    assert "offset 17,000" in rejection.reason


def test_ingest_rejections_jsonl_line_separators_stay_inside_records() -> None:
    lines = [
        json.dumps({"id": f"r{n}", "text": f"One.{sep}Two."}, ensure_ascii=False)
        for n, sep in enumerate(("\u2028", "\u2029", "\u0085"))
    ]
    result = read_bytes("seps.jsonl", "\n".join(lines).encode(), "seps.jsonl")
    assert [doc.source for doc in result.documents] == ["r0", "r1", "r2"]
    assert result.rejections == ()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.mkdir(), "the folder holds no input file"),
        (lambda p: (p.mkdir(), (p / "a.pdf").write_bytes(b"%PDF")), "(1 other files skipped)"),
    ],
)
def test_ingest_rejections_empty_or_unsupported_folder(
    tmp_path: Path, make: Any, words: str
) -> None:
    folder = tmp_path / "in"
    make(folder)
    (rejection,) = read_inputs([str(folder)]).rejections
    assert (rejection.source, rejection.code) == (str(folder), "E102")
    assert words in rejection.reason


def test_ingest_rejections_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    (rejection,) = read_inputs([str(fifo)]).rejections  # must not wait for a writer
    assert rejection.code == "E101"
    assert "not a regular file (a FIFO / named pipe)" in rejection.reason


@pytest.mark.parametrize(
    ("story", "problem"),
    [
        ("2022/01/kazakhstan", "holds /"),
        ("2022\\01", "holds \\"),
        ("a\x1b[2Jb", "control character U+001B"),
        ("..", "URL path step"),
        ("s" * 201, "max_story_id_chars=200"),
    ],
)
def test_ingest_rejections_story_id_that_cannot_be_read_back(story: str, problem: str) -> None:
    # A story is read at /api/stories/<id>: an id that is not one path segment is refused
    # with its record (the other records go on), not stored where no URL reaches it.
    lines = [
        json.dumps(
            {"id": "good", "text": "The council passed the budget.", "story": "budget-2022"}
        ),
        json.dumps({"id": "bad", "text": "The mayor resigned on Friday.", "story": story}),
    ]
    result = read_bytes("in.jsonl", "\n".join(lines).encode(), "in.jsonl")
    assert [(doc.source, doc.story) for doc in result.documents] == [("good", "budget-2022")]
    (rejection,) = result.rejections
    assert rejection.source == "bad" and "in.jsonl#2" in rejection.reason
    assert problem in rejection.reason and "story" in rejection.reason


@pytest.mark.parametrize("story", ["a b", "what? #1", "50% off", "Kazakhstan – 2022", "ü.x"])
def test_ingest_rejections_story_ids_that_make_a_path_segment_are_kept(story: str) -> None:
    line = json.dumps({"text": "The council passed the budget.", "story": story})
    result = read_bytes("in.jsonl", line.encode(), "in.jsonl")
    assert result.rejections == () and result.documents[0].story == story


def test_ingest_rejections_same_article_in_two_given_stories_is_said(tmp_path: Path) -> None:
    from newsprism.pipeline import load_articles

    text = "The council passed the budget on Tuesday after a long debate."
    records = [
        {"id": "a", "text": text, "story": "first", "published": "2022-01-01"},
        {"id": "b", "text": text, "story": "only-copy", "published": "2022-01-02"},
        {"id": "c", "text": "The mayor resigned on Friday.", "story": "first"},
        # The same story, or none given: nothing is lost, nothing to say.
        {"id": "d", "text": text, "story": "first", "published": "2022-01-03"},
        {"id": "e", "text": text, "published": "2022-01-04"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records))
    articles, rejections = load_articles([str(path)])
    assert sorted({a.story or "" for a in articles}) == ["first"]
    (said,) = rejections
    assert said.source == "b" and said.code == "E103"
    assert "the same article (same text) as a, which is in story 'first'" in said.reason
    assert "story 'only-copy' has no other article" in said.reason


def test_ingest_rejections_html_over_libxml2_limits_says_so(tmp_path: Path) -> None:
    page = "<html><body><article><h1>Budget</h1><p>The council passed it.</p>%s</article></body></html>"
    text_node = page % ("<p>" + "w " * 5_050_000 + "</p>")
    attribute = page % f'<p data-x="{"y" * 10_100_000}">x</p>'
    for name, html in (("node.html", text_node), ("attr.html", attribute)):
        (rejection,) = read_bytes(name, html.encode(), name).rejections
        assert rejection.code == "E105"
        assert "over libxml2's limit of 10,000,000 bytes" in rejection.reason
        assert "article page" not in rejection.reason and '"text" field' in rejection.reason
    deep = "<html><body>" + "<div>" * 400 + page % "" + "</body></html>"
    raised = Limits(max_html_depth=1000)
    (rejection,) = read_bytes("deep.html", deep.encode(), "deep.html", limits=raised).rejections
    assert "deeper than libxml2's limit of 256 levels" in rejection.reason


def test_ingest_rejections_html_whose_text_is_over_the_article_limit() -> None:
    from newsprism.pipeline import clean_documents

    html = (
        "<html><body><article><h1>Budget</h1><p>"
        + "word " * 50_000
        + "</p></article></body></html>"
    )
    result = read_bytes("long.html", html.encode(), "long.html")
    articles, rejections = clean_documents(result.documents)
    assert articles == () and rejections[0].code == "E105"
    assert "max_article_chars=200,000" in rejections[0].reason
