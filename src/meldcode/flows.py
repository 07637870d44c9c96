"""The flows as commands use them: loaded, and checked whole where CI has not seen them.

NOTE: this entry point sits above both `loading` and `checks`, so neither imports the other
upwards: `checks` reads flow files with `loading`, and only here does loading call the checks.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from meldcode.loading.files import FlowSet, flows_dir, flowset, shipped_dir
from meldcode.loading.files import clear_cache as clear_loaded
from meldcode.loading.overlay import assemble
from meldcode.model import Flow

__all__ = [
    "FlowSet",
    "clear_cache",
    "flows_dir",
    "flowset",
    "load_flow",
    "shipped_dir",
    "validate_dir",
]


def load_flow(sector: str, root: Path | None = None) -> Flow:
    """The assembled flow of `sector`; an organisation's own flows are validated first."""
    folder = root or flows_dir()
    if folder.resolve() != shipped_dir().resolve():
        _validated(str(folder))
    return assemble(flowset(folder), sector)


def validate_dir(root: Path) -> int:
    """`meldcode valideer`: check every sector flow under `root`; how many, or a FlowError."""
    # Late: the checks load the engine, which loading the shipped flows never needs.
    from meldcode.checks.validate import validate_dir as check

    return check(root)


@cache
def _validated(root: str) -> None:
    """Run `meldcode valideer`'s checks once per process on flows that CI has not seen."""
    validate_dir(Path(root))


def clear_cache() -> None:
    """Forget the flows parsed and validated so far, as a new process would (the tests run
    commands in-process: a flow folder a test changes is read again)."""
    clear_loaded()
    _validated.cache_clear()
