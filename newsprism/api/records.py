"""Posted article records: read safely, validated, and described in the OpenAPI schema.

The JSON of a request is read with bounds before anything else sees it: nesting depth, number
size, lone surrogates. Each breach is a 422 naming where in the body it is, instead of a
RecursionError or an encoding error deep in the writer (once a 500, or a request that never
answered).
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from newsprism.data.api_limits import (
    MAX_JSON_DEPTH,
    MAX_JSON_NUMBER,
    MAX_NUMBER_DIGITS,
    MAX_RECORDS_PER_REQUEST,
)

# Integers within 64 bits stay integers; larger ones are numbers within MAX_JSON_NUMBER.
BoundedInt = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
BoundedFloat = Annotated[float, Field(ge=-MAX_JSON_NUMBER, le=MAX_JSON_NUMBER, allow_inf_nan=False)]
Scalar = str | bool | BoundedInt | BoundedFloat | None
# Metadata beyond the named fields: scalars, or one list or object of scalars.
ExtraValue = Scalar | list[Scalar] | dict[str, Scalar]

_TEXT_OR_HTML: dict[str, Any] = {
    "anyOf": [
        {"required": ["text"], "properties": {"text": {"type": "string"}}},
        {"required": ["html"], "properties": {"html": {"type": "string"}}},
    ]
}


class ArticleRecord(BaseModel):
    """One article as a JSON record (the JSONL record shape); `text` or `html` is required.

    Other fields are kept as metadata (a scalar, or a list or object of scalars)."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_TEXT_OR_HTML)
    __pydantic_extra__: dict[str, ExtraValue] = Field(init=False)

    id: str | None = None
    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = Field(default=None, description="ISO 8601 or RFC 2822 date")
    story: str | None = Field(
        default=None, description="records with the same story form that story as given"
    )
    byline: str | None = None

    @model_validator(mode="after")
    def _text_or_html(self) -> ArticleRecord:
        if self.text is None and self.html is None:
            raise ValueError('a record needs "text" or "html" (a string); add one of them')
        return self


Records = Annotated[list[ArticleRecord], Field(min_length=1, max_length=MAX_RECORDS_PER_REQUEST)]


class ArticlesBody(BaseModel):
    """Articles to ingest or brief."""

    articles: Records


# What a JSON body may be: {"articles": [...]}, a list of records, or one record.
ArticlesPayload = ArticlesBody | Records | ArticleRecord
_PAYLOAD = TypeAdapter(ArticlesPayload)


def payload_schema() -> tuple[dict[str, Any], dict[str, Any]]:
    """(the body's JSON schema, the component schemas it refers to), for the OpenAPI."""
    schema = _PAYLOAD.json_schema(ref_template="#/components/schemas/{model}")
    components = schema.pop("$defs", {})
    return schema, components


def request_body(*, multipart: bool) -> dict[str, Any]:
    """The OpenAPI `requestBody` of a route reading articles (JSON, and files if *multipart*)."""
    schema, _ = payload_schema()
    content: dict[str, Any] = {"application/json": {"schema": schema}}
    if multipart:
        content["multipart/form-data"] = {
            "schema": {
                "type": "object",
                "additionalProperties": False,
                "required": ["files"],
                "properties": {
                    "files": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"type": "string", "format": "binary"},
                        "description": "input files: .txt, .html, .json, .jsonl, feeds, WARC",
                    }
                },
            }
        }
    return {"required": True, "content": content}


def read_articles(raw: bytes) -> list[dict[str, Any]]:
    """The records of a JSON body, checked; RequestValidationError (422) names each problem."""
    payload = read_json(raw)
    if isinstance(payload, list):
        payload = {"articles": payload}
    elif isinstance(payload, dict) and "articles" not in payload:
        payload = {"articles": [payload]}
    try:
        body = ArticlesBody.model_validate(payload)
    except ValidationError as error:
        raise RequestValidationError(_readable(error)) from error
    return [record.model_dump(exclude_none=True) for record in body.articles]


def _readable(error: ValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors under "body", one per metadata field instead of one per type tried."""
    errors: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for item in error.errors(include_url=False, include_context=False, include_input=False):
        loc = tuple(item["loc"])
        message = item["msg"]
        if len(loc) >= 3 and loc[0] == "articles" and loc[2] not in ArticleRecord.model_fields:
            loc = loc[:3]
            message = (
                f"metadata field {loc[2]!r} must be a string, a number within "
                f"{MAX_JSON_NUMBER:g}, true/false or null, or one list or object of those"
            )
        if loc in seen:
            continue
        seen.add(loc)
        errors.append({"type": item["type"], "loc": ("body", *loc), "msg": message})
    return errors


class _BadNumber(Exception):
    """A JSON number past MAX_JSON_NUMBER (or NaN/Infinity)."""


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _BadNumber(
            f"a number with {len(text.lstrip('-'))} digits; numbers are at most "
            f"{MAX_JSON_NUMBER:g} in size"
        )
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(f"the number {text[:40]} is out of range (at most {MAX_JSON_NUMBER:g})")
    return value


def _parse_constant(text: str) -> float:
    raise _BadNumber(f"{text} is not a JSON number; send a number or null")


def _invalid(message: str, location: tuple[str | int, ...] = ()) -> RequestValidationError:
    return RequestValidationError([{"loc": ("body", *location), "msg": message}])


def read_json(raw: bytes) -> Any:
    """*raw* parsed as JSON within the limits of `newsprism.data.api_limits`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _invalid(f"the body is not UTF-8 (bad byte at offset {error.start})") from error
    try:
        value = json.loads(
            text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant
        )
    except json.JSONDecodeError as error:
        raise _invalid(
            f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno}); "
            'send {"articles": [record, ...]}'
        ) from error
    except RecursionError as error:
        raise _invalid(f"JSON nested too deeply; at most {MAX_JSON_DEPTH} levels") from error
    except _BadNumber as error:
        raise _invalid(str(error)) from error
    problem = first_problem(value)
    if problem is not None:
        location, message = problem
        raise _invalid(message, location)
    return value


def first_problem(value: Any) -> tuple[tuple[str | int, ...], str] | None:
    """(where, what) of the first value nested past MAX_JSON_DEPTH or holding a lone
    surrogate, else None. Iterative, so no depth can overflow it."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        item, path = stack.pop()
        if len(path) >= MAX_JSON_DEPTH:
            return path[:MAX_JSON_DEPTH], f"JSON nested too deeply; at most {MAX_JSON_DEPTH} levels"
        if isinstance(item, str):
            position = lone_surrogate(item)
            if position is not None:
                return path, _surrogate_message(item, position)
        elif isinstance(item, dict):
            for key, child in item.items():
                position = lone_surrogate(key)
                if position is not None:
                    return (*path, key), "a field name " + _surrogate_message(key, position)
                stack.append((child, (*path, key)))
        elif isinstance(item, list):
            stack.extend((child, (*path, index)) for index, child in enumerate(item))
    return None


def lone_surrogate(text: str) -> int | None:
    """The index of the first unpaired UTF-16 surrogate in *text*, else None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start
    return None


def _surrogate_message(text: str, position: int) -> str:
    return (
        f"holds a lone surrogate (\\u{ord(text[position]):04x} at character {position}), "
        "which is not text; send valid UTF-8, or a \\ud8xx\\udcxx pair for one character"
    )
