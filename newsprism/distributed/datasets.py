"""The Parquet tables a batch writes, their schema, and the rows of each from brief@1 JSON.

Each table is a folder of Parquet files (one per task), read whole by pandas
(``pd.read_parquet("OUT/facts")``), DuckDB (``read_parquet('OUT/facts/*.parquet')``) or Spark;
`articles` and `timeline` are partitioned by month in the hive layout (``month=YYYY-MM``
folders, which those readers turn into a ``month`` column).
Columns come from the brief@1 contract (`newsprism.contract`): a table row is one item of a
story's list (a fact, a quote, ...) with ``story_id`` and its ``position`` in that list; a
field that is a list of strings stays a list column, and a nested field (citations,
variants, claims) is a JSON string column holding exactly the contract's JSON.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NotRequired, Union, get_args, get_origin

from newsprism import contract
from newsprism.distributed.manifest import write_atomic

if TYPE_CHECKING:
    import pyarrow as pa

# table -> (contract type of its rows, column prefix fields, what a row is)
TABLES: dict[str, tuple[Any, tuple[tuple[str, Any], ...], str]] = {
    "articles": (contract.ArticleDict, (("story_id", str),), "one unique article"),
    "stories": (
        contract.ClusterStoryDict,
        (),
        "one story: its id, headline and members (article ids, brief order)",
    ),
    "facts": (contract.FactDict, (("story_id", str), ("position", int)), "one fact of a story"),
    "disagreements": (
        contract.DisagreementDict,
        (("story_id", str), ("position", int)),
        "one disagreement of a story",
    ),
    "quotes": (contract.QuoteDict, (("story_id", str), ("position", int)), "one quote group"),
    "entities": (
        contract.EntityDict,
        (("story_id", str), ("position", int)),
        "one entity of a story",
    ),
    "timeline": (
        contract.TimelineDict,
        (("story_id", str), ("position", int)),
        "one dated event of a story",
    ),
    "rejections": (contract.RejectionDict, (), "one input (or record) that gave no article"),
    "duplicates": (
        contract.DuplicateDict,
        (("group", int),),
        "one corpus-wide duplicate group (exact copies, or near copies by MinHash LSH)",
    ),
}
STORY_TABLES = ("facts", "disagreements", "quotes", "entities", "timeline")
# Tables partitioned by month (hive layout, OUT/<table>/month=YYYY-MM/), by this column: a
# study of one period reads only its folders. Articles by publication, timeline entries by
# the date they name; the story tables span their stories' dates and stay whole.
BY_MONTH = {"articles": "published", "timeline": "date"}
UNDATED = "undated"


def _arrow_type(hint: Any) -> tuple[pa.DataType, bool]:
    """(Arrow type, is JSON text) of a contract field's type."""
    import pyarrow as pa

    origin, args = get_origin(hint), get_args(hint)
    if origin is NotRequired:
        return _arrow_type(args[0])
    if origin in (Union, types.UnionType):
        kinds = [a for a in args if a is not type(None)]
        return _arrow_type(kinds[0]) if len(kinds) == 1 else (pa.string(), True)
    if origin is Literal or hint is str:
        return pa.string(), False
    simple = {int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    if hint in simple:
        return simple[hint], False
    if origin is list and args == (str,):
        return pa.list_(pa.string()), False
    return pa.string(), True  # nested: the contract's JSON, as text


def _fields(table: str) -> list[tuple[str, Any]]:
    row_type, prefix, _ = TABLES[table]
    hints = typing.get_type_hints(row_type, include_extras=True)
    return [*prefix, *((name, hint) for name, hint in hints.items() if name not in dict(prefix))]


def schema(table: str) -> pa.Schema:
    """The Arrow schema of *table*."""
    import pyarrow as pa

    return pa.schema([(name, _arrow_type(hint)[0]) for name, hint in _fields(table)])


def _json_columns(table: str) -> set[str]:
    return {name for name, hint in _fields(table) if _arrow_type(hint)[1]}


def _row(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    encoded = _json_columns(table)
    return {
        name: (
            json.dumps(values.get(name), ensure_ascii=False)
            if name in encoded and values.get(name) is not None
            else values.get(name)
        )
        for name, _ in _fields(table)
    }


def story_rows(stories: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The rows of the story tables for brief@1 *stories*."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in ("stories", *STORY_TABLES)}
    for story in stories:
        members = {"id": story["id"], "members": story["article_ids"]}
        rows["stories"].append(_row("stories", {**members, "headline": story["headline"]}))
        for table in STORY_TABLES:
            for position, item in enumerate(story[table]):
                values = {"story_id": story["id"], "position": position, **item}
                rows[table].append(_row(table, values))
    return rows


def rows_of(table: str, items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows of *table* for contract dicts (articles with story_id, rejections, duplicates)."""
    return [_row(table, item) for item in items]


def write_table(out: Path, table: str, part: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """*rows* as OUT/<table>/part-<part>.parquet (written even when empty: the schema); a
    table of `BY_MONTH` as OUT/<table>/month=YYYY-MM/part-<part>.parquet, one file a month."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def write(folder: Path, chunk: Sequence[Mapping[str, Any]]) -> None:
        data = pa.Table.from_pylist(list(chunk), schema=schema(table))
        write_atomic(folder / f"part-{part}.parquet", lambda path: pq.write_table(data, str(path)))

    if table not in BY_MONTH:
        write(out / table, rows)
        return
    months: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        months.setdefault(month_of(row.get(BY_MONTH[table])), []).append(row)
    for month, chunk in (months or {UNDATED: []}).items():
        write(out / table / f"month={month}", chunk)


def table_files(out: Path, table: str, part: str) -> list[Path]:
    """The files one task wrote of *table* (one, or one a month for a `BY_MONTH` table)."""
    if table not in BY_MONTH:
        return [out / table / f"part-{part}.parquet"]
    return sorted((out / table).glob(f"month=*/part-{part}.parquet"))


def month_of(value: Any) -> str:
    """The partition a date or time falls in: "YYYY-MM", or `UNDATED`."""
    text = str(value or "")
    return text[:7] if len(text) >= 7 and text[4] == "-" else UNDATED


def schema_markdown() -> str:
    """The schema of every table as Markdown (the README's table is this)."""
    lines = ["| table | a row is | columns |", "|---|---|---|"]
    for table, (_, _, what) in TABLES.items():
        columns = ", ".join(
            f"`{name}` {str(_arrow_type(hint)[0]).replace('list<item: string>', 'list<string>')}"
            + (" (JSON)" if _arrow_type(hint)[1] else "")
            for name, hint in _fields(table)
        )
        lines.append(f"| `{table}` | {what} | {columns} |")
    return "\n".join(lines) + "\n"
