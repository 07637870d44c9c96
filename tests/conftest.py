"""Shared fixtures: a private copy of the shipped flow files to break or extend."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def flows_copy(tmp_path: Path) -> Path:
    """A folder with a copy of the shipped `stappen/` and `afwegingskader/`."""
    root = tmp_path / "flows"
    for folder in ("stappen", "afwegingskader"):
        shutil.copytree(REPO / folder, root / folder)
    return root
