"""Exporters: one module per format, one registry keyed by `ExportFormat`; each turns a
dossier value into text (files.py writes it).

The registry imports an exporter only when it is used, so a command module may import
`ExportFormat` at its top without slowing down `meldcode --help` (design.md §7).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import cast

from meldcode.export.files import write_new
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
