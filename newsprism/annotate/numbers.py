"""Numbers as written in news copy -> floats: "2,500", "1.8 million", "$2bn", "twelve thousand".

Spelled-out numbers go through text2num; "a dozen", "a hundred" and "half a million" are
handled here because text2num rejects an article in front of the number.
"""

from __future__ import annotations

import re

from newsprism.data.hedges import SCALE_WORDS

NUMBER_WORDS: frozenset[str] = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
    ]  # noqa: SIM905 - a word list reads better as one string
)
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_ARTICLE = re.compile(r"^(?:a|an|one)\s+")


def parse_number(text: str) -> float | None:
    """The value of one number expression without hedges, or None when it is not a number.

    >>> parse_number("1.8 million"), parse_number("twelve thousand"), parse_number("a dozen")
    (1800000.0, 12000.0, 12.0)
    """
    words = text.lower().replace("\u2009", " ").strip().split()
    if not words:
        return None
    if words[0] == "half" and len(words) >= 2:
        rest = parse_number(" ".join(words[1:]))
        return rest / 2 if rest is not None else None
    scale = 1.0
    # Trailing scale words multiply whatever precedes them: "1.8 million", "2 dozen".
    while len(words) > 1 and words[-1] in SCALE_WORDS and _DIGITS.match(words[-2]):
        scale *= SCALE_WORDS[words[-1]]
        words = words[:-1]
    head = " ".join(words)
    if _DIGITS.match(head):
        return float(head.replace(",", "")) * scale
    head = _ARTICLE.sub("one ", head) if len(words) > 1 else head
    if head in ("dozen", "one dozen"):
        return 12.0 * scale
    if head.endswith(" dozen"):
        inner = parse_number(head[: -len(" dozen")])
        return inner * 12 * scale if inner is not None else None
    return _words_value(head, scale)


def _words_value(head: str, scale: float) -> float | None:
    tokens = head.replace("-", " ").split()
    if not tokens or not all(t in NUMBER_WORDS or t == "and" for t in tokens):
        return None
    from text_to_num import text2num

    try:
        return float(text2num(head.replace(" and ", " "), "en")) * scale
    except ValueError:
        return None
