"""Outlet identity: record, page metadata, dateline agency, known domains, host; wire origins;
`--outlet` on brief and ingest. Texts are written here."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.clean import clean_document
from newsprism.cli import cli
from newsprism.dedup import find_origins
from newsprism.model import RawDocument
from newsprism.outlets import dateline_agency, outlet_of

BODY = (
    "Engineers opened the floodgates of the Varna river dam on Monday after days of heavy rain "
    "across the valley.\n\nAbout 300 families living downstream were moved to school buildings "
    "overnight, the regional governor said in a statement.\n\nForecasters expect the rain to "
    "ease by the weekend."
)


@pytest.mark.parametrize(
    ("opening", "agency"),
    [
        ("CAIRO (Reuters) - ", "Reuters"),
        ("LOS ANGELES (AP) — ", "AP"),
        ("PARIS, France (AFP) – ", "AFP"),
        ("AFP — ", "AFP"),
        ("(Reuters) - ", "Reuters"),
        ("WASHINGTON — ", None),
        ("ALMATY (Kazakhstan) - ", None),  # a place in brackets is no agency
        ("The ", None),
    ],
)
def test_dateline_agency(opening: str, agency: str | None) -> None:
    assert dateline_agency(opening + BODY) == agency


def test_outlet_from_domain_table_then_host() -> None:
    assert outlet_of(BODY, "https://edition.cnn.com/2024/01/01/world/dam") == "CNN"
    assert outlet_of(BODY, "https://www.bbc.co.uk/news/world-1") == "BBC"
    assert outlet_of(BODY, "https://local-news.example.org/dam") == "local-news.example.org"
    assert outlet_of("CAIRO (Reuters) - " + BODY, "https://news.example.org/a") == "Reuters"
    assert outlet_of(BODY, None) is None


def test_clean_names_the_outlet_in_order_of_trust() -> None:
    def clean(data: bytes, media: str = "text/plain", **fields: str):  # type: ignore[no-untyped-def]
        return clean_document(RawDocument(source="x", data=data, media_type=media, **fields))  # type: ignore[arg-type]

    assert clean(("CAIRO (Reuters) - " + BODY).encode(), outlet="Nile Post").outlet == "Nile Post"
    assert clean(("CAIRO (Reuters) - " + BODY).encode()).outlet == "Reuters"
    assert (
        clean(BODY.encode(), url="https://www.theguardian.com/world/dam").outlet == "The Guardian"
    )
    assert clean(BODY.encode()).outlet == "unknown"  # shown as its file name, never counted
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    page = (
        '<html><head><meta property="og:site_name" content="Valley Courier">'
        "<title>Floodgates opened at Varna dam</title></head><body><article>"
        f"<h1>Floodgates opened at Varna dam</h1>{paragraphs}</article></body></html>"
    )
    assert clean(page.encode(), "text/html").outlet == "Valley Courier"


def test_outlets_running_one_agency_story_are_one_origin() -> None:
    from newsprism.model import Article

    texts = {
        "a": "VARNA (AP) — " + BODY,
        "b": "VARNA, Bulgaria (AP) — The regional governor moved about 300 families after the "
        "floodgates of the Varna dam were opened on Monday.",
        "c": "Rescue crews worked through the night in villages below the Varna dam, where "
        "water reached the first floors of houses.",
        "d": BODY.replace("Engineers", "Dam engineers"),  # a copy of the AP story
    }
    articles = [Article(id=k, source=k, outlet=k, title="", text=t) for k, t in texts.items()]
    origins = find_origins(articles)
    assert origins.article_origin["a"] == origins.article_origin["b"] == "wire:AP"
    assert origins.article_origin["c"] == "c"
    assert origins.article_origin["d"] == "wire:AP"


def test_outlet_option_on_brief_and_ingest(tmp_path: Path) -> None:
    source = tmp_path / "dam.txt"
    source.write_text(BODY, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["brief", str(source), "--outlet", "Valley  Courier", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert [a["outlet"] for a in json.loads(result.stdout)["articles"]] == ["Valley Courier"]
    db = tmp_path / "news.db"
    result = CliRunner().invoke(
        cli, ["ingest", str(source), "--db", str(db), "--no-briefs", "--outlet", "Valley Courier"]
    )
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT outlet FROM articles").fetchall() == [("Valley Courier",)]
