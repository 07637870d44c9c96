"""Whole-flow checks for `meldcode valideer`: every problem of every sector at once.

NOTE: this module uses the loader (files, lines, overlays) and the engine's `walk` (the one
definition of a path), so it sits after both; only the `valideer` command imports it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

from pydantic import ValidationError

from meldcode.checks.paths import Bron, Findings, Loc, at, explore, vraag_bron
from meldcode.errors import FlowError, MeldcodeError
from meldcode.loading import FlowSet, assemble, load_flowset
from meldcode.model import (
    JA_NEE,
    STAPPEN,
    AnyVraag,
    Flow,
    JaNeeVraag,
    KeuzeVraag,
    Mededeling,
    MeerkeuzeVraag,
    SectorBestand,
    UitkomstRegel,
    Voorwaarde,
    VraagWijziging,
)

# design.md §6 "Question ids": these ids and their soort are a contract.
CONTRACT: Mapping[str, tuple[str, str]] = {
    "acuut-gevaar": ("ja-nee", "stap-1"),
    "route": ("keuze", "stap-1"),
    "signalen": ("meerkeuze", "stap-1"),
    "signalen-beschrijving": ("tekst", "stap-1"),
    "kindcheck": ("ja-nee", "stap-1"),
    "collegiale-consultatie": ("tekst", "stap-2"),
    "veilig-thuis-geraadpleegd": ("ja-nee", "stap-2"),
    "gesprek-gevoerd": ("ja-nee", "stap-3"),
    "gesprek-overgeslagen-reden": ("keuze", "stap-3"),
    "afweging-1": ("ja-nee", "kader"),
    "afweging-2": ("ja-nee", "kader"),
    "afweging-3": ("ja-nee", "kader"),
    "afweging-4": ("ja-nee", "kader"),
    "afweging-5": ("ja-nee", "kader"),
    "evaluatiedatum": ("datum", "kader"),
    "haags-protocol": ("ja-nee", "stap-1"),
    "terugkoppeling-veilig-thuis": ("tekst", "kader"),
}


def validate_dir(root: Path) -> int:
    """Check every sector flow under `root`; return how many there are, or raise FlowError."""
    fs = load_flowset(root)
    f = Findings()
    _static(fs, f)
    flows: dict[str, tuple[Flow, list[Bron]]] = {}
    for sector in fs.sector_ids():
        overlay = fs.overlays.get(sector)
        try:
            flows[sector] = (assemble(fs, sector), _bronnen(fs, [overlay] if overlay else []))
        except FlowError as e:
            f.klaar.extend(e.problemen)
        except (MeldcodeError, ValueError, AssertionError) as e:
            pad = overlay[0] if overlay else fs.kader[0]
            if any(k[1] == pad for k in f.items):
                continue  # already explained by a more precise problem
            reden = e.errors()[0]["msg"] if isinstance(e, ValidationError) else "zie hierboven"
            f.add("MC104", (pad, ()), f"sector '{sector}' is niet samen te stellen: {reden}.")
    bereikt: set[Loc] = set()
    aanwezig: set[Loc] = set()
    missing: dict[str, list[str]] = {}
    # Sectors whose flows differ only in a sector id that no condition names walk alike.
    gedaan: list[tuple[Flow, set[str], set[str]]] = []
    for flow, bronnen in flows.values():
        _per_flow(flow, bronnen, f)
        _contract(fs, flow, bronnen, f, missing)
        genoemd = {
            x
            for r in (*flow.vragen, *flow.uitkomsten)
            for k, x, _, _ in _refs(r.als)
            if k == "sector"
        }
        reached = next(
            (
                r
                for g, n, r in gedaan
                if flow.sector.id not in n | genoemd
                and g.sector.id not in n | genoemd
                and g.vragen == flow.vragen
                and g.uitkomsten == flow.uitkomsten
            ),
            None,
        )
        if reached is None:
            reached = explore(flow, bronnen, f, _overlay_plekken(fs, flow.sector.id))
            gedaan.append((flow, genoemd, reached))
        ids = {v.id for v in flow.vragen}
        for b in bronnen:
            if isinstance(b.obj, AnyVraag) and b.obj.id in ids:
                aanwezig.add(b.loc)
                if b.obj.id in reached:
                    bereikt.add(b.loc)
    for loc in sorted(aanwezig - bereikt, key=str):
        f.add(
            "MC107",
            loc,
            "deze vraag wordt op geen enkel pad in geen enkele sector gesteld; "
            "controleer haar 'als' en die van de vragen ervoor.",
        )
    for qid, sectoren in missing.items():
        stap = CONTRACT[qid][1]
        pad = next((p for p, s in fs.stappen if s.stap == stap), fs.kader[0])
        f.add(
            "MC113",
            (pad, ("vragen",)),
            f"vraag '{qid}' (design.md §6) ontbreekt in sector {', '.join(sectoren)}.",
        )
    f.raise_if_any()
    return len(fs.sector_ids())


# --- where things are written -----------------------------------------------------------


def _overlay_plekken(fs: FlowSet, sector: str) -> dict[tuple[str, str], Loc]:
    """Where the sector's overlay changes a key of a question: (vraag id, key) -> place."""
    pad, overlay = fs.overlays.get(sector, (None, None))
    if pad is None or overlay is None:
        return {}
    return {
        (qid, key): (pad, ("vragen", qid, key.replace("_", "-")))
        for qid, w in overlay.vragen.items()
        for key in w.model_fields_set
    }


