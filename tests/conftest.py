"""Shared fixtures. Real data is read from ../shared/data and tests skip, saying why, without it."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from newsprism.annotate.models import Models

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
