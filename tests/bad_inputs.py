"""Build a corpus of bad inputs (generated here, never copied) and run it through the read path.

    PYTHONPATH=$PWD .venv/bin/python -m tests.bad_inputs [--keep DIR]

builds every kind into a temp folder, runs each through `newsprism.ingest.read_inputs`,
`newsprism.pipeline.clean_documents` and `story_conflicts` (the load stage) in a forked child (address space capped with RLIMIT_AS,
killed at a timeout), and prints which kinds were handled cleanly and the peak memory of each.
Run it with another checkout first on PYTHONPATH to measure that version. `tests/test_hostile_
inputs.py` uses the same corpus and runner.

"Handled cleanly" means: no exception escaped, the child finished within the time and memory
limits, the number of articles kept is the one expected, and when a rejection is expected one
names the input (its file name is in the rejection's source or reason).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import random
import resource
import signal
import socket
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MIB = 1024 * 1024
DEFAULT_TIMEOUT = 120.0  # seconds per input; generous: the machine is shared
DEFAULT_MEMORY = 2 * 1024 * MIB  # RLIMIT_AS of each child (the target: < 2 GB)

_WORDS = [
    "council",
    "budget",
    "river",
    "bridge",
    "minister",
    "court",
    "vote",
    "harbour",
    "school",
    "police",
    "report",
    "market",
    "storm",
    "election",
    "mayor",
    "hospital",
    "railway",
    "union",
    "strike",
    "farmers",
    "water",
]


def article_text(seed: int, paragraphs: int = 3) -> str:
    """A plain news-like article (title line, then paragraphs) that survives cleaning."""
    rng = random.Random(seed)
    title = f"Northbridge {rng.choice(_WORDS)} plan number {seed} approved"
    body = []
    for _ in range(paragraphs):
        sentences = [
            f"The {rng.choice(_WORDS)} committee said on Tuesday that the {rng.choice(_WORDS)} "
            f"and the {rng.choice(_WORDS)} would cost {rng.randint(2, 90)} million dollars."
            for _ in range(4)
        ]
        body.append(" ".join(sentences))
    return title + "\n\n" + "\n\n".join(body) + "\n"


def article_html(seed: int) -> str:
    """A small complete HTML page holding `article_text`."""
    title, *paragraphs = article_text(seed).strip().split("\n\n")
    ps = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{ps}"
        "</article></body></html>"
    )


def record(seed: int, **fields: Any) -> dict[str, Any]:
    """A good JSON record, with *fields* added or replaced."""
    base: dict[str, Any] = {
        "id": f"rec-{seed}",
        "title": f"Story {seed}",
        "text": article_text(seed),
    }
    base.update(fields)
    return base


@dataclass(frozen=True, slots=True, kw_only=True)
class BadInput:
    """One kind of bad input: where it is, and what reading it must give."""

    kind: str
    path: Path
    keep: int | None = 0  # articles that must come out of ingest + clean (None: any number)
    rejected: bool = True  # a rejection naming the input is required
    single_file: bool = True  # a plain file (can be mixed into a folder of good files)
    check: Callable[[dict[str, Any]], str | None] | None = None  # extra check on the outcome
    names: str | None = None  # what a rejection must name, when not the file (a record's URL)
    folder_skips: bool = False  # a folder skips it (no supported suffix): named only when given


@dataclass
class _Corpus:
    root: Path
    items: list[BadInput] = field(default_factory=list)
    _bomb: bytes | None = None

    def file(self, kind: str, name: str, data: bytes | str, **expect: Any) -> Path:
        path = self.root / kind / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.items.append(BadInput(kind=kind, path=path, **expect))
        return path

    def special(self, kind: str, name: str, make: Callable[[Path], None], **expect: Any) -> None:
        path = self.root / kind / name
        path.parent.mkdir(parents=True, exist_ok=True)
        make(path)
        self.items.append(BadInput(kind=kind, path=path, **expect))

    def bomb_member(self) -> bytes:
        """One gzip member of 256 MiB of zeros (~250 KB), built once and reused."""
        if self._bomb is None:
            compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
            zeros = bytes(MIB)
            parts = [compressor.compress(zeros) for _ in range(256)]
            parts.append(compressor.flush())
            self._bomb = b"".join(parts)
        return self._bomb


def build_corpus(root: Path) -> list[BadInput]:
    """Write every kind of bad input under *root*; return them with their expectations."""
    corpus = _Corpus(root)
    for add in (_files, _encodings, _gzips, _json, _jsonl, _feeds, _html, _warcs):
        add(corpus)
    return corpus.items


# --------------------------------------------------------------------------- file system


def _files(c: _Corpus) -> None:
    good = article_text(1)
    c.special("fifo", "pipe.txt", lambda p: os.mkfifo(p))
    c.special("dev-zero", "zero.txt", lambda p: p.symlink_to("/dev/zero"))
    c.special("dev-urandom", "random.html", lambda p: p.symlink_to("/dev/urandom"))
    c.special("dev-null", "null.txt", lambda p: p.symlink_to("/dev/null"))
    c.special("dangling-symlink", "gone.txt", lambda p: p.symlink_to(p.parent / "nowhere"))
    c.special("missing", "missing.txt", lambda p: None, single_file=False)
    c.special("sparse-300mb-txt", "huge.txt", lambda p: _sparse(p, 300 * MIB))
    c.special("sparse-300mb-warc", "huge.warc", lambda p: _sparse(p, 300 * MIB))
    c.special("unix-socket", "sock.txt", _unix_socket)
    c.special("empty-folder", "empty", lambda p: p.mkdir(), single_file=False)
    c.special("unsupported-only-folder", "docs", _unsupported_folder, single_file=False)
    c.special("hidden-only-folder", "hidden", _hidden_folder, single_file=False)
    c.special("symlink-loop-folder", "loop", _loop_folder, single_file=False)
    name = os.fsdecode(b"caf\xe9-not-utf8.txt")
    c.file("non-utf8-name", name, good, keep=1, rejected=False)
    c.file("escape-in-name", "a\x1b[2Jb\x07.txt", article_text(2), keep=1, rejected=False)
    c.special(
        "folder-named-txt",
        "dir.txt",
        _folder_named_txt,
        keep=1,
        rejected=False,
        single_file=False,
    )
    if os.geteuid() != 0:  # root reads any file: no unreadable file can be made
        c.special("unreadable-file", "locked.txt", _unreadable, single_file=False)


def _folder_named_txt(path: Path) -> None:
    path.mkdir()
    (path / "inner.txt").write_text(article_text(3))


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as handle:
        handle.truncate(size)


def _unix_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    cwd = os.getcwd()
    try:  # bind by a short relative name: socket paths are limited to ~107 bytes
        os.chdir(path.parent)
        server.bind(path.name)
    finally:
        os.chdir(cwd)
        server.close()


def _unsupported_folder(path: Path) -> None:
    path.mkdir()
    (path / "report.pdf").write_bytes(b"%PDF-1.7 not read")
    (path / "notes.docx").write_bytes(b"PK\x03\x04 not read")
    (path / "README").write_text("no suffix")


def _hidden_folder(path: Path) -> None:
    path.mkdir()
    (path / ".draft.txt").write_text(article_text(4))
    (path / ".git").mkdir()
    (path / ".git" / "x.txt").write_text(article_text(5))


def _loop_folder(path: Path) -> None:
    path.mkdir()
    (path / "again").symlink_to(path, target_is_directory=True)


def _unreadable(path: Path) -> None:
    path.write_text(article_text(6))
    path.chmod(0)


# --------------------------------------------------------------------------- bytes and encodings


def _encodings(c: _Corpus) -> None:
    text = article_text(7)
    for kind, name, data in (
        ("empty-txt", "empty.txt", b""),
        ("spaces-txt", "spaces.txt", b"  \n\t\n  "),
        ("bom-only-txt", "bom.txt", b"\xef\xbb\xbf"),
        ("latin1-txt", "latin1.txt", "Caf\u00e9 cr\u00e8me. ".encode("latin-1") * 20),
        ("utf16-odd-bytes", "odd.txt", b"\xff\xfe" + "Hello".encode("utf-16-le") + b"\x00"),
        ("overlong-utf8", "overlong.txt", b"The council \xc0\xaf said so. " * 10),
        ("utf8-encoded-surrogate", "surrogate.txt", b"The council \xed\xa0\x80 said so. " * 10),
        ("random-binary-txt", "random.txt", random.Random(1).randbytes(4096)),
        ("pdf-as-txt", "doc.txt", b"%PDF-1.7\n" + b"x" * 100),
        ("png-as-html", "img.html", b"\x89PNG\r\n\x1a\n" + b"x" * 100),
        ("zip-as-json", "data.json", b"PK\x03\x04" + b"x" * 100),
        ("elf-as-jsonl", "prog.jsonl", b"\x7fELF" + b"x" * 100),
        ("jpeg-as-feed", "feed.xml", b"\xff\xd8\xff\xe0" + b"x" * 100),
        ("gif-as-txt", "anim.txt", b"GIF89a" + b"x" * 100),
        ("nul-at-start", "nul0.txt", b"\x00" + text.encode()),
        ("nul-after-8k-txt", "nul8k.txt", (text * 40).encode()[:9000] + b"\x00" + b"tail"),
        ("nul-after-8k-html", "nul8k.html", (article_html(8) * 20).encode() + b"\x00<p>x</p>"),
        ("utf16-nul-char", "u16nul.txt", ("\ufeff" + text * 30 + "\x00 end").encode("utf-16-le")),
        ("over-article-chars", "long.txt", ("word " * 300_000).encode()),
        ("single-20mb-line", "line.txt", b"x" * (20 * MIB)),
    ):
        c.file(kind, name, data)
    c.file("utf16-good", "u16.txt", ("\ufeff" + text).encode("utf-16-le"), keep=1, rejected=False)
    sentence = "The council met on Tuesday and it voted for the plan. "
    paragraph = (text.split("\n\n")[0] + "\n\n" + sentence * 16_000).encode()  # ~880,000 chars
    # Over max_article_chars (briefing it would take minutes and GBs): refused, not split.
    c.file("one-paragraph-16000-sentences", "para.txt", paragraph)


# --------------------------------------------------------------------------- gzip


def _gzips(c: _Corpus) -> None:
    text = article_text(9).encode()
    bomb = c.bomb_member() * 8  # 2 GiB of zeros in ~2 MB
    for kind, name in (
        ("gzip-bomb-txt", "bomb.txt.gz"),
        ("gzip-bomb-jsonl", "bomb.jsonl.gz"),
        ("gzip-bomb-html", "bomb.html.gz"),
        ("gzip-bomb-json", "bomb.json.gz"),
        ("gzip-bomb-feed", "bomb.xml.gz"),
        ("gzip-bomb-no-gz-suffix", "bomb.txt"),
        ("gzip-bomb-warc", "bomb.warc.gz"),
        ("gzip-bomb-unknown-suffix", "bomb.gz"),
    ):
        c.file(kind, name, bomb, folder_skips=name == "bomb.gz")
    whole = gzip.compress(text)
    c.file("gzip-truncated", "cut.txt.gz", whole[: len(whole) // 2])
    crc = bytearray(whole)
    crc[-8] ^= 0xFF
    c.file("gzip-bad-crc", "crc.txt.gz", bytes(crc))
    c.file("gzip-header-then-junk", "junk.txt.gz", b"\x1f\x8b" + b"not deflate data" * 10)
    c.file("gzip-trailing-junk", "trail.txt.gz", whole + b"trailing junk")
    c.file("gzip-of-gzip", "twice.txt.gz", gzip.compress(whole))
    c.file("gzip-of-nothing", "nothing.txt.gz", gzip.compress(b""))
    half = len(text) // 2
    members = gzip.compress(text[:half]) + gzip.compress(text[half:])
    c.file("gzip-multi-member", "multi.txt.gz", members, keep=1, rejected=False)


# --------------------------------------------------------------------------- JSON


def _deep(depth: int, leaf: str = "1") -> str:
    return "[" * depth + leaf + "]" * depth


def _json(c: _Corpus) -> None:
    text = json.dumps(article_text(10))
    for kind, data in (
        ("json-invalid", '{"text": "x",\n'),
        ("json-scalar", "42"),
        ("json-string", '"just a string"'),
        ("json-null", "null"),
        ("json-list-of-scalars", "[1, 2, 3]"),
        ("json-empty-file", ""),
        ("json-deep-1000", _deep(1000)),
        ("json-deep-100000", _deep(100_000)),
        ("json-deep-field-900", f'{{"text": {text}, "extra": {_deep(900)}}}'),
        ("json-deep-object-5000", '{"a":' * 5000 + "1" + "}" * 5000),
        ("json-int-5000-digits", f'{{"text": {text}, "views": {"9" * 5000}}}'),
        ("json-published-5000-digits", f'{{"text": {text}, "published": {"1" * 5000}}}'),
        ("json-published-nan", f'{{"text": {text}, "published": NaN}}'),
        ("json-published-infinity", f'{{"text": {text}, "published": -Infinity}}'),
        ("json-published-1e400", f'{{"text": {text}, "published": 1e400}}'),
        ("json-text-lone-surrogate", '{"text": "The council \\ud800 voted on the plan today."}'),
        ("json-title-lone-surrogate", f'{{"text": {text}, "title": "bad \\udfff title"}}'),
        ("json-text-nul-escape", f'{{"text": {text[:-1]} \\u0000 end"}}'),
        ("json-title-nul-escape", f'{{"text": {text}, "title": "a\\u0000b"}}'),
        ("json-text-number", '{"text": 5}'),
        ("json-text-list", '{"text": ["a", "b"]}'),
        ("json-text-empty", '{"text": "   "}'),
        ("json-html-200k-elements", json.dumps({"html": "<p>x</p>" * 200_001})),
        ("json-text-over-chars", json.dumps({"text": "word " * 300_000})),
        ("json-trailing-garbage", f'{{"text": {text}}} trailing'),
    ):
        c.file(kind, f"{kind}.json", data)
    for kind, value in (
        ("json-published-1e20", "1e20"),
        ("json-published-minus-1e15", "-1e15"),
        ("json-published-true", "true"),
        ("json-published-object", '{"year": 2022}'),
        ("json-published-year-99999", '"99999-01-01"'),
        ("json-published-year-1-offset", '"0001-01-01T00:00:00+05:00"'),
        ("json-published-garbage-string", '"next tuesday-ish"'),
    ):
        data = f'{{"text": {text}, "published": {value}}}'
        c.file(kind, f"{kind}.json", data, keep=1, rejected=False, check=_no_date)
    for kind, data in (
        ("json-surrogate-key", f'{{"\\ud800": 1, "text": {text}}}'),
        ("json-surrogate-id", f'{{"id": "x\\ud800", "text": {text}}}'),
        ("json-object-id", f'{{"id": {{"a": 1}}, "text": {text}}}'),
        ("json-bom", "\ufeff" + f'{{"text": {text}}}'),
        ("json-duplicate-keys", f'{{"text": "short", "text": {text}}}'),
    ):
        c.file(kind, f"{kind}.json", data, keep=1, rejected=False)
    mixed = [record(11), {"text": 5}, record(12), record(13)]
    c.file("json-list-one-bad", "mixed.json", json.dumps(mixed), keep=3)


def _no_date(outcome: dict[str, Any]) -> str | None:
    dated = [a for a in outcome["articles"] if a["published"] and a["published"] > "2100"]
    return f"implausible dates kept: {dated}" if dated else None


# --------------------------------------------------------------------------- JSONL


def _jsonl(c: _Corpus) -> None:
    def lines(*middle: str) -> str:
        good = [json.dumps(record(20 + n)) for n in range(2)]
        return "\n".join([good[0], *middle, good[1]]) + "\n"

    text = json.dumps(article_text(30))
    for kind, middle in (
        ("jsonl-invalid-line", "{not json"),
        ("jsonl-deep-line", _deep(1000)),
        ("jsonl-int-5000-line", f'{{"text": {text}, "n": {"7" * 5000}}}'),
        ("jsonl-nan-line", f'{{"text": {text}, "published": NaN}}'),
        ("jsonl-surrogate-line", '{"text": "x \\ud800 y and the council voted on it."}'),
        ("jsonl-array-line", "[1, 2]"),
        ("jsonl-20mb-line", json.dumps({"text": "x" * (20 * MIB)})),
        ("jsonl-published-1e20-line", f'{{"id": "d", "text": {text}, "published": 1e20}}'),
    ):
        keep = 3 if kind == "jsonl-published-1e20-line" else 2
        c.file(kind, f"{kind}.jsonl", lines(middle), keep=keep, rejected=keep == 2)
    good = [json.dumps(record(40 + n)).encode() for n in range(2)]
    c.file("jsonl-raw-nul-line", "nul.jsonl", good[0] + b'\n{"text": "a\x00b"}\n' + good[1], keep=2)
    latin = '{"text": "Caf\u00e9 cr\u00e8me and the council."}'.encode("latin-1")
    c.file("jsonl-latin1-line", "latin.jsonl", good[0] + b"\n" + latin + b"\n" + good[1], keep=2)
    seps = [
        json.dumps(
            record(50 + n, text=article_text(50 + n).replace(". ", sep, 1)), ensure_ascii=False
        )
        for n, sep in enumerate((".\u2028", ".\u2029", ".\u0085"))
    ]
    c.file("jsonl-u2028-u2029-u0085", "seps.jsonl", "\n".join(seps), keep=3, rejected=False)
    crlf = "\r\n".join(json.dumps(record(60 + n)) for n in range(2)) + "\r\n"
    c.file("jsonl-crlf", "crlf.jsonl", crlf, keep=2, rejected=False)
    cr_only = "\r".join(json.dumps(record(70 + n)) for n in range(2))
    c.file("jsonl-cr-only", "cr.jsonl", cr_only)
    c.file("jsonl-blank-lines-only", "blank.jsonl", "\n\n   \n\n")
    c.file("jsonl-empty-file", "empty.jsonl", "")
    c.file("jsonl-200k-empty-objects", "objects.jsonl", "{}\n" * 200_000)
    utf16 = ("\ufeff" + json.dumps(record(80))).encode("utf-16-le")
    c.file("jsonl-utf16", "u16.jsonl", utf16, keep=1, rejected=False)
    _story_ids(c, lines)


def _story_ids(c: _Corpus, lines: Callable[..., str]) -> None:
    # Story ids that could be stored but never read back at /api/stories/<id>.
    for kind, story in (
        ("jsonl-story-slash", "2022/01/kazakhstan"),
        ("jsonl-story-backslash", "2022\\01"),
        ("jsonl-story-control-char", "a\x1b[2Jb"),
        ("jsonl-story-dot-dot", ".."),
        ("jsonl-story-300-chars", "s" * 300),
    ):
        c.file(kind, f"{kind}.jsonl", lines(json.dumps(record(85, story=story))), keep=2)
    # The same article given to two stories: story "only-copy" would vanish without a word.
    conflict = [
        record(86, id="conflict-a", story="first"),
        record(86, id="conflict-b", story="only-copy"),
        record(87, id="conflict-c", story="first"),
    ]
    c.file(
        "jsonl-same-article-two-stories",
        "conflict.jsonl",
        "\n".join(json.dumps(item) for item in conflict),
        keep=3,
        names="conflict-b",
    )


# --------------------------------------------------------------------------- feeds


def _rss(items: str, title: str = "Northbridge News") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{title}</title><link>https://news.example/</link>{items}</channel></rss>"
    )


def _item(
    n: int, content: str, escape: bool = True, date: str = "Tue, 11 Jan 2022 10:00:00 GMT"
) -> str:
    body = content.replace("&", "&amp;").replace("<", "&lt;") if escape else content
    return (
        f"<item><title>Story {n}</title><link>https://news.example/{n}</link>"
        f"<pubDate>{date}</pubDate><content:encoded>{body}</content:encoded></item>"
    )


def _feeds(c: _Corpus) -> None:
    plain = "".join(_item(n, article_text(90 + n).replace("\n\n", " ")) for n in range(2))
    c.file("feed-plain-text-entries", "plain.xml", _rss(plain), keep=2, rejected=False)
    single_p = "".join(
        _item(n, "<p>" + article_text(92 + n).replace("\n\n", " ") + "</p>") for n in range(2)
    )
    c.file("feed-single-p-entries", "onep.xml", _rss(single_p), keep=2, rejected=False)
    summary = (
        "<item><title>Teaser</title><link>https://news.example/t</link>"
        "<description>Only a teaser.</description></item>"
    )
    c.file("feed-summary-only", "teaser.xml", _rss(summary))
    full = _rss(plain)
    c.file("feed-truncated", "cut.xml", full[: full.rindex("<item>") + 40], keep=1)
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
        ).replace("&lol0;", "&lol;")
        + ']><rss version="2.0"><channel><title>&lol9;</title>'
        + "<item><title>x</title><description>&lol9;</description></item></channel></rss>"
    )
    c.file("feed-billion-laughs", "laughs.xml", laughs, check=_small_texts)
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>t</title><item><title>x</title><link>https://news.example/x</link>"
        "<content:encoded>&x;</content:encoded></item></channel></rss>"
    )
    c.file("feed-xxe", "xxe.xml", xxe, check=_no_passwd)
    c.file("feed-random-bytes", "noise.rss", random.Random(2).randbytes(3000))
    c.file("feed-no-entries", "none.xml", _rss(""))
    bad_date = _item(
        1, article_text(95).replace("\n\n", " "), date="Tue, 11 Jan 99999 10:00:00 GMT"
    )
    c.file("feed-bad-date", "date.xml", _rss(bad_date), keep=1, rejected=False)
    nul = _item(1, "The council &#0; voted on the plan. " * 20, escape=False)
    c.file("feed-nul-charref", "nul.xml", _rss(nul), check=_no_bad_chars)
    surrogate = _item(1, "The council &#xD800; voted on the plan. " * 20, escape=False)
    c.file("feed-surrogate-charref", "sur.xml", _rss(surrogate), check=_no_bad_chars)
    deep = _item(1, "<div>" * 5000 + "<p>" + article_text(96) + "</p>" + "</div>" * 5000)
    c.file("feed-deep-html-entry", "deep.xml", _rss(deep))
    many = _item(1, "<b>x</b>" * 200_001)
    c.file("feed-200k-elements-entry", "many.xml", _rss(many))
    c.file("feed-empty-file", "empty.xml", "")
    mixed = _rss(
        _item(1, article_text(97).replace("\n\n", " "))
        + summary
        + _item(2, article_text(98).replace("\n\n", " "))
    )
    c.file("feed-one-summary-entry", "mixed.xml", mixed, keep=2)


def _small_texts(outcome: dict[str, Any]) -> str | None:
    big = [a for a in outcome["articles"] if a["chars"] > 100_000]
    return "an entity expansion reached an article" if big else None


def _no_passwd(outcome: dict[str, Any]) -> str | None:
    leaked = [a for a in outcome["articles"] if "root:" in a["head"]]
    return "/etc/passwd was read into an article" if leaked else None


def _no_bad_chars(outcome: dict[str, Any]) -> str | None:
    bad = [a for a in outcome["articles"] if a["bad_chars"]]
    return "an article holds NUL or a lone surrogate" if bad else None


# --------------------------------------------------------------------------- HTML


def _html(c: _Corpus) -> None:
    text = article_text(100)
    page = article_html(101)
    for kind, data in (
        ("html-1m-elements", "<html><body>" + "<b>x</b>" * 1_000_000 + "</body></html>"),
        ("html-deep-5000", "<html><body>" + "<div>" * 5000 + "<p>" + text + "</p></body></html>"),
        ("html-deep-100000", "<html><body>" + "<div>" * 100_000 + text + "</body></html>"),
        (
            "html-script-only",
            "<html><body><script>" + "var x = 1;" * 1000 + "</script></body></html>",
        ),
        ("html-over-bytes", "<html><body><p>" + "word " * (12 * MIB // 5) + "</p></body></html>"),
        ("html-angle-soup", "<<<<>>>>" * 50_000),
        ("html-empty-tags", "<html><body>" + "<div></div>" * 5000 + "</body></html>"),
    ):
        c.file(kind, f"{kind}.html", data)
    single_p = "<p>" + text.replace("\n\n", " ") + "</p>"
    # A saved fragment is not a page: an article or a rejection naming it are both right.
    c.file("html-fragment-single-p", "frag.html", single_p, keep=None, rejected=False)
    c.file("html-plain-text-only", "plain.html", text, keep=None, rejected=False)
    c.file(
        "html-bogus-charset",
        "charset.html",
        page.replace("<head>", '<head><meta charset="x-no-such-charset">'),
        keep=1,
        rejected=False,
    )
    c.file("html-utf16", "u16.html", ("\ufeff" + page).encode("utf-16-le"), keep=1, rejected=False)
    laughs = (
        '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">'
        + "".join(
            f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 9)
        ).replace("&a0;", "&a;")
        + "]>"
        + page.replace("</article>", "<p>&a8;</p></article>")
    )
    c.file("html-billion-laughs", "laughs.html", laughs, keep=1, rejected=False, check=_small_texts)
    attribute = page.replace("<article>", f'<article data-x="{"y" * (8 * MIB)}">')
    c.file("html-8mb-attribute", "attr.html", attribute, keep=1, rejected=False)
    # Under max_html_bytes, over libxml2's own 10,000,000-byte limit for one node: lxml would
    # drop the rest of the page (the article kept, cut short, or "no main text found").
    huge = 10_100_000
    c.file(
        "html-text-node-over-libxml2",
        "node.html",
        page.replace("</h1>", "</h1><p>" + "w " * (huge // 2) + "</p>"),
    )
    c.file(
        "html-attribute-over-libxml2",
        "hattr.html",
        page.replace("<article>", f'<article data-x="{"y" * huge}">'),
    )
    c.file(
        "html-comment-over-libxml2",
        "comment.html",
        page.replace("</h1>", f"</h1><!--{'c' * huge}-->"),
    )
    c.file(
        "html-text-over-article-chars",
        "longtext.html",
        page.replace("</h1>", "</h1><p>" + "word " * 300_000 + "</p>"),
    )


# --------------------------------------------------------------------------- WARC


def _warc_record(
    url: str, html: bytes, *, gzip_members: bool, extra: tuple[tuple[str, str], ...] = ()
) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip_members)
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8"), *extra], protocol="HTTP/1.1"
    )
    writer.write_record(
        writer.create_warc_record(url, "response", payload=io.BytesIO(html), http_headers=headers)
    )
    return buffer.getvalue()


def _warc(n: int, *, gz: bool) -> list[bytes]:
    return [
        _warc_record(
            f"https://news.example/w{n}-{i}",
            article_html(110 + n * 3 + i).encode(),
            gzip_members=gz,
        )
        for i in range(3)
    ]


def _raw_warc(url: str, http: bytes, content_length: str | None = None) -> bytes:
    length = content_length if content_length is not None else str(len(http))
    return (
        (
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
            f"WARC-Target-URI: {url}\r\nWARC-Date: 2022-01-11T10:00:00Z\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n"
        ).encode()
        + http
        + b"\r\n\r\n"
    )


def _warcs(c: _Corpus) -> None:
    records = _warc(0, gz=True)
    whole = b"".join(records)
    cut = len(records[0]) + len(records[1]) + len(records[2]) // 2
    c.file("warc-gz-truncated", "cut.warc.gz", whole[:cut], keep=2)
    plain = b"".join(_warc(1, gz=False))
    c.file("warc-truncated", "cut.warc", plain[: len(plain) - 200], keep=2)
    first = _warc(2, gz=False)[0]
    c.file("warc-garbage-after", "junk.warc", first + b"this is not a warc record\r\n\r\n", keep=1)
    c.file("warc-not-a-warc", "text.warc", article_text(120))
    c.file("warc-random-gzip", "noise.warc.gz", gzip.compress(random.Random(3).randbytes(5000)))
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + article_html(121).encode()
    c.file(
        "warc-content-length-huge",
        "len.warc",
        _raw_warc("https://news.example/l", http, "99999999999"),
    )
    c.file(
        "warc-content-length-negative", "neg.warc", _raw_warc("https://news.example/n", http, "-5")
    )
    c.file(
        "warc-content-length-junk",
        "junk-len.warc",
        _raw_warc("https://news.example/j", http, "ten"),
    )
    chunked = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n"
    c.file(
        "warc-broken-chunked",
        "chunk.warc",
        _raw_warc("https://news.example/c", chunked),
        names="news.example/c",
        keep=None,
    )
    bad_gzip = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
        + b"not gzip at all" * 20
    )
    c.file(
        "warc-broken-content-encoding",
        "enc.warc",
        _raw_warc("https://news.example/e", bad_gzip),
        names="news.example/e",
        keep=None,
    )
    request = (
        b"WARC/1.0\r\nWARC-Type: request\r\nWARC-Record-ID: <urn:uuid:2>\r\n"
        b"WARC-Target-URI: https://news.example/r\r\nContent-Length: 4\r\n\r\nGET \r\n\r\n"
    )
    c.file("warc-no-html-responses", "req.warc", request)
    nul_page = (article_html(122) * 10).encode() + b"\x00"
    good = _warc_record("https://news.example/ok", article_html(123).encode(), gzip_members=True)
    nul_record = _warc_record("https://news.example/nul", nul_page, gzip_members=True)
    c.file("warc-nul-payload", "nul.warc.gz", nul_record + good, keep=1)
    deep = ("<html><body>" + "<div>" * 5000 + article_html(124) + "</body></html>").encode()
    c.file(
        "warc-deep-html-payload",
        "deep.warc.gz",
        _warc_record("https://news.example/d", deep, gzip_members=True) + good,
        keep=1,
    )
    bad_date = _raw_warc("https://news.example/date", http).replace(
        b"2022-01-11T10:00:00Z", b"year 99999"
    )
    c.file("warc-bad-date", "date.warc", bad_date, keep=1, rejected=False)
    c.file(
        "warc-header-line-20mb",
        "hdr.warc",
        b"WARC/1.0\r\nX-Junk: " + b"a" * (20 * MIB) + b"\r\n\r\n",
    )
    c.file("warc-empty-file", "empty.warc", b"")
    bomb = c.bomb_member()
    header = _raw_warc(
        "https://news.example/b",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
        str(3 * 256 * MIB),
    )
    c.file("warc-record-bomb", "bomb.warc.gz", gzip.compress(header[:-4]) + bomb * 3)
    encoded = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n" + bomb
    plain_good = _warc_record(
        "https://news.example/ok2", article_html(125).encode(), gzip_members=False
    )
    c.file(
        "warc-content-encoding-bomb",
        "enc-bomb.warc",
        _raw_warc("https://news.example/eb", encoded) + plain_good,
        keep=1,
    )


# --------------------------------------------------------------------------- running


def outcome_of(path: Path) -> dict[str, Any]:
    """Read and clean *path* as the CLI does; a summary of what came out (JSON-able)."""
    from newsprism.ingest import read_inputs
    from newsprism.pipeline import clean_documents, story_conflicts

    started = time.perf_counter()
    result = read_inputs([str(path)])
    articles, cleaning = clean_documents(result.documents)
    rejections = [*result.rejections, *cleaning, *story_conflicts(articles)]
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "articles": [
            {
                "id": a.id,
                "source": _safe(a.source),
                "chars": len(a.text),
                "head": _safe(a.text[:2000]),
                "published": a.published.isoformat() if a.published else None,
                "bad_chars": any(ch == "\x00" or "\ud800" <= ch <= "\udfff" for ch in a.text),
            }
            for a in articles
        ],
        "rejections": [
            {"source": _safe(r.source), "reason": _safe(r.reason[:600]), "code": r.code}
            for r in rejections[:200]
        ],
        "rejection_count": len(rejections),
    }


def _safe(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _resident_kb() -> int:
    """This process's resident memory now, in KiB (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def run_isolated(
    work: Callable[[], dict[str, Any]],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    memory: int = DEFAULT_MEMORY,
) -> dict[str, Any]:
    """Run *work* in a forked child capped at *memory* bytes of address space and *timeout* s.

    Returns its result plus ``status`` (ok, exception, timeout, killed), ``peak_mb`` (the
    child's peak resident memory above what it shares with its parent at the fork: a forked
    child's RSS starts at the parent's, and the parent is pytest with models loaded) and, for
    an exception, its ``error`` and ``traceback``.
    """
    reader, writer = os.pipe()
    parent_kb = _resident_kb()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        _child(writer, work, timeout, memory)
    os.close(writer)
    chunks = []
    deadline = time.monotonic() + timeout + 10
    with os.fdopen(reader, "rb") as pipe:
        os.set_blocking(pipe.fileno(), False)
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            chunk = _drain(pipe)
            if chunk:
                chunks.append(chunk)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)
        chunks.append(_drain(pipe))
    raw = b"".join(chunks)
    result: dict[str, Any] = json.loads(raw) if raw else {}
    result["peak_mb"] = round(max(usage.ru_maxrss - parent_kb, 0) / 1024, 1)
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        result["status"] = "timeout" if number in (signal.SIGALRM, signal.SIGKILL) else "killed"
        result["error"] = f"signal {signal.Signals(number).name}"
    elif not result:
        result = {**result, "status": "killed", "error": f"exit status {status}"}
    return result


