"""The exporter protocol and the formats users can ask for (`--formaat`)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from meldcode.dossier.build import Dossier


class ExportFormat(StrEnum):
    """The export formats; the values are what users type after `--formaat`."""

    JSON = "json"
    MARKDOWN = "markdown"
    CSV = "csv"
    HTML = "html"


class Exporter(Protocol):
    """Turns one dossier into the text of one file."""

    def __call__(self, dossier: Dossier, /) -> str: ...