def _bronnen(fs: FlowSet, overlays: list[tuple[Path, SectorBestand]]) -> list[Bron]:
    """The questions, rules and notices of the basis files and the given overlays."""
    out: list[Bron] = []
    for pad, stap in fs.stappen:
        out += [Bron((pad, ("vragen", i)), v) for i, v in enumerate(stap.vragen)]
        out += [Bron((pad, ("mededelingen", i)), m) for i, m in enumerate(stap.mededelingen)]
    pad, kader = fs.kader
    out += [Bron((pad, ("vragen", i)), v) for i, v in enumerate(kader.vragen)]
    out += [Bron((pad, ("uitkomsten", i)), r) for i, r in enumerate(kader.uitkomsten)]
    out += [Bron((pad, ("mededelingen", i)), m) for i, m in enumerate(kader.mededelingen)]
    for pad, ov in overlays:
        out += [Bron((pad, ("toevoegen", i, "vraag")), t.vraag) for i, t in enumerate(ov.toevoegen)]
        out += [Bron((pad, ("uitkomsten", i)), r) for i, r in enumerate(ov.uitkomsten)]
        out += [Bron((pad, ("mededelingen", i)), m) for i, m in enumerate(ov.mededelingen)]
        for j, route in enumerate(ov.routes):
            out += [Bron((pad, ("routes", j, "vragen", i)), v) for i, v in enumerate(route.vragen)]
            out += [
                Bron((pad, ("routes", j, "uitkomsten", i)), r)
                for i, r in enumerate(route.uitkomsten)
            ]
    return out


def _refs(als: Voorwaarde | None) -> Iterator[tuple[str, str, list[str] | None, tuple[str, ...]]]:
    """Every ("vraag"|"sector", id, values, place inside `als`) a condition names."""
    if als is None:
        return
    for s in als.sector or ():
        yield "sector", s, None, ("sector",)
    for qid, waarden in (als.antwoord or {}).items():
        yield "vraag", qid, [str(w) for w in waarden], ("antwoord", qid)
    for qid in als.beantwoord or ():
        yield "vraag", qid, None, ("beantwoord",)
    for key, subs in (("alle", als.alle or ()), ("een-van", als.een_van or ())):
        for i, sub in enumerate(subs):
            yield from ((k, x, w, (key, str(i), *p)) for k, x, w, p in _refs(sub))
    yield from ((k, x, w, ("niet", *p)) for k, x, w, p in _refs(als.niet))


def _opties(v: AnyVraag) -> set[str] | None:
    if isinstance(v, JaNeeVraag):
        return set(JA_NEE)
    if isinstance(v, KeuzeVraag | MeerkeuzeVraag):
        return {o.id for o in v.opties}
    return None


# --- checks on the files themselves -----------------------------------------------------


