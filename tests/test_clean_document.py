"""clean_document: plain text and HTML into Articles; metadata; the seeds as real data."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest

from newsprism.clean import clean_document
from newsprism.data import debris
from newsprism.errors import EmptyInput, UnreadableInput
from newsprism.ingest import read_inputs
from newsprism.model import RawDocument

PAGE = b"""<!DOCTYPE html><html><head>
<title>Council passes budget | Example Times</title>
<meta property="og:title" content="Council passes budget">
<meta property="og:site_name" content="Example Times">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-01T09:30:00Z">
<link rel="canonical" href="https://www.example.com/news/council-budget">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Council passes budget</h1>
<p>The city council approved the new budget on Tuesday after a debate that lasted late into
the night, with members split along familiar lines over spending on local services.</p>
<p>READ MORE: Why the council vote matters for the city</p>
<p>Opposition members said the plan cut too deeply into libraries and parks, and promised to
bring the issue back before the next election in the spring of next year.</p>
<p>The mayor said the budget was balanced and that the city could not keep borrowing money to
pay for its day-to-day running costs, a point she has made many times before.</p>
</article>
<footer>Copyright Example Times. <a href="/privacy">Privacy</a></footer>
</body></html>"""


def _text_doc(text: str, source: str = "story.txt", **fields: object) -> RawDocument:
    return RawDocument(source=source, data=text.encode("utf-8"), media_type="text/plain", **fields)  # type: ignore[arg-type]


def test_clean_document_plain_text_headline_becomes_title() -> None:
    article = clean_document(_text_doc("Council passes budget\n\nThe council passed it.\n"))
    assert article.title == "Council passes budget"
    assert article.text == "The council passed it."
    assert article.removed == ()
    assert article.outlet == "unknown"
    assert article.id == hashlib.sha256(b"The council passed it.").hexdigest()[:16]
    assert (
        article.raw_ref
        == hashlib.sha256(b"Council passes budget\n\nThe council passed it.\n").hexdigest()
    )


def test_clean_document_record_title_and_repeat_in_body() -> None:
    doc = _text_doc(
        "Council passes budget\n\nThe council passed it.",
        title="Council passes budget",
        outlet="Example Times",
        url="https://www.example.com/a",
    )
    article = clean_document(doc)
    assert article.title == "Council passes budget"
    assert article.text == "The council passed it."
    assert [item.reason for item in article.removed] == [debris.REASON_TITLE]
    assert article.outlet == "Example Times"


def test_clean_document_outlet_from_url_host() -> None:
    doc = _text_doc("The council passed it.", url="https://www.example.org/news/1")
    assert clean_document(doc).outlet == "example.org"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("news/2022-01-14-kazakhstan.txt", datetime(2022, 1, 14)),
        ("news/kazakhstan_20220114.txt", datetime(2022, 1, 14)),
        ("news/000_c51de9d8cbdf5598.txt", None),
        ("news/2022-02-30.txt", None),
    ],
)
def test_clean_document_date_from_file_name(source: str, expected: datetime | None) -> None:
    assert clean_document(_text_doc("The council passed it.", source)).published == expected


def test_clean_document_record_date_wins_over_file_name() -> None:
    doc = _text_doc("The council passed it.", "2020-01-01.txt", published=datetime(2022, 1, 14, 8))
    assert clean_document(doc).published == datetime(2022, 1, 14, 8)


def test_clean_document_html_text_and_metadata() -> None:
    article = clean_document(RawDocument(source="page.html", data=PAGE, media_type="text/html"))
    assert article.title == "Council passes budget"
    assert article.byline == "Jane Doe"
    assert article.outlet == "Example Times"
    assert article.published == datetime(2024, 3, 1)
    assert article.url == "https://www.example.com/news/council-budget"
    assert "approved the new budget on Tuesday" in article.text
    assert "could not keep borrowing money" in article.text
    assert "READ MORE" not in article.text
    assert "Privacy" not in article.text and "Sport" not in article.text
    assert not article.text.startswith("Council passes budget")
    # paragraphs are separated by blank lines
    assert article.text.count("\n\n") == 2
    assert "READ MORE: Why the council vote matters for the city" in [
        r.text for r in article.removed
    ]


def test_clean_document_is_stable_on_its_own_output() -> None:
    article = clean_document(RawDocument(source="page.html", data=PAGE, media_type="text/html"))
    again = clean_document(_text_doc(article.text, title=article.title))
    assert again.text == article.text
    assert again.id == article.id
    assert again.removed == ()


@pytest.mark.parametrize("text", ["", "   \n\n", "Loading...\n\nAdvertisement\n"])
def test_clean_document_empty_raises(text: str) -> None:
    with pytest.raises(EmptyInput, match=r"^\[E102\] story.txt: "):
        clean_document(_text_doc(text))


def test_clean_document_html_without_text_raises() -> None:
    doc = RawDocument(
        source="empty.html", data=b"<html><body></body></html>", media_type="text/html"
    )
    with pytest.raises(EmptyInput, match="no main text found"):
        clean_document(doc)


def test_clean_document_non_utf8_plain_text_raises() -> None:
    doc = RawDocument(source="x.txt", data=b"caf\xe9", media_type="text/plain")
    with pytest.raises(UnreadableInput, match=r"\[E101\] x.txt: plain text is not UTF-8"):
        clean_document(doc)


# --------------------------------------------------------------------------- seeds (real data)


def _seed(seeds_dir: Path, prefix: str) -> Path:
    matches = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    assert matches, f"no seed {prefix}_*.txt in {seeds_dir}"
    return matches[0]


def _clean_seed(seeds_dir: Path, prefix: str):  # type: ignore[no-untyped-def]
    result = read_inputs([str(_seed(seeds_dir, prefix))])
    assert result.rejections == ()
    return clean_document(result.documents[0])


def test_clean_seed_002_all_debris_goes(seeds_dir: Path) -> None:
    article = _clean_seed(seeds_dir, "002")
    removed = [(item.text, item.reason) for item in article.removed]
    assert article.title == "Russia-led bloc begins withdrawing troops from Kazakhstan"
    assert not article.text.startswith(article.title)
    assert [text for text, _ in removed].count("Loading...") == 2
    assert sum(text.startswith("READ MORE:") for text, _ in removed) == 2
    assert ("AA", debris.REASON_CREDIT) in removed
    assert ("Route 6", debris.REASON_TRAILING) in removed
    caption = "Russian paratroopers were deployed to Kazakhstan"
    assert sum(text.startswith(caption) for text, _ in removed) == 1
    assert article.text.count(caption) == 1
    for gone in ("Loading", "READ MORE", "\nAA\n", "Route 6"):
        assert gone not in article.text
    assert len(removed) == 7
    # what must stay: the subheading, the quotes, the last sentence
    assert "Foreign meddling?" in article.text
    assert "once Russians are in your house" in article.text
    assert article.text.endswith("security forces.")


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_clean_seed_without_debris_loses_nothing(seeds_dir: Path, prefix: str) -> None:
    raw = _seed(seeds_dir, prefix).read_text(encoding="utf-8")
    article = clean_document(read_inputs([str(_seed(seeds_dir, prefix))]).documents[0])
    assert article.removed == ()
    words = lambda text: text.split()  # noqa: E731
    assert words(article.title) + words(article.text) == words(raw)


def test_clean_seed_titles(seeds_dir: Path) -> None:
    assert _clean_seed(seeds_dir, "000").title == ""
    assert _clean_seed(seeds_dir, "000").text.startswith("ALMATY • A Russia-led")
    assert (
        _clean_seed(seeds_dir, "003").title
        == "Troops of Russia-led bloc begin pullout from Kazakhstan"
    )
