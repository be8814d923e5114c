"""Shared fixtures. Real data is read from ../shared/data and tests skip, saying why, without it."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from newsprism.annotate.models import Models
from newsprism.store import Store, open_store

pytest_plugins = ["tests.postgres"]

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("NEWSPRISM_DATA", REPO.parent / "shared" / "data"))

settings.register_profile(
    "ci", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci")


def data_path(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with a clear message when it is absent."""
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not found at {path} (clone ../shared beside the repo to run this)")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The three seed articles (../shared/data/seeds)."""
    return data_path("seeds")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The root of ../shared/data."""
    if not DATA.exists():
        pytest.skip(f"real data not found at {DATA}")
    return DATA


@functools.cache
def shared_models() -> Models:
    """The default models, loaded once for the whole test session (the tests' edge)."""
    from newsprism.annotate.models import load_models

    return load_models()


@pytest.fixture(scope="session")
def models() -> Models:
    """The default models (spaCy pipeline and embedder), loaded once."""
    return shared_models()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store's address: a SQLite file, then a PostgreSQL database (marked postgres)."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("postgres_db_url"))


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    """An empty store opened at `store_url`, closed after the test."""
    opened = open_store(store_url)
    yield opened
    opened.close()