def _static(fs: FlowSet, f: Findings) -> None:
    """Checks on the files as written: ids, options, conditions, overlays."""
    sectoren = set(fs.sector_ids())
    spad, sbestand = fs.sectoren
    for i, n in enumerate(x.id for x in sbestand.sectoren):
        if fs.sector_ids()[:i].count(n):
            f.add("MC105", (spad, ("sectoren", i, "id")), f"sector-id '{n}' staat er twee keer in.")
    alle = _bronnen(fs, list(fs.overlays.values()))
    known: dict[str, set[str] | None] = {}
    for b in alle:
        if isinstance(b.obj, AnyVraag):
            opts = _opties(b.obj)
            known[b.obj.id] = None if opts is None else (known.get(b.obj.id) or set()) | opts
            _dubbel([o.id for o in getattr(b.obj, "opties", ())], at(b, "opties"), "optie-id", f)
            _standaard(b, opts, f)
    redenen = [o.id for o in fs.kader[1].afsluitredenen]
    _dubbel(redenen, (fs.kader[0], ("afsluitredenen",)), "optie-id", f)
    for b in alle:
        voorwaarden = [("als", b.obj.als)]
        if isinstance(b.obj, AnyVraag):
            voorwaarden.append(("vereist-als", b.obj.vereist_als))
        for sleutel, als in voorwaarden:
            for kind, x, waarden, sub in _refs(als):
                plek = at(b, sleutel, *sub)
                if kind == "sector" and x not in sectoren:
                    f.add("MC106", plek, f"onbekende sector '{x}' in de voorwaarde.")
                elif kind == "vraag" and x not in known:
                    f.add("MC106", plek, f"de voorwaarde noemt onbekende vraag '{x}'.")
                elif kind == "vraag" and waarden is not None:
                    _check_waarden(x, waarden, known[x], plek, f)
    _overlays(fs, f)


def _overlays(fs: FlowSet, f: Findings) -> None:
    """An overlay names a known sector, and changes or follows questions that exist."""
    basis_ids = {b.obj.id for b in _bronnen(fs, []) if isinstance(b.obj, AnyVraag)}
    for sector, (pad, ov) in fs.overlays.items():
        if sector not in fs.sector_ids():
            f.add("MC106", (pad, ("sector",)), f"sector '{sector}' staat niet in sectoren.yaml.")
        for key in ov.vragen:
            if key not in basis_ids:
                f.add(
                    "MC106", (pad, ("vragen", key)), f"de overlay wijzigt onbekende vraag '{key}'."
                )
        eerder = set(basis_ids)
        for i, t in enumerate(ov.toevoegen):
            if t.na not in eerder:
                f.add(
                    "MC106", (pad, ("toevoegen", i, "na")), f"'na' noemt onbekende vraag '{t.na}'."
                )
            eerder.add(t.vraag.id)


def _dubbel(ids: list[str], plek: Loc, wat: str, f: Findings) -> None:
    """MC105 at each id in the list at `plek` that an earlier one repeats."""
    for i, n in enumerate(ids):
        if ids[:i].count(n):
            f.add("MC105", (plek[0], (*plek[1], i)), f"{wat} '{n}' staat er twee keer in.")


def _check_waarden(
    qid: str, waarden: list[str], opts: set[str] | None, loc: Loc, f: Findings
) -> None:
    if opts is None:
        f.add(
            "MC106",
            loc,
            f"vraag '{qid}' is een open vraag; gebruik 'beantwoord' in plaats van 'antwoord'.",
        )
    for w in waarden:
        if opts is not None and w not in opts:
            f.add(
                "MC106",
                loc,
                f"vraag '{qid}' heeft geen antwoord '{w}'; kies uit: {', '.join(sorted(opts))}.",
            )


def _standaard(b: Bron, opts: set[str] | None, f: Findings) -> None:
    v = b.obj
    assert isinstance(v, AnyVraag)  # noqa: S101 - only called for questions
    for key, waarde in (("standaard", v.standaard), ("vereist", v.vereist)):
        waarden = waarde if isinstance(waarde, tuple) else () if waarde is None else (waarde,)
        if opts is not None and any(w not in opts for w in waarden):
            f.add("MC106", at(b, key), f"'{key}' van vraag '{v.id}' is geen van de opties.")


# --- checks on one assembled sector flow ------------------------------------------------


