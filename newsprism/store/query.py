"""The search syntax readers type, parsed once and written out for SQLite FTS5 or PostgreSQL.

    Tokayev OR Occupy        either word
    kaz*                     a word starting with "kaz"
    "peacekeeping mission"   the words in this order
    troops -Russia           troops, not Russia (also: troops NOT Russia)
    CSTO AND Almaty          both words (also what a space means)

Operators are written in capitals, as in SQLite FTS5 and datasette; lower-case "or" is a word.
The user's text never reaches either engine's query syntax: every term is rebuilt from its word
characters, so a stray quote, star or bracket cannot make a query fail or mean something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.data.listing import MAX_QUERY_TERMS

_WORD = re.compile(r"\w+", re.UNICODE)
# A quoted phrase (an unclosed quote runs to the end) or a run of non-space characters.
_TOKEN = re.compile(r'(-?)"([^"]*)"?(\*?)|([^\s"]+)')
_OPERATORS = frozenset({"OR", "AND", "NOT"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Term:
    """Words that must appear in this order; the last one may be a prefix."""

    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchQuery:
    """Alternatives (OR) of clauses; a clause is terms that must all hold (AND, NOT)."""

    clauses: tuple[tuple[Term, ...], ...]

    @property
    def empty(self) -> bool:
        """True when nothing can match (no clause with a term that must appear)."""
        return not self.clauses


def _term(text: str, *, phrase: bool, star: bool, negated: bool) -> Term | None:
    words = tuple(_WORD.findall(text))
    if not words:
        return None
    prefix = star or (not phrase and text.endswith("*"))
    return Term(words=words, prefix=prefix, negated=negated)


def _tokens(text: str) -> list[Term | str]:
    """Terms and operators in order; other characters are separators."""
    tokens: list[Term | str] = []
    for match in _TOKEN.finditer(text):
        minus, phrase, star, chunk = match.groups()
        if phrase is not None:
            term = _term(phrase, phrase=True, star=bool(star), negated=bool(minus))
        elif chunk in _OPERATORS:
            tokens.append(chunk)
            continue
        else:
            negated = chunk.startswith("-") and len(chunk) > 1
            term = _term(chunk.lstrip("-"), phrase=False, star=False, negated=negated)
        if term is not None:
            tokens.append(term)
    return tokens


def parse_query(text: str) -> SearchQuery:
    """Parse what a reader typed; operators without terms around them are ignored."""
    clauses: list[list[Term]] = [[]]
    negate_next = False
    kept = 0
    for token in _tokens(text):
        if token == "OR":
            clauses.append([])
            negate_next = False
        elif token == "NOT":
            negate_next = True
        elif isinstance(token, Term) and kept < MAX_QUERY_TERMS:
            if negate_next and not token.negated:
                token = Term(words=token.words, prefix=token.prefix, negated=True)
            clauses[-1].append(token)
            negate_next = False
            kept += 1
    # A clause of negations alone would mean "every story but ...": not what a search is for.
    usable = tuple(tuple(c) for c in clauses if any(not t.negated for t in c))
    return SearchQuery(clauses=usable)


def _fts5_term(term: Term) -> str:
    return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")


def to_fts5(query: SearchQuery) -> str:
    """The query as an SQLite FTS5 MATCH expression (every word quoted)."""
    parts = []
    for clause in query.clauses:
        positive = " AND ".join(_fts5_term(t) for t in clause if not t.negated)
        negative = "".join(f" NOT {_fts5_term(t)}" for t in clause if t.negated)
        parts.append(f"(({positive}){negative})" if negative else f"({positive})")
    return " OR ".join(parts)


def _tsquery_term(term: Term) -> str:
    words = [f"'{word}'" for word in term.words]
    if term.prefix:
        words[-1] += ":*"
    text = " <-> ".join(words)
    text = f"({text})" if len(words) > 1 else text
    return f"!{text}" if term.negated else text


def to_tsquery(query: SearchQuery) -> str:
    """The query as PostgreSQL `to_tsquery` text (every word quoted; the config stems them)."""
    return " | ".join(
        "(" + " & ".join(_tsquery_term(t) for t in clause) + ")" for clause in query.clauses
    )
