"""Plain-text inputs, and the byte checks every text-like format shares (binary, encoding)."""

from __future__ import annotations

from newsprism.errors import EmptyInput, UnreadableInput
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
SUPPORTED = ".txt, .html, .json, .jsonl, RSS/Atom feeds (.xml, .rss, .atom) and .warc[.gz]"


def check_not_binary(source: str, data: bytes) -> None:
    """Raise UnreadableInput when *data* is a binary file rather than text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise UnreadableInput(source, f"this is {kind}, not text; newsprism reads {SUPPORTED}")
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 text holds NUL bytes by design
    if b"\x00" in head:
        raise UnreadableInput(
            source, f"binary data (NUL bytes) where text was expected; newsprism reads {SUPPORTED}"
        )


def decode_text(source: str, data: bytes) -> str:
    """Decode text bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    Raises:
        UnreadableInput: binary data, or bytes that are not in one of those encodings.
    """
    check_not_binary(source, data)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableInput(source, f"broken UTF-16 text ({error.reason})") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableInput(
            source,
            f"not UTF-8 text (byte {data[error.start]:#04x} at offset {error.start}); "
            "re-encode the file as UTF-8, e.g. `iconv -f latin1 -t utf-8 FILE`",
        ) from error


def read_text(source: str, data: bytes) -> list[RawDocument | Rejection]:
    """One plain-text article (stored as UTF-8 bytes)."""
    text = decode_text(source, data)
    if not text.strip():
        raise EmptyInput(source, "the file is empty (no text); remove it or add the article text")
    return [RawDocument(source=source, data=text.encode("utf-8"), media_type="text/plain")]