def _drain(pipe: io.BufferedReader) -> bytes:
    try:
        return pipe.read() or b""
    except BlockingIOError:
        return b""


def _address_space() -> int:
    """This process's current virtual memory size in bytes (VmSize)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(writer: int, work: Callable[[], dict[str, Any]], timeout: float, memory: int) -> None:
    import traceback

    code = 0
    try:
        # A forked child starts with its parent's address space (a test session that loaded
        # spaCy and the embedder is over 1 GB): the budget is what the input may add to it.
        limit = _address_space() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        signal.alarm(max(1, int(timeout)))
        try:
            result = {"status": "ok", **work()}
        except BaseException as error:  # noqa: BLE001 (report every escape, MemoryError too)
            result = {
                "status": "exception",
                "error": f"{type(error).__name__}: {str(error)[:300]}",
                "traceback": traceback.format_exc()[-3000:],
            }
        data = json.dumps(result).encode()
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # noqa: BLE001 (the child must always exit below)
        code = 3
    finally:
        os._exit(code)


def judge(item: BadInput, outcome: dict[str, Any], *, extra_good: int = 0) -> str | None:
    """Why *outcome* is not a clean handling of *item* (None when it is)."""
    if outcome.get("status") != "ok":
        return f"{outcome.get('status')}: {outcome.get('error')}"
    kept = len(outcome["articles"])
    if item.keep is None:
        if kept < extra_good:
            return f"kept {kept} articles, expected at least the {extra_good} good ones"
    elif kept != item.keep + extra_good:
        return f"kept {kept} articles, expected {item.keep + extra_good}"
    if item.rejected:
        name = item.names or _safe(item.path.name)
        named = [r for r in outcome["rejections"] if name in r["source"] or name in r["reason"]]
        if not named:
            return f"no rejection names {name!r}: {outcome['rejections'][:3]}"
    if item.check is not None:
        return item.check(outcome)
    return None


def preload() -> None:
    """Import the readers once in the parent, so forked children start fast."""
    import feedparser  # noqa: F401
    import lxml.html  # noqa: F401
    import trafilatura  # noqa: F401
    import warcio.archiveiterator  # noqa: F401

    import newsprism.clean  # noqa: F401
    import newsprism.ingest  # noqa: F401
    import newsprism.pipeline  # noqa: F401


def main(argv: list[str] | None = None) -> int:
    """Build the corpus, run every kind, print a table and the totals."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    parser.add_argument("--only", help="run only kinds containing this text")
    args = parser.parse_args(argv)
    preload()
    root = args.keep or Path(tempfile.mkdtemp(prefix="newsprism-bad-"))
    items = build_corpus(root)
    clean = 0
    worst = (0.0, "")
    for item in items:
        if args.only and args.only not in item.kind:
            continue
        outcome = run_isolated(functools.partial(outcome_of, item.path), timeout=args.timeout)
        problem = judge(item, outcome)
        clean += problem is None
        worst = max(worst, (outcome["peak_mb"], item.kind))
        mark = "ok  " if problem is None else "FAIL"
        print(
            f"{mark} {item.kind:36} {outcome.get('seconds', '-'):>8} s {outcome['peak_mb']:>8} MB  {problem or ''}"[
                :400
            ]
        )
    print(
        f"{clean} of {len(items)} kinds handled cleanly; worst peak memory {worst[0]} MB ({worst[1]})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
