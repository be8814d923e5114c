"""Limits of the HTTP API and of its writer processes, with the reason for each.

The writer limits can be changed per server with environment variables (read by
`newsprism.api.writer.WorkerLimits.from_env`); the others are fixed because the OpenAPI schema
states them.
"""

from __future__ import annotations

# Request bodies ---------------------------------------------------------------------------------

# An article is rarely over 1 MB; 10 MB takes a few hundred articles or one large upload.
DEFAULT_MAX_BODY = 10 * 1024 * 1024  # bytes

# A record is flat (strings, one level of metadata): body -> articles -> record -> field ->
# list/object of scalars is 5 levels. 32 leaves room and stays far below Python's recursion
# limit, which deeper JSON hits when parsed or pickled for the writer (a 900-deep record once
# made the writer queue drop the request and the client wait forever).
MAX_JSON_DEPTH = 32

# Numbers in records are dates (epoch seconds) or small counts. The bound is stated in the
# OpenAPI schema; the digit cap stops the parser before it converts a 5000-digit integer (Python
# refuses past 4300 digits, and converting long ones is quadratic).
MAX_JSON_NUMBER = 1e100
MAX_NUMBER_DIGITS = 400

# Records per request: the writer runs one request at a time, so one request must not hold it
# for long; clients send more requests instead.
MAX_RECORDS_PER_REQUEST = 1000

# Paging: no store holds a billion stories; a larger offset only overflows SQL integers.
MAX_OFFSET = 1_000_000_000

# Writer processes -------------------------------------------------------------------------------

# Address space (RLIMIT_AS) of each lane's child process. Past it an allocation fails
# (MemoryError, a 413 for that request) instead of the process growing until the kernel kills
# it (a 3 MB gzip bomb once grew the writer to 24 GB). Measured peaks on 2 cores: the write lane
# ingesting 600 ECB+ documents in requests of 80 stays under 210 MB mapped; the brief lane maps
# 1.3 GB for a 30-article story and 2.2 GB (1.3 GB resident) for a 150-article one, as spaCy,
# the embedder and their threads' arenas add up. NEWSPRISM_WRITER_MEMORY_MB and
# NEWSPRISM_BRIEF_MEMORY_MB change them; 0 turns a limit off.
DEFAULT_WRITER_MEMORY_MB = 2048
DEFAULT_BRIEF_MEMORY_MB = 4096

# One job (an ingest request or a brief) may run this long before its process is stopped and
# restarted: the 150-article brief above took 194 s; 600 s is well past normal jobs and still
# bounds every request. NEWSPRISM_JOB_TIMEOUT_S changes it.
DEFAULT_JOB_TIMEOUT_S = 600.0

# Jobs waiting for one writer. Past this the server answers 503 with Retry-After instead of
# queueing requests that would time out on the client anyway.
MAX_PENDING_JOBS = 64

# A restarted writer must say it is ready within this time (it imports the package and opens
# the store; models load later, on first use).
WRITER_START_TIMEOUT_S = 30.0

# A child that died before it said it was ready (a store it cannot open, say) is restarted at
# most this often, so a broken setup logs once per interval instead of spinning.
RESTART_BACKOFF_S = 5.0

# On shutdown, queued jobs get this long to finish before the lane's process is stopped (and
# the jobs still waiting fail with 503).
CLOSE_TIMEOUT_S = 60.0
