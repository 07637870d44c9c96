"""Whole-flow checks for `meldcode valideer` (to be completed: see issue 3)."""

from __future__ import annotations

from pathlib import Path

from meldcode.loader import assemble, load_flowset


def validate_dir(root: Path) -> int:
    """Check every sector flow under `root`; return how many there are, or raise FlowError."""
    fs = load_flowset(root)
    for sector in fs.sector_ids():
        assemble(fs, sector)
    return len(fs.sector_ids())
