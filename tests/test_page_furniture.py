"""Page furniture: a scraped page of nothing but notices is no article (a rejection naming it),
an article with a notice in it stays; captions are found by the parse. Checked on hand-written
pages and on the real data sets (notice pages in multinews_dev; none among real articles)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.annotate.captions import find_captions
from newsprism.annotate.models import Models
from newsprism.annotate.sentences import split_sentences
from newsprism.clean import clean_document
from newsprism.clean.debris import furniture
from newsprism.errors import EmptyInput
from newsprism.model import Article, RawDocument
from tests.conftest import data_path

ARTICLE = (
    "Engineers opened the floodgates of the Varna river dam on Monday after days of heavy "
    "rain across the valley.\n\nAbout 300 families living downstream were moved to school "
    "buildings overnight, the regional governor said in a statement."
)
NOTICE_PAGES = [
    "Since 2004 our partners have donated their crawl data to the web archive of the library.",
    "You can share your Tweets with a location.\n\nLearn more",
    "This feature is not available right now. Please try again later.",
    "Breaking News Emails\n\nGet breaking news alerts and special reports delivered weekday "
    "mornings.",
    "Reprints: this copy is for your personal, non-commercial use only. Order copies at "
    "www.example.com",
]


def _doc(text: str) -> RawDocument:
    return RawDocument(source="page.txt", data=text.encode("utf-8"), media_type="text/plain")


@pytest.mark.parametrize("page", NOTICE_PAGES)
def test_a_page_of_notices_is_rejected_by_name(page: str) -> None:
    with pytest.raises(EmptyInput, match=r"^\[E102\] page.txt: only page furniture is left"):
        clean_document(_doc(page))


def test_an_article_with_a_notice_paragraph_stays() -> None:
    text = "Get breaking news alerts and special reports.\n\n" + ARTICLE
    article = clean_document(_doc(text))
    assert "floodgates" in article.text
    assert furniture(ARTICLE) is None


def _texts(path: Path) -> list[str]:
    return [
        text
        for line in path.read_text(encoding="utf-8").splitlines()
        for text in json.loads(line)["documents"]
    ]


def test_notice_pages_of_real_data_are_furniture_and_real_articles_are_not() -> None:
    multinews = _texts(data_path("multinews_dev", "clusters.jsonl"))
    flagged = [text for text in multinews if furniture(text)]
    # measured: 21 of 291 (web-archive stubs, a social network's help page, player errors)
    assert 15 <= len(flagged) <= 30
    assert all(len(text) < 1_000 for text in flagged)  # notice pages are short
    truth = json.loads(data_path("scrapinghub_aeb", "ground-truth.json").read_text("utf-8"))
    bodies = [item["articleBody"] for item in truth.values() if item.get("articleBody")]
    ecb = [
        "\n".join(json.loads(line)["sentences"])
        for line in data_path("ecbplus", "docs.jsonl").read_text("utf-8").splitlines()
    ]
    seeds = [p.read_text("utf-8") for p in sorted(data_path("seeds").glob("*.txt"))]
    assert [text[:60] for text in (*bodies, *ecb, *seeds) if furniture(text)] == []


CAPTIONS = [
    "Engineers speak to reporters at the Varna dam, Tuesday, March 5, 2024.",
    "The flooded road is seen from a helicopter near Varna, March 5, 2024.",
    "A farmer stands in his flooded field near Varna.",
    "Rescue teams at the Varna dam on March 5, 2024.",
    "Tuesday, the governor signs a decree on flood relief.",
]
NEWS = [
    "Engineers opened the floodgates of the Varna river dam on Monday.",
    "Officials say the dam has held since it was built on May 2, 1975.",
    "The reservoir sits in third place among the largest in the country.",
    "About 300 families have been arriving at the school since Tuesday, March 5, 2024.",
    "The decision is seen as a test for the new governor.",
    "Tuesday, the council voted to close the dam.",
]


def test_captions_are_found_by_the_parse(models: Models) -> None:
    text = "\n\n".join(CAPTIONS + NEWS)
    article = Article(id="a", source="a", outlet="a", title="", text=text)
    sentences = split_sentences(article)
    doc = models.need_nlp()(text)
    found = set(find_captions(doc, sentences))
    assert [s.text for s in sentences if s.index in found] == CAPTIONS
