"""The flow files of one folder: where they are, and each parsed and checked on its own."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Generic, NamedTuple

from meldcode.errors import FlowError, Probleem
from meldcode.loading.yaml_source import M, line_of, parse, read_yaml
from meldcode.model import KaderBestand, SectorBestand, SectorenBestand, StapBestand


class Located(NamedTuple, Generic[M]):
    """One parsed flow file and the path it was read from (for file:line in problems)."""

    path: Path
    model: M


@dataclass(frozen=True)
class FlowSet:
    """Every flow file of one folder, parsed and checked per file."""

    root: Path
    stappen: tuple[Located[StapBestand], ...]
    kader: Located[KaderBestand]
    sectoren: Located[SectorenBestand]
    overlays: Mapping[str, Located[SectorBestand]] = field(default_factory=dict)

    def sector_ids(self) -> list[str]:
        """The sector ids in the order of `sectoren.yaml`."""
        return [s.id for s in self.sectoren.model.sectoren]


def flows_dir() -> Path:
    """The folder holding `stappen/` and `afwegingskader/`: $MELDCODE_FLOWS or the shipped one."""
    eigen = os.environ.get("MELDCODE_FLOWS")
    return Path(eigen) if eigen else shipped_dir()


def shipped_dir() -> Path:
    """The flows inside the package, or at the top of the checkout in an editable install."""
    shipped = Path(str(resources.files("meldcode")))
    return shipped if (shipped / "stappen").is_dir() else Path(__file__).resolve().parents[3]


class ShippedOverlays(Mapping[str, Located[SectorBestand]]):
    """The shipped sector overlays, each read when it is first asked for.

    NOTE: only for the shipped flows, which CI validates whole and where every overlay is named
    after its sector (tests/test_startup_imports.py): `start --sector basis` then reads none of
    the seven overlays (~5 ms of its start). Any other folder is read whole by `load_flowset`,
    so its problems are all named at once.
    """

    def __init__(self, paths: list[Path]) -> None:
        self._paths = {p.stem: p for p in paths}
        self._read: dict[str, Located[SectorBestand]] = {}

    def __getitem__(self, sector: str) -> Located[SectorBestand]:
        if sector not in self._read:
            pad = self._paths[sector]  # KeyError: no overlay, as for a dict
            self._read[sector] = Located(pad, parse(SectorBestand, pad, read_yaml(pad)))
        return self._read[sector]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def load_flowset(root: Path, *, shipped: bool = False) -> FlowSet:
    """Read and check every file under `root`; all problems of all files at once. With
    `shipped`, the sector overlays are read as they are needed (`ShippedOverlays`)."""
    problemen: list[Probleem] = []

    def read(model: type[M], path: Path) -> M | None:
        try:
            return parse(model, path, read_yaml(path))
        except FlowError as e:
            problemen.extend(e.problemen)
            return None

    stappen_dir, kader_dir = root / "stappen", root / "afwegingskader"
    for folder in (stappen_dir, kader_dir):
        if not folder.is_dir():
            problemen.append(Probleem("MC100", folder, None, "map ontbreekt."))
    if problemen:
        raise FlowError(problemen)
    stappen = [(p, read(StapBestand, p)) for p in sorted(stappen_dir.glob("*.yaml"))]
    kader_pad, sectoren_pad = kader_dir / "basis.yaml", kader_dir / "sectoren.yaml"
    kader = read(KaderBestand, kader_pad)
    sectoren = read(SectorenBestand, sectoren_pad)
    overlay_paden = [
        p for p in sorted(kader_dir.glob("*.yaml")) if p not in (kader_pad, sectoren_pad)
    ]
    overlays: dict[str, Located[SectorBestand]] = {}
    for p in () if shipped else overlay_paden:
        overlay = read(SectorBestand, p)
        if overlay is not None and overlay.sector in overlays:
            eerder = overlays[overlay.sector].path.name
            tekst = f"sector '{overlay.sector}' heeft al een overlay in {eerder}."
            problemen.append(Probleem("MC105", p, line_of(p, ("sector",)), tekst))
        elif overlay is not None:
            overlays[overlay.sector] = Located(p, overlay)
    if problemen:
        raise FlowError(problemen)
    assert kader is not None  # noqa: S101 - problems raised above
    assert sectoren is not None  # noqa: S101 - problems raised above
    return FlowSet(
        root=root,
        stappen=tuple(Located(p, s) for p, s in stappen if s is not None),
        kader=Located(kader_pad, kader),
        sectoren=Located(sectoren_pad, sectoren),
        overlays=ShippedOverlays(overlay_paden) if shipped else overlays,
    )


@cache
def _cached_flowset(root: str) -> FlowSet:
    pad = Path(root)
    return load_flowset(pad, shipped=pad.resolve() == shipped_dir().resolve())


def flowset(root: Path | None = None) -> FlowSet:
    """The flow files under `root` (default: `flows_dir()`), parsed once per process."""
    return _cached_flowset(str(root or flows_dir()))


def clear_cache() -> None:
    """Forget the flow files parsed so far (benchmarks time a fresh process's first load)."""
    _cached_flowset.cache_clear()
