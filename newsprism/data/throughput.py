"""How the annotate stage spends the cores: batch sizes, threads, caches, and why.

Measured on the project's 2-core machine (AMD EPYC, AVX2, no VNNI) with en_core_web_sm 3.8 and
all-MiniLM-L6-v2 (its int8 ONNX file: onnxruntime folds the weights back to float at load, so
the matrix products run in float32 at about the core's peak).

- ``EMBED_BATCH`` 8: texts per ONNX run. All texts of a call are tokenised at once (without the
  tokenizer file's fixed padding to 128) and sorted by token count before batching, so a batch
  pads to a length close to each member's: on multinews_dev (--limit 30) 68k tokens are run
  for 67k real ones, where sorting by characters ran 80k. Per CPU second, batches of 8 beat
  32 by 1.4x and 128 by 2.8x on news sentences (median 30 tokens).
- Claims get no run of their own: a claim's vector is the mean of its sentence's contextual
  token states over the claim's span, with the sentence's [CLS] and [SEP] (as a text run alone
  pools its own), from the sentence's run (``OnnxMiniLM.embed_spans``). Claims were a fifth of
  the embedded tokens (multinews_dev --limit 30: 17.5k of 84.6k). On the dev claim pairs, with
  the shipped reuse rule (a claim of >= 90% of its sentence takes the sentence's vector), the
  judge unrefitted: same P 0.942 R 0.645, corroborates P 0.926 R 0.603, where claims run
  alone gave same P 0.909 R 0.658, corroborates P 0.937 R 0.610 (contradicting unchanged);
  `eval disagreements --inject --limit 40` and `eval summary` unchanged (see the commit).
- The embedder runs at about the core's float32 peak (about 60 GFLOP/s: MatMul is three
  quarters of a run), so its cost is its token count. Neither int8 activations
  (onnxruntime's DynamicQuantizeMatMul on the model's own int8 weights: 1.17x faster on this
  AVX2 core without VNNI, vectors moved to cosine 0.957 at worst) nor onnxruntime's
  transformer fusions (BiasGelu, SkipLayerNorm: within noise) pay.
- ``EMBED_THREADS``: batches run on this many threads at once, each run on one core
  (``intra_op_num_threads=1``): a batch of 8 short sentences is too small to split across
  cores, while separate batches are independent. onnxruntime releases the GIL during a run.
- ``EMBED_CACHE_TEXTS`` 20,000: embeddings kept by exact text (1.5 KB each, about 30 MB), so a
  sentence printed by several outlets, a claim that is also a sentence, or an article briefed
  again is embedded once per process.
- ``SENTENCE_CACHE_ARTICLES`` 4,096: articles whose sentence split is kept. The annotate
  stage and the per-story dedup both need the split; pysbd costs about 1 ms per sentence.
- ``PARSE_BATCH`` 16: documents per ``nlp.pipe`` batch (and per worker chunk).
- ``PROCESS_MIN_DOCS`` 48: below this many articles, starting spaCy worker processes (each
  loads the model) costs more than it saves.
- ``PARSE_PROCESS_MIN_CORES`` 4: parse processes are used only on machines with at least this
  many cores. Parse processes are forked before any embedding starts (forking while an ONNX
  run is under way on another thread is unsafe), so with processes the embedder waits for the
  whole parse. Embedding cost about three times the parse in CPU (multinews_dev: 46 of the
  brief's 71 CPU seconds, the parse 16), and still costs about 1.7 times it now that claims
  share their sentence's run (a quarter of the --limit 30 sentences: 6.0 CPU s against a
  parse of 14 s for all), so on 2 cores the parse is better run here, beside the embedder,
  than on both cores before it (which also costs each worker a model load).
- ``EMBED_CHUNK_TEXTS`` 256: sentences (with their claims' spans) gathered while parsing
  before they are sent to the embedder, so it keeps working on them while later articles are
  parsed. A sentence is sent once its article's parse has given its claims, so the embedder
  starts after the first parse batch (``PARSE_BATCH`` documents).
"""

from __future__ import annotations

import os

EMBED_BATCH = 8
EMBED_THREADS = max(1, min(os.cpu_count() or 1, 4))
EMBED_CACHE_TEXTS = 20_000
SENTENCE_CACHE_ARTICLES = 4_096
PARSE_BATCH = 16
PROCESS_MIN_DOCS = 48
PARSE_PROCESS_MIN_CORES = 4
EMBED_CHUNK_TEXTS = 256