def _per_flow(flow: Flow, bronnen: list[Bron], f: Findings) -> None:
    """Duplicate ids (MC105) and conditions on questions not yet asked (MC111)."""
    for soort, ids in (
        (AnyVraag, [v.id for v in flow.vragen]),
        (UitkomstRegel, [r.id for r in flow.uitkomsten]),
        (Mededeling, [m.id for m in flow.mededelingen]),
    ):
        for n in (n for n, count in Counter(ids).items() if count > 1):
            locs = [b for b in bronnen if isinstance(b.obj, soort) and b.obj.id == n]
            for b in locs[1:]:
                f.add(
                    "MC105",
                    at(b, "id"),
                    f"id '{n}' komt meer dan eens voor (in sector '{flow.sector.id}').",
                    uniek=n,
                )
    plek: dict[str, int] = {}
    for k, v in enumerate(flow.vragen):
        plek.setdefault(v.id, k)
    for b in bronnen:
        if isinstance(b.obj, AnyVraag) and b.obj.id in plek:
            eigen, wat = plek[b.obj.id], "na deze vraag"
        elif isinstance(b.obj, Mededeling):
            eigen, wat = -1, f"niet vóór {b.obj.stap}"
        else:
            continue
        for kind, x, _, sub in _refs(b.obj.als):
            if kind != "vraag" or x not in plek:
                continue
            later = (
                plek[x] >= eigen
                if eigen >= 0
                else (STAPPEN.index(flow.vragen[plek[x]].stap) >= STAPPEN.index(b.obj.stap))
            )
            if later:
                f.add(
                    "MC111",
                    at(b, "als", *sub),
                    f"de voorwaarde noemt vraag '{x}', die "
                    f"{wat} wordt gesteld; zo'n voorwaarde kan nooit gelden.",
                )


def _contract(
    fs: FlowSet, flow: Flow, bronnen: list[Bron], f: Findings, missing: dict[str, list[str]]
) -> None:
    """The question ids of design.md §6 (MC113) and the sector's routes (MC114)."""
    sector = flow.sector
    ids = {v.id: v for v in flow.vragen}
    overlay = fs.overlays.get(sector.id)
    wijzigingen = overlay[1].vragen if overlay else {}
    leeg = VraagWijziging()

    def waar(v: AnyVraag, key: str) -> Loc:
        if overlay and key in wijzigingen.get(v.id, leeg).model_fields_set:
            return overlay[0], ("vragen", v.id, key)
        return at(vraag_bron(bronnen, v.id), key)

    for qid, (soort, _) in CONTRACT.items():
        v = ids.get(qid)
        if v is None:
            # A missing `route` is MC114's to report. A sector the flows leave out of a
            # question (kinderopvang: no kindcheck) does so with the question's own `als`.
            if qid != "route":
                missing.setdefault(qid, []).append(sector.id)
        elif v.soort != soort:
            f.add("MC113", waar(v, "soort"), f"vraag '{qid}' moet soort '{soort}' hebben.")
        elif (v.standaard is not None) != (qid == "route") or v.standaard not in (None, "thuis"):
            f.add(
                "MC113",
                waar(v, "standaard"),
                f"vraag '{qid}' mag geen andere 'standaard' "
                "hebben dan design.md §6 zegt (alleen 'route' heeft 'thuis').",
            )
    for v in flow.vragen:
        if v.id not in CONTRACT and v.standaard is None and v.verplicht:
            f.add(
                "MC113",
                waar(v, "verplicht"),
                f"vraag '{v.id}' heeft geen 'standaard' en is "
                "verplicht; geef een 'standaard' of zet 'verplicht: false'.",
            )
    if flow.vragen and flow.vragen[0].id != "acuut-gevaar":
        f.add("MC113", waar(flow.vragen[0], "id"), "de eerste vraag moet 'acuut-gevaar' zijn.")
    _routes(fs, flow, f)


def _routes(fs: FlowSet, flow: Flow, f: Findings) -> None:
    """MC114: the routes of sectoren.yaml, the sector's overlay and the `route` options agree."""
    sector = flow.sector
    overlay = fs.overlays.get(sector.id)
    spad = (fs.sectoren[0], ("sectoren", fs.sector_ids().index(sector.id), "routes"))
    eigen = [r.id for r in overlay[1].routes] if overlay else []
    if "thuis" not in sector.routes:
        f.add("MC114", spad, f"sector '{sector.id}' mist de route 'thuis'.")
    for r in sector.routes:
        if r != "thuis" and r not in eigen:
            f.add(
                "MC114",
                spad,
                f"route '{r}' van sector '{sector.id}' heeft geen overlay "
                "die haar beschrijft (afwegingskader/<sector>.yaml, 'routes').",
            )
    for j, r in enumerate(eigen):
        if r not in sector.routes:
            assert overlay is not None  # noqa: S101 - eigen is empty without an overlay
            f.add(
                "MC114",
                (overlay[0], ("routes", j, "id")),
                f"route '{r}' staat niet bij sector '{sector.id}' in sectoren.yaml.",
            )
    route = next((v for v in flow.vragen if v.id == "route"), None)
    if isinstance(route, KeuzeVraag) and {o.id for o in route.opties} != set(sector.routes):
        f.add(
            "MC114",
            spad,
            f"de opties van vraag 'route' passen niet bij de routes van sector '{sector.id}'.",
        )
