"""Practice cases for trainers: the model, loading, replaying, checking and comparing.

A practice case is a fictional story per step with the intended answers (in the answers-file
format of design.md §6), the intended outcome and an explanation per afweging. The walk itself
is the real one; this module only knows the case files and what they should lead to.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field

from meldcode import engine
from meldcode.contract import Besluit
from meldcode.engine.answers import check_antwoord
from meldcode.errors import (
    FlowError,
    InvalidAntwoord,
    OefenCasusError,
    Probleem,
    UnknownSector,
)
from meldcode.flows import flows_dir, load_flow
from meldcode.flows import shipped_dir as shipped_flows
from meldcode.loading import line_of, parse, read_yaml
from meldcode.model import (
    STAPPEN,
    Antwoord,
    AnyVraag,
    Flow,
    Frozen,
    Kebab,
    State,
    Uitkomst,
    UitkomstId,
    Waarde,
)

# Where a story part is shown: before the first question, before each step, and before
# afweging-5 (the evaluation, weeks after the help started).
VERHAAL_DELEN: tuple[str, ...] = ("begin", *STAPPEN, "evaluatie")
# Always compared, whatever the case explains; other questions only when the case has uitleg.
KERNVRAGEN: tuple[str, ...] = (
    "acuut-gevaar",
    "route",
    "veilig-thuis-geraadpleegd",
    "gesprek-gevoerd",
    *(f"afweging-{n}" for n in range(1, 6)),
)
AntwoordWaarde = bool | dt.date | str | tuple[str, ...]
_At = Callable[[str, tuple[str | int, ...], str], Probleem]


class Verwacht(Frozen):
    """The outcome the intended answers lead to (design.md §6 outcome table)."""

    id: UitkomstId
    reden: Kebab | None = None
    meldnorm: Literal[1, 2, 3] | None = None


class OefenCasus(Frozen):
    """One fictional practice case, as a trainer writes it in YAML."""

    id: Kebab
    titel: str = Field(min_length=1)
    sector: Kebab
    inleiding: str = Field(min_length=1, description="korte inleiding, getoond bij de start")
    verhaal: dict[str, str] = Field(
        description="het verhaal per deel: begin, stap-1 … stap-5, evaluatie (voor afweging 5)"
    )
    antwoorden: dict[Kebab, AntwoordWaarde] = Field(
        description="de bedoelde antwoorden, in dezelfde vorm als een antwoordenbestand"
    )
    verwacht: Verwacht
    uitleg: dict[Kebab, str] = Field(
        default_factory=dict, description="per afweging (of vraag): waarom dit antwoord klopt"
    )
    bron: str | None = Field(
        default=None, description="waarop de casus steunt (een wet, richtlijn of handreiking)"
    )


# --- finding and loading ----------------------------------------------------------------


def shipped_dir() -> Path:
    """The practice cases that ship inside the package."""
    return Path(str(resources.files("meldcode") / "oefencasussen"))


def _recode(problemen: Iterable[Probleem]) -> list[Probleem]:
    """Loader codes (MC1xx) as practice-case codes (MC2xx): same kind, other file type."""
    return [
        Probleem(p.code.replace("MC1", "MC2", 1), p.bestand, p.regel, p.tekst) for p in problemen
    ]


def read_cases(folder: Path) -> tuple[list[tuple[Path, OefenCasus]], list[Probleem]]:
    """Parse every `*.yaml` in `folder`; the cases that parse and the problems of the rest."""
    if not folder.is_dir():
        return [], [Probleem("MC200", folder, None, "map met oefencasussen bestaat niet.")]
    found: list[tuple[Path, OefenCasus]] = []
    problemen: list[Probleem] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            found.append((path, parse(OefenCasus, path, read_yaml(path))))
        except FlowError as e:
            problemen += _recode(e.problemen)
    if not found and not problemen:
        problemen.append(Probleem("MC200", folder, None, "geen oefencasussen (*.yaml) gevonden."))
    return found, problemen


def check_case(path: Path, casus: OefenCasus, flows_root: Path | None = None) -> list[Probleem]:
    """Everything wrong with one parsed case, checked against the flow of its sector."""

    def at(code: str, loc: tuple[str | int, ...], tekst: str) -> Probleem:
        return Probleem(code, path, line_of(path, loc), tekst)

    try:
        flow = load_flow(casus.sector, flows_root)
    except UnknownSector as e:
        return [at("MC210", ("sector",), str(e))]
    problemen = []
    for deel in casus.verhaal:
        if deel not in VERHAAL_DELEN:
            tekst = f"onbekend verhaaldeel '{deel}'; toegestaan: {', '.join(VERHAAL_DELEN)}."
            problemen.append(at("MC212", ("verhaal", deel), tekst))
    if "begin" not in casus.verhaal:
        problemen.append(at("MC212", ("verhaal",), "het verhaal mist het deel 'begin'."))
    ids = [v.id for v in flow.vragen]
    for soort, keys in (("antwoorden", casus.antwoorden), ("uitleg", casus.uitleg)):
        for vraag_id in keys:
            if vraag_id not in ids:
                hint = difflib.get_close_matches(vraag_id, ids, n=1)
                tekst = f"vraag '{vraag_id}' bestaat niet in sector '{casus.sector}'." + (
                    f" Bedoelde u '{hint[0]}'?" if hint else ""
                )
                problemen.append(at("MC211", (soort, vraag_id), tekst))
    if problemen:
        return problemen
    try:
        state = play(flow, casus.antwoorden)
    except InvalidAntwoord as e:
        return [at("MC214", ("antwoorden", e.vraag_id), str(e))]
    return _check_path(casus, flow, state, at)


def _check_path(casus: OefenCasus, flow: Flow, state: State, at: _At) -> list[Probleem]:
    """The replayed intended answers: do they reach `verwacht`, and is every answer used?"""
    problemen: list[Probleem] = []
    bereikt = engine.walk(flow, state).uitkomst
    if not _same(casus.verwacht, bereikt):
        tekst = (
            f"de bedoelde antwoorden leiden tot {uitkomst_label(bereikt)}, "
            f"niet tot {uitkomst_label(casus.verwacht)}."
        )
        problemen.append(at("MC215", ("verwacht", "id"), tekst))
    gebruikt = [a.vraag_id for a in state.antwoorden]
    for vraag_id in casus.antwoorden:
        if vraag_id not in gebruikt:
            tekst = f"het antwoord op '{vraag_id}' wordt op het pad van deze casus niet gebruikt."
            problemen.append(at("MC216", ("antwoorden", vraag_id), tekst))
    for vraag_id in gebruikt:
        if vraag_id in casus.uitleg or not _needs_uitleg(vraag_id, state.waarde(vraag_id)):
            continue
        tekst = f"de uitleg bij '{vraag_id}' ontbreekt; die is nodig voor de nabespreking."
        problemen.append(at("MC217", ("uitleg",), tekst))
    return problemen


def _needs_uitleg(vraag_id: str, waarde: Waarde) -> bool:
    """Every afweging, and the choices that leave the ordinary walk, need an explanation."""
    if vraag_id.startswith("afweging-"):
        return True
    return (vraag_id, waarde) in {
        ("acuut-gevaar", "ja"),
        ("route", "medewerker"),
        ("route", "kinderen-onderling"),
    }


def load_cases(eigen: Path | None = None) -> dict[str, tuple[Path, OefenCasus]]:
    """The shipped cases plus (replacing same ids) those in `eigen`; all checked, or an error.

    NOTE: the shipped cases on the shipped flows are checked in CI (tests/test_oefen.py runs
    `validate_cases` on them), so they are not replayed again here: that took ~20 ms of every
    `oefen`. On an organisation's own flows (MELDCODE_FLOWS), and cases of its own, they are.
    """
    cases: dict[str, tuple[Path, OefenCasus]] = {}
    for folder in (shipped_dir(), *((eigen,) if eigen else ())):
        found, problemen = read_cases(folder)
        problemen += _duplicates(found)
        if not _checked_in_ci(folder):
            for path, casus in found:
                problemen += check_case(path, casus)
        if problemen:
            raise OefenCasusError(_sorted(problemen))
        cases.update({c.id: (p, c) for p, c in found})
    return cases


def _checked_in_ci(folder: Path) -> bool:
    """Whether `folder` holds the shipped cases and the flows are the shipped ones."""
    return folder == shipped_dir() and flows_dir().resolve() == shipped_flows().resolve()


def _duplicates(found: list[tuple[Path, OefenCasus]]) -> list[Probleem]:
    seen: dict[str, Path] = {}
    problemen = []
    for path, casus in found:
        if casus.id in seen:
            tekst = f"casus-id '{casus.id}' staat ook in {seen[casus.id].name}."
            problemen.append(Probleem("MC218", path, line_of(path, ("id",)), tekst))
        seen.setdefault(casus.id, path)
    return problemen


def validate_cases(folder: Path, flows_root: Path | None = None) -> int:
    """Check every case file in `folder` (for `meldcode valideer`); the number of valid cases."""
    found, problemen = read_cases(folder)
    problemen += _duplicates(found)
    for path, casus in found:
        problemen += check_case(path, casus, flows_root)
    if problemen:
        raise OefenCasusError(_sorted(problemen))
    return len(found)


def _sorted(problemen: list[Probleem]) -> list[Probleem]:
    return sorted(problemen, key=lambda p: (p.bestand, p.regel or 0))


def case_schema_json() -> str:
    """The JSON Schema of a practice case file, as indented JSON text."""
    schema = OefenCasus.model_json_schema(by_alias=True)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    schema["title"] = "meldcode oefencasus"
    return json.dumps(schema, ensure_ascii=False, indent=2)


# --- replaying and comparing ------------------------------------------------------------


def play(flow: Flow, antwoorden: Mapping[str, object]) -> State:
    """The intended answers through the engine, with defaults for optional questions left out."""

    def fill(vraag: AnyVraag, uitkomst: Uitkomst | None, _: object) -> Antwoord | None:
        if uitkomst is not None and not walks_on(flow, antwoorden, vraag):
            return None
        if vraag.id in antwoorden:
            waarde = antwoorden[vraag.id]
        elif vraag.standaard is not None or not vraag.verplicht:
            waarde = vraag.standaard
        else:
            return None
        return Antwoord(vraag_id=vraag.id, waarde=check_antwoord(vraag, waarde))

    return engine.replay_by(flow, State(sector=flow.sector.id), fill)


def walks_on(flow: Flow, antwoorden: Mapping[str, object], volgende: AnyVraag) -> bool:
    """After an outcome: whether the case still has answers from `volgende` on (afweging-5)."""
    ids = [v.id for v in flow.vragen]
    start = ids.index(volgende.id)
    return any(v in ids[start:] for v in antwoorden)


@dataclass(frozen=True)
class Verschil:
    """One question the participant answered other than the case intends."""

    vraag_id: str
    vraag_tekst: str
    gegeven: Waarde
    bedoeld: Waarde
    uitleg: str | None


@dataclass(frozen=True)
class Vergelijking:
    """The participant's walk set against the case's intended one."""

    verwacht: Verwacht
    bereikt: Uitkomst | None
    verschillen: tuple[Verschil, ...]

    @property
    def gelijk(self) -> bool:
        """Whether the participant reached the intended outcome."""
        return _same(self.verwacht, self.bereikt)


def vergelijk(flow: Flow, casus: OefenCasus, state: State) -> Vergelijking:
    """Compare the participant's answers in `state` with the case, per afweging."""
    bedoeld_state = play(flow, casus.antwoorden)
    wanted = set(KERNVRAGEN) | set(casus.uitleg)
    verschillen = []
    for vraag in flow.vragen:
        if vraag.id not in wanted:
            continue
        gegeven, bedoeld = state.waarde(vraag.id), bedoeld_state.waarde(vraag.id)
        if gegeven != bedoeld:
            uitleg = casus.uitleg.get(vraag.id)
            verschillen.append(Verschil(vraag.id, vraag.tekst, gegeven, bedoeld, uitleg))
    bereikt = engine.walk(flow, state).uitkomst
    return Vergelijking(verwacht=casus.verwacht, bereikt=bereikt, verschillen=tuple(verschillen))


def _same(verwacht: Verwacht, bereikt: Uitkomst | None) -> bool:
    return bereikt is not None and Besluit.of(verwacht) == Besluit.of(bereikt)


def uitkomst_label(u: Verwacht | Uitkomst | None) -> str:
    """An outcome in a few Dutch words, e.g. `melden (reden …, meldnorm 1)`."""
    if u is None:
        return "geen uitkomst (de casus staat nog open)"
    delen = [f"reden {u.reden}" if u.reden else "", f"meldnorm {u.meldnorm}" if u.meldnorm else ""]
    extra = ", ".join(d for d in delen if d)
    return f"{u.id} ({extra})" if extra else u.id
