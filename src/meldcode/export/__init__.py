"""Exporters: one module per format, one registry keyed by `ExportFormat`.

The registry imports an exporter only when it is used, so a command module may import
`ExportFormat` at its top without slowing down `meldcode --help` (design.md §7).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import cast

from meldcode.export.interface import Exporter, ExportFormat

# One line per format: the module under meldcode.export whose `render` makes it.
_MODULES: Mapping[ExportFormat, str] = MappingProxyType(
    {
        ExportFormat.JSON: "json",
        ExportFormat.MARKDOWN: "markdown",
        ExportFormat.CSV: "csv",
        ExportFormat.HTML: "html",
    }
)


class _Registry(Mapping[ExportFormat, Exporter]):
    """Read-only mapping from format to exporter, importing each exporter on first use."""

    def __getitem__(self, key: ExportFormat) -> Exporter:
        module = importlib.import_module(f"meldcode.export.{_MODULES[key]}")
        return cast("Exporter", module.render)

    def __iter__(self) -> Iterator[ExportFormat]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


EXPORTERS: Mapping[ExportFormat, Exporter] = _Registry()

__all__ = ["EXPORTERS", "ExportFormat", "Exporter", "write_new"]


def write_new(path: Path, text: str, *, overschrijf: bool = False) -> None:
    """Write `text` to a file only the owner may read; never replace one unless asked."""
    from meldcode.errors import ExportExists, ExportUnwritable  # late: not needed for --help

    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overschrijf else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise ExportExists(pad=str(path)) from None
    except OSError:
        raise ExportUnwritable(pad=str(path)) from None
    # NOTE: an existing file keeps its old mode under O_TRUNC; the dossier is always owner-only.
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
