"""One sector's flow: the basis steps and afwegingskader with the sector's overlay applied."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import ValidationError

from meldcode.errors import FlowError, Probleem, UnknownSector
from meldcode.loading.files import FlowSet
from meldcode.loading.yaml_source import in_dutch, line_of
from meldcode.model import (
    STAPPEN,
    AnyVraag,
    Flow,
    KeuzeVraag,
    Mededeling,
    SectorBestand,
    UitkomstRegel,
    Voorwaarde,
)


def _guard(vraag: AnyVraag, extra: Voorwaarde) -> AnyVraag:
    als = extra if vraag.als is None else Voorwaarde(alle=(extra, vraag.als))
    return vraag.model_copy(update={"als": als})


def _guard_regel(regel: UitkomstRegel, extra: Voorwaarde) -> UitkomstRegel:
    return regel.model_copy(update={"als": Voorwaarde(alle=(extra, regel.als))})


def assemble(flowset: FlowSet, sector_id: str) -> Flow:
    """The flow of one sector: the basis steps and kader with the sector's overlay applied."""
    sectoren = {s.id: s for s in flowset.sectoren.model.sectoren}
    if sector_id not in sectoren:
        raise UnknownSector(sector=sector_id, bekend=list(sectoren))
    sector = sectoren[sector_id]
    kader = flowset.kader.model
    located = flowset.overlays.get(sector_id)
    overlay_pad, overlay = (located.path, located.model) if located else (None, None)

    vragen: list[AnyVraag] = [v for _, s in flowset.stappen for v in s.vragen]
    vragen += list(kader.vragen)
    mededelingen: list[Mededeling] = [m for _, s in flowset.stappen for m in s.mededelingen]
    mededelingen += list(kader.mededelingen)
    regels: list[UitkomstRegel] = list(kader.uitkomsten)
    if overlay is not None:
        vragen = [_apply(v, overlay, overlay_pad) for v in vragen]
        mededelingen += list(overlay.mededelingen)
    # Stable sort: a question moved to another step keeps its order among that step's.
    vragen.sort(key=lambda v: STAPPEN.index(v.stap))
    if overlay is not None:
        _insert(vragen, overlay, overlay_pad)
        regels = list(overlay.uitkomsten) + regels
        vragen, regels = _routes(vragen, regels, overlay, sector.routes)
    else:
        vragen = [v for v in vragen if v.id != "route"]

    flow = Flow(
        sector=sector,
        versie=kader.versie,
        hash="",
        stap_namen={s.stap: s.naam for _, s in flowset.stappen},
        vragen=tuple(vragen),
        uitkomsten=tuple(regels),
        mededelingen=tuple(mededelingen),
        afsluitredenen=kader.afsluitredenen,
        afsluiten_tekst=kader.afsluiten_tekst,
    )
    canon = json.dumps(
        flow.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False
    )
    return flow.model_copy(update={"hash": "sha256:" + hashlib.sha256(canon.encode()).hexdigest()})


def _insert(vragen: list[AnyVraag], overlay: SectorBestand, pad: Path | None) -> None:
    """Put each question the overlay adds right after the one its `na` names."""
    for i, invoeging in enumerate(overlay.toevoegen):
        ids = [v.id for v in vragen]
        if invoeging.na not in ids:
            tekst = f"'na: {invoeging.na}' noemt een vraag die deze sector niet heeft."
            regel = _line(pad, ("toevoegen", i, "na"))
            raise FlowError([Probleem("MC106", pad or "", regel, tekst)])
        vragen.insert(ids.index(invoeging.na) + 1, invoeging.vraag)


def _apply(vraag: AnyVraag, overlay: SectorBestand, pad: Path | None) -> AnyVraag:
    """`vraag` with the overlay's changes; a change the question refuses is a FlowError."""
    wijziging = overlay.vragen.get(vraag.id)
    if wijziging is None:
        return vraag
    update = wijziging.model_dump(exclude_unset=True)
    try:
        return type(vraag).model_validate({**vraag.model_dump(by_alias=False), **update})
    except ValidationError as e:
        problemen = []
        for err in e.errors():
            code, tekst = in_dutch(dict(err))
            veld = next((str(d) for d in err["loc"] if str(d) in update), None)
            regel = _line(pad, ("vragen", vraag.id, *([veld] if veld else [])))
            problemen.append(Probleem(code, pad or "", regel, f"{vraag.id}: {tekst}"))
        raise FlowError(problemen) from None


def _line(pad: Path | None, loc: Sequence[str | int]) -> int | None:
    return line_of(pad, loc) if pad is not None else None


def _routes(
    vragen: list[AnyVraag],
    regels: list[UitkomstRegel],
    overlay: SectorBestand,
    sector_routes: Iterable[str],
) -> tuple[list[AnyVraag], list[UitkomstRegel]]:
    """Insert each route's own questions after `route`, and keep the steps off those routes."""
    ids = [v.id for v in vragen]
    if "route" not in ids or not overlay.routes:
        return [v for v in vragen if v.id != "route"], regels
    plek = ids.index("route")
    route_vraag = vragen[plek]
    assert isinstance(route_vraag, KeuzeVraag)  # noqa: S101 - checked by validate
    wanted = set(sector_routes)
    opties = tuple(o for o in route_vraag.opties if o.id in wanted)
    vragen[plek] = route_vraag.model_copy(update={"opties": opties})
    eigen: list[AnyVraag] = []
    for route in overlay.routes:
        op_route = Voorwaarde(antwoord={"route": (route.id,)})
        eigen += [_guard(v, op_route) for v in route.vragen]
        regels += [_guard_regel(r, op_route) for r in route.uitkomsten]
    weg = [r.id for r in overlay.routes if not r.meldcode_volgt]
    buiten = Voorwaarde(niet=Voorwaarde(antwoord={"route": tuple(weg)})) if weg else None
    # Follow-up questions carry their own conditions: after acute danger they also follow a
    # route that leaves the meldcode (design.md §4).
    rest = [v if buiten is None or v.vervolg else _guard(v, buiten) for v in vragen[plek + 1 :]]
    return [*vragen[: plek + 1], *eigen, *rest], regels
