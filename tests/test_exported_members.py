"""The public API is exactly `newsprism.__all__` (httpx's test_exported_members idea)."""

from __future__ import annotations

import newsprism


def test_exported_members_match_all() -> None:
    public = {name for name in dir(newsprism) if not name.startswith("_")} - {"annotations"}
    modules = {name for name in public if type(getattr(newsprism, name)).__name__ == "module"}
    assert public - modules == set(newsprism.__all__) - {"__version__"}
    for name in newsprism.__all__:
        assert hasattr(newsprism, name), name
