"""How the annotate stage spends the cores: batch sizes, threads, caches, and why.

Measured on the project's 2-core machine (AMD EPYC, AVX2, no VNNI) with en_core_web_sm 3.8 and
all-MiniLM-L6-v2 (its int8 ONNX file: onnxruntime folds the weights back to float at load, so
the matrix products run in float32 at about the core's peak).

- ``EMBED_BATCH`` 8: texts per ONNX run. All texts of a call are tokenised at once (without the
  tokenizer file's fixed padding to 128) and sorted by token count before batching, so a batch
  pads to a length close to each member's: on multinews_dev (--limit 30) 68k tokens are run
  for 67k real ones, where sorting by characters ran 80k (the brief there: 59.3 -> 52.0 CPU
  seconds, the bare parse 14.0; `benchmarks/throughput.py --limit 30`). Per CPU second, batches of 8 beat
  32 by 1.4x and 128 by 2.8x on news sentences (median 30 tokens).
- Claims keep a run of their own (those under 90% of their sentence; a fifth of the embedded
  tokens, multinews_dev --limit 30: 17.5k of 84.6k). Pooling the sentence's contextual token
  states over the claim's span instead costs nothing, but reads the claim in its sentence's
  context: cosine to the claim run alone, median 0.70 for claims under 30% of their sentence
  and 0.93 for 70-90%. Summary ROUGE and the injected disagreements held, and the claim-pair
  judge moved by a pair or two, but the seeds' "Nato equivalent" fact split in two (an
  apposition's vector followed its sentence), so it would need a refit of the judge and the
  alignment's thresholds on such vectors.
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
  whole parse. Embedding costs about three times the parse in CPU on an AVX2 core
  (multinews_dev: 46 of the brief's 71 CPU seconds, the parse 16), and about as much as the
  parse on an AVX-512 one (all 291 documents: brief 134 CPU s, parse 70), so on 2 cores the
  parse is better run here, beside the embedder, than on both cores before it (which also
  costs each worker a model load).
- ``EMBED_CHUNK_TEXTS`` 256: claim texts gathered while parsing before they are sent to the
  embedder, so it keeps working on them while later articles are parsed.
- ``CROSS_ENCODER_BATCH`` 16, ``CROSS_ENCODER_THREADS``: the claim-pair cross-encoder
  (annotate/crossencoder.py) runs pairs sorted by length in batches of 16, each batch split
  across cores: about 7 ms a pair of 32 tokens on two cores, 40 ms at the 160 its file was
  exported for.
- ``CROSS_ENCODER_CACHE_PAIRS`` 50,000: its scores kept by exact (first, second) text, so a
  story briefed again runs none of its pairs twice.
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
CROSS_ENCODER_BATCH = 16
CROSS_ENCODER_THREADS = max(1, min(os.cpu_count() or 1, 4))
CROSS_ENCODER_CACHE_PAIRS = 50_000
