"""read_inputs / read_bytes: every input format, folders, stdin, gzip."""

from __future__ import annotations

import gzip
import io
import json
import sys
from datetime import datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import newsprism.ingest
from newsprism.ingest import IngestResult, iter_inputs, read_bytes, read_inputs

TEXT = "Council passes budget\n\nThe council passed the budget on Tuesday.\n"
HTML = b"<html><head><title>Budget</title></head><body><p>The council passed it.</p></body></html>"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example Times</title><link>https://example.com/</link>
<item><title>Council passes budget</title><link>https://example.com/a</link>
<pubDate>Fri, 14 Jan 2022 10:00:00 +0300</pubDate><author>jane@example.com (Jane Doe)</author>
<content:encoded><![CDATA[<p>The council passed the budget on Tuesday.</p>]]></content:encoded></item>
<item><title>Only a teaser</title><link>https://example.com/b</link>
<description>Click through to read.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title>
<entry><title>Mayor speaks</title><link href="https://example.com/m"/><id>urn:1</id>
<updated>2022-01-14T07:00:00Z</updated>
<content type="html">&lt;p&gt;The mayor spoke on Friday.&lt;/p&gt;</content></entry></feed>"""


def _warc(records: list[tuple[str, str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, content_type, payload in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.0")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(payload), http_headers=headers
        )
        writer.write_record(record)
    return buffer.getvalue()


def test_ingest_exported_members_match_all() -> None:
    public = {name for name in dir(newsprism.ingest) if not name.startswith("_")}
    assert set(newsprism.ingest.__all__) <= public
    assert set(newsprism.ingest.__all__) == {
        "IngestResult",
        "iter_inputs",
        "read_bytes",
        "read_inputs",
        "with_outlet",
    }


def test_ingest_text_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = read_inputs([str(path)])
    assert result.rejections == ()
    (doc,) = result.documents
    assert doc.source == str(path)
    assert doc.media_type == "text/plain"
    assert doc.data.decode("utf-8") == TEXT


def test_ingest_text_with_bom_and_utf16(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    (tmp_path / "u16.txt").write_bytes(TEXT.encode("utf-16"))
    result = read_inputs([str(tmp_path)])
    assert [doc.data.decode("utf-8") for doc in result.documents] == [TEXT, TEXT]


def test_ingest_html_file_and_gzip(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_bytes(HTML)
    (tmp_path / "page2.html.gz").write_bytes(gzip.compress(HTML))
    result = read_inputs([str(tmp_path)])
    assert [doc.media_type for doc in result.documents] == ["text/html", "text/html"]
    assert all(doc.data == HTML for doc in result.documents)


def test_ingest_json_one_record_and_list(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"text": "Body one.", "title": "T", "published": "2022-01-14"}))
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"id": "r1", "html": "<p>Body.</p>"}, {"text": "Body two."}]))
    result = read_inputs([str(one), str(many)])
    assert result.rejections == ()
    assert [doc.source for doc in result.documents] == [str(one), "r1", f"{many}#2"]
    assert result.documents[0].title == "T"
    assert result.documents[0].published == datetime(2022, 1, 14)
    assert result.documents[1].media_type == "text/html"


def test_ingest_jsonl_fields(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    records = [
        {
            "id": "kz-1",
            "text": "The bloc began withdrawing.",
            "title": "Bloc withdraws",
            "url": "https://example.com/kz",
            "outlet": "Example Times",
            "published": "2022-01-13T10:00:00+03:00",
            "story": "csto",
        },
        {"text": "No id here."},
    ]
    path.write_text("\n".join(json.dumps(record) for record in records) + "\n\n")
    result = read_inputs([str(path)])
    first, second = result.documents
    assert (first.source, first.title, first.url, first.outlet, first.story) == (
        "kz-1",
        "Bloc withdraws",
        "https://example.com/kz",
        "Example Times",
        "csto",
    )
    assert first.published == datetime(2022, 1, 13, 7)  # naive UTC
    assert second.source == f"{path}#2"


def test_ingest_rss_feed(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(RSS, encoding="utf-8")
    result = read_inputs([str(path)])
    (doc,) = result.documents
    assert doc.source == "https://example.com/a"
    assert doc.title == "Council passes budget"
    assert doc.outlet == "Example Times"
    assert doc.published == datetime(2022, 1, 14, 7)
    # a one-<p> entry is a fragment: its text is taken directly (issue 15), not trafilatura's
    assert doc.media_type == "text/plain"
    assert doc.data == b"The council passed the budget on Tuesday."
    # the summary-only entry is kept as a rejection with its reason
    (rejection,) = result.rejections
    assert rejection.source == "https://example.com/b"
    assert rejection.code == "E102"
    assert "only a summary" in rejection.reason


def test_ingest_atom_feed_sniffed_without_suffix() -> None:
    result = read_bytes("stdin-feed", ATOM.encode("utf-8"))
    (doc,) = result.documents
    assert doc.title == "Mayor speaks"
    assert doc.outlet == "Example Atom"
    assert doc.published == datetime(2022, 1, 14, 7)


def test_ingest_warc_html_responses_only(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(
        _warc(
            [
                ("https://example.com/a", "text/html; charset=utf-8", HTML),
                ("https://example.com/logo.png", "image/png", b"\x89PNG...."),
                ("https://example.com/b", "text/html", HTML.replace(b"council", b"mayor")),
            ]
        )
    )
    result = read_inputs([str(path)])
    assert result.rejections == ()
    assert [doc.source for doc in result.documents] == [
        "https://example.com/a",
        "https://example.com/b",
    ]
    assert all(doc.url == doc.source and doc.fetched_at for doc in result.documents)


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"Plain words here.", "text/plain"),
        (b"  <!DOCTYPE html><html><body><p>x</p></body></html>", "text/html"),
        (b'{"text": "One record."}', "text/plain"),
        (b'{"text": "a"}\n{"text": "b"}\n', "text/plain"),
        (b'[{"html": "<p>a</p>"}]', "text/html"),
        (gzip.compress(b"Zipped plain words."), "text/plain"),
    ],
)
def test_ingest_read_bytes_sniffs_format(data: bytes, media_type: str) -> None:
    result = read_bytes("upload", data)
    assert result.rejections == ()
    assert result.documents and all(doc.media_type == media_type for doc in result.documents)


def test_ingest_folder_is_recursive_sorted_and_skips_other_files(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.txt", "sub/z.html", "notes.pdf", ".hidden/d.txt"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Text of {name}.")
    result = read_inputs([str(tmp_path)])
    assert [Path(doc.source).relative_to(tmp_path).as_posix() for doc in result.documents] == [
        "a.txt",
        "b.txt",
        "sub/c.txt",
        "sub/z.html",
    ]
    assert read_inputs([str(tmp_path)]) == result
    assert [item.source for item in iter_inputs([str(tmp_path)])] == [
        doc.source for doc in result.documents
    ]


def test_ingest_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    result = read_inputs(["-"])
    assert result == IngestResult(documents=result.documents, rejections=())
    assert result.documents[0].source == "-"
    assert result.documents[0].data.decode("utf-8") == TEXT


def test_ingest_seeds_folder(seeds_dir: Path) -> None:
    result = read_inputs([str(seeds_dir)])
    assert result.rejections == ()
    assert len(result.documents) == 3
    assert [Path(doc.source).name[:3] for doc in result.documents] == ["000", "002", "003"]
