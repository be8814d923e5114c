"""Sizes of the Dask batch (`newsprism batch`), with why each value.

- ``PARTITION_BYTES`` 32 MiB: input bytes one read task takes (a run of small files, or one
  line-aligned byte range of a large JSONL file). Cleaning and annotating cost ~0.1-0.3 CPU s
  per article of ~5 KB, so a partition is a few minutes of work at most: small enough that a
  lost worker costs little and memory per worker stays bounded by it, large enough that the
  scheduler's ~1 ms per task is noise.
- ``PARTITION_FILES`` 2,000: files one read task takes at most, whatever their size (many
  tiny files would otherwise make one huge task list).
- ``SHUFFLE_BUCKETS`` 64 (at most): buckets a shuffle (index terms, candidate partners, MinHash
  bands) spreads its keys over; fewer for a small run (one per partition, at least 2).
- ``STORY_BATCH_ARTICLES`` 400: members of the stories briefed by one task; stories are never
  split, so one larger story makes a batch of its own.
- ``BATCHES_PER_THREAD`` 4: on a corpus too small to fill `STORY_BATCH_ARTICLES`-sized
  batches for every worker thread, batches shrink so each thread gets about this many (with
  one batch, one worker would brief everything while the others wait).
- ``LINK_BATCH_ARTICLES`` 5,000: articles of the candidate-graph components linked by one task.
- ``TASK_RETRIES`` 3: how often Dask retries a task that raised (a worker that dies does not
  count: its tasks are simply recomputed elsewhere).
- ``LINE_PROBE_BYTES`` 64 KiB: bytes read at a time when moving a split point of a JSONL file
  to the next line start (the driver reads only these few bytes per split).
"""

from __future__ import annotations

PARTITION_BYTES = 32 * 1024 * 1024
PARTITION_FILES = 2_000
SHUFFLE_BUCKETS = 64
STORY_BATCH_ARTICLES = 400
BATCHES_PER_THREAD = 4
LINK_BATCH_ARTICLES = 5_000
TASK_RETRIES = 3
LINE_PROBE_BYTES = 64 * 1024
