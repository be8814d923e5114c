"""Plain-text inputs, and the checks every text-like format shares (binary, encoding, NUL).

NUL bytes: a text with a NUL anywhere (not only in its first 8 KB) is rejected as binary,
naming the offset. We reject rather than strip: NUL is never part of an article, so a NUL
means a corrupt or binary file whose other bytes are suspect too, and PostgreSQL cannot store
NUL in a text column (SQLite would, so the two stores would differ). Lone UTF-16 surrogates
(``"\\ud800"`` in JSON) are rejected for the same reason: they cannot be encoded as UTF-8.
"""

from __future__ import annotations

import re

from newsprism.data.limits import Limits, over_limit
from newsprism.errors import EmptyInput, InputTooLarge, UnreadableInput
from newsprism.model import RawDocument, Rejection

# Magic numbers of binary formats people point newsprism at by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\x7fELF", "a program"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")
# UTF-8 takes at most 4 bytes per character: more bytes than this cannot fit the char limit.
_MAX_BYTES_PER_CHAR = 4
SUPPORTED = ".txt, .html, .json, .jsonl, RSS/Atom feeds (.xml, .rss, .atom) and .warc[.gz]"


def check_not_binary(source: str, data: bytes) -> None:
    """Raise UnreadableInput when *data* is a binary file rather than text (NUL anywhere)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise UnreadableInput(source, f"this is {kind}, not text; newsprism reads {SUPPORTED}")
    if data.startswith(_UTF16_BOMS):
        return  # UTF-16 text holds NUL bytes by design; check_text checks it once decoded
    offset = data.find(b"\x00")
    if offset >= 0:
        raise UnreadableInput(
            source,
            f"binary data (NUL bytes) where text was expected (the first at offset {offset:,}); "
            f"newsprism reads {SUPPORTED}",
        )


def check_text(source: str, text: str, what: str = "the text") -> None:
    """Raise UnreadableInput when *text* holds a NUL or a lone surrogate (see module docstring)."""
    found = _BAD_CHAR.search(text)
    if found is None:
        return
    char = found.group()
    problem = "a NUL character" if char == "\x00" else f"a lone UTF-16 surrogate \\u{ord(char):04x}"
    raise UnreadableInput(
        source,
        f"{what} holds {problem} at character {found.start():,}; that is not text "
        "(fix the program that wrote this input)",
    )


def check_chars(source: str, text: str, limits: Limits) -> None:
    """Raise InputTooLarge when *text* is longer than one article may be."""
    if len(text) > limits.max_article_chars:
        what = f"a text of {len(text):,} characters"
        raise InputTooLarge(source, over_limit("max_article_chars", limits.max_article_chars, what))


def max_text_bytes(limits: Limits) -> int:
    """The most bytes a text of `max_article_chars` characters can take (UTF-8 or UTF-16)."""
    return limits.max_article_chars * _MAX_BYTES_PER_CHAR


def decode_text(source: str, data: bytes) -> str:
    """Decode text bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    Raises:
        UnreadableInput: binary data, NUL characters, or bytes not in one of those encodings.
    """
    check_not_binary(source, data)
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableInput(source, f"broken UTF-16 text ({error.reason})") from error
        check_text(source, text)
        return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableInput(
            source,
            f"not UTF-8 text (byte {data[error.start]:#04x} at offset {error.start:,}); "
            "re-encode the file as UTF-8, e.g. `iconv -f latin1 -t utf-8 FILE`",
        ) from error


def read_text(source: str, data: bytes, limits: Limits) -> list[RawDocument | Rejection]:
    """One plain-text article (stored as UTF-8 bytes)."""
    if len(data) > max_text_bytes(limits):
        what = f"a text file of {len(data):,} bytes (more characters than one article may have)"
        raise InputTooLarge(source, over_limit("max_article_chars", limits.max_article_chars, what))
    text = decode_text(source, data)
    check_chars(source, text, limits)
    if not text.strip():
        raise EmptyInput(source, "the file is empty (no text); remove it or add the article text")
    return [RawDocument(source=source, data=text.encode("utf-8"), media_type="text/plain")]
