"""The embedder: batches on parallel threads give the rows one thread gives, each distinct text
is embedded once, and the text cache is bounded."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from newsprism.annotate.embed import OnnxMiniLM
from newsprism.annotate.models import embedder_files


def _texts(count: int) -> list[str]:
    # Varied lengths, so batches sort and pad as real sentences do.
    return [
        f"The council approved {n} new homes" + " near the river" * (n % 5) + f" on day {n}."
        for n in range(count)
    ]


@pytest.fixture(scope="module")
def files() -> tuple[object, object]:
    return embedder_files()


def _embedder(files: tuple[object, object], **options: int) -> OnnxMiniLM:
    model, tokenizer = files
    return OnnxMiniLM(model, tokenizer, **options)  # type: ignore[arg-type]


def test_embed_threads_give_the_rows_one_thread_gives(files: tuple[object, object]) -> None:
    texts = _texts(40)
    alone = _embedder(files, threads=1).embed(texts)
    parallel = _embedder(files, threads=2).embed(texts)
    assert alone.shape == (40, 384)
    np.testing.assert_allclose(parallel, alone, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(parallel, axis=1), 1.0, atol=1e-5)


def test_embed_repeated_texts_share_one_row_and_the_cache_answers_later_calls(
    files: tuple[object, object],
) -> None:
    embedder = _embedder(files, threads=2)
    first, second = _texts(2)
    rows = embedder.embed([first, second, first])
    np.testing.assert_array_equal(rows[0], rows[2])
    assert not np.allclose(rows[0], rows[1])
    assert embedder.cached_texts == 2
    again = embedder.embed([second])
    np.testing.assert_array_equal(again[0], rows[1])
    again[0] = 0.0  # a caller's copy: the cache keeps its own
    np.testing.assert_array_equal(embedder.embed([second])[0], rows[1])
    embedder.clear_cache()
    assert embedder.cached_texts == 0
    np.testing.assert_allclose(embedder.embed([second])[0], rows[1], atol=1e-6)


def test_embed_cache_keeps_at_most_its_bound(files: tuple[object, object]) -> None:
    embedder = _embedder(files, cache_texts=5)
    embedder.embed(_texts(12))
    assert embedder.cached_texts == 5


def test_embed_empty_input_and_empty_text(files: tuple[object, object]) -> None:
    embedder = _embedder(files)
    assert embedder.embed([]).shape == (0, 384)
    row = embedder.embed([""])
    assert row.shape == (1, 384) and abs(float(np.linalg.norm(row)) - 1.0) < 1e-5


def test_embed_calls_from_several_threads_at_once_agree_with_one_call(
    files: tuple[object, object],
) -> None:
    texts = _texts(48)
    expected = _embedder(files, threads=1).embed(texts)
    shared = _embedder(files, threads=2)
    results: dict[int, np.ndarray] = {}

    def work(part: int) -> None:
        results[part] = shared.embed(texts[part * 16 : (part + 1) * 16])

    threads = [threading.Thread(target=work, args=(part,)) for part in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    np.testing.assert_allclose(np.vstack([results[p] for p in range(3)]), expected, atol=1e-6)


def test_embed_row_does_not_depend_on_the_padding_of_its_batch(
    files: tuple[object, object],
) -> None:
    short = "Rates rose."
    long = "The central bank raised its main rate " + "by a quarter point again " * 12 + "."
    alone = _embedder(files).embed([short])[0]
    together = _embedder(files, batch_size=2, threads=1).embed([long, short])
    np.testing.assert_allclose(together[1], alone, atol=1e-6)
    np.testing.assert_allclose(together[0], _embedder(files).embed([long])[0], atol=1e-6)
