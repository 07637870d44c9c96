"""Answers files (design.md §6): parse and check them, plan the run, answer from them."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from meldcode import engine
from meldcode.engine.answers import check_antwoord
from meldcode.errors import (
    AnswerRefused,
    AnswersFileError,
    MeldcodeError,
    MissingAnswers,
    UnknownVraagIds,
)
from meldcode.loading import FlowSet, YamlFout, parse_yaml
from meldcode.model import Antwoord, AnyVraag, Flow, State, TekstVraag, Uitkomst, Waarde, Wacht
from meldcode.prompts.interface import Actie, VraagContext


class Antwoordenbestand(BaseModel):
    """An answers file: the sector, an optional own reference, the answers by question id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sector: str | None = None
    label: str | None = None
    antwoorden: dict[str, Any] = Field(default_factory=dict)

    @field_validator("label", mode="before")
    @classmethod
    def _label_as_text(cls, waarde: object) -> object:
        """A reference written without quotes (`label: 4711`, a date) is still a reference."""
        if isinstance(waarde, int | float | dt.date) and not isinstance(waarde, bool):
            return str(waarde)
        return waarde


def parse_answers(text: str, bron: str) -> Antwoordenbestand:
    """The answers file in `text` (YAML or a JSON export), or AnswersFileError."""
    try:
        data = parse_yaml(text)
    except YamlFout as e:
        regel = f" (regel {e.regel})" if e.regel else ""
        if "twee keer" in e.probleem:
            probleem = f"{e.probleem}{regel}; geef elke vraag één antwoord."
            raise AnswersFileError(bron=bron, probleem=probleem) from None
        raise AnswersFileError(bron=bron, probleem=f"geen geldige YAML{regel}.") from None
    if not isinstance(data, dict):
        raise AnswersFileError(
            bron=bron, probleem="het bestand moet een mapping zijn met 'sector' en 'antwoorden'."
        )
    if "schema_versie" in data and "log" in data:
        data = _from_export(data)
    if data.get("antwoorden") is None:
        data = {**data, "antwoorden": {}}
    onbekend = sorted(str(k) for k in data if k not in Antwoordenbestand.model_fields)
    if onbekend:
        raise AnswersFileError(
            bron=bron,
            probleem=f"onbekende sleutel(s) {', '.join(onbekend)}; toegestaan zijn sector, "
            "label en antwoorden.",
        )
    try:
        bestand = Antwoordenbestand.model_validate(data)
    except ValidationError as e:
        plek = ", ".join(".".join(str(p) for p in err["loc"]) for err in e.errors())
        raise AnswersFileError(
            bron=bron,
            probleem=f"{plek} heeft de verkeerde vorm (sector en label zijn tekst, antwoorden "
            "een mapping van vraag-id naar antwoord).",
        ) from None
    return bestand.model_copy(
        update={"antwoorden": {str(k): _plain(v) for k, v in bestand.antwoorden.items()}}
    )


def _from_export(data: dict[str, Any]) -> dict[str, Any]:
    """A JSON export read as an answers file: its sector, label and latest answers."""
    casus = data["casus"] if isinstance(data.get("casus"), dict) else {}
    antwoorden: dict[str, Any] = {}
    for e in data.get("log") or ():
        if isinstance(e, dict) and e.get("soort") in ("antwoord", "wijziging") and e.get("vraag"):
            antwoorden.pop(e["vraag"], None)  # a changed answer moves to its new place
            antwoorden[e["vraag"]] = e.get("antwoord")
    return {"sector": casus.get("sector"), "label": casus.get("label"), "antwoorden": antwoorden}


def _plain(waarde: object) -> object:
    """YAML dates become ISO text; a date with a time stays text, so the engine refuses it."""
    if isinstance(waarde, dt.datetime):
        return waarde.isoformat()
    if isinstance(waarde, dt.date):
        return waarde.isoformat()
    return waarde


def vraag_ids(fs: FlowSet) -> set[str]:
    """Every question id of every sector: basis steps, kader, overlays and their routes."""
    ids = {v.id for _, s in fs.stappen for v in s.vragen} | {v.id for v in fs.kader.model.vragen}
    for _, overlay in fs.overlays.values():
        ids |= {i.vraag.id for i in overlay.toevoegen}
        ids |= {v.id for r in overlay.routes for v in r.vragen}
    return ids


def check_ids(gegeven: Iterable[str], bekend: set[str]) -> None:
    """UnknownVraagIds naming each id no sector has, with the nearest known id."""
    onbekend = [i for i in gegeven if i not in bekend]
    if onbekend:
        kandidaten = sorted(bekend)
        raise UnknownVraagIds(
            ids={
                i: next(iter(difflib.get_close_matches(i, kandidaten, n=1)), None) for i in onbekend
            }
        )


@dataclass(frozen=True)
class Plan:
    """What a scripted run will answer, in order, and which answers it will not use."""

    antwoorden: dict[str, Waarde]
    ongebruikt: tuple[str, ...]
    state: State


def plan(flow: Flow, state: State, antwoorden: Mapping[str, object], *, standaard: bool) -> Plan:
    """Walk the path with the file's answers without recording; refuse bad or missing ones.

    Runs before anything is stored, so a file that cannot complete leaves no half case behind.
    Every missing answer is named at once: the walk goes on past a gap with the question's
    default (or no answer) wherever the path allows.

    An answer reported as unused changes nothing (design.md §6: it is "ignored"): its mere
    presence may have led the walk on past a follow-up question (e.g. a
    `terugkoppeling-veilig-thuis` in a staff route, which has no such question), so the plan
    is made again without the unused answers until every answer left is used.
    """
    weg: set[str] = set()
    while True:
        gebruikt = {i: w for i, w in antwoorden.items() if i not in weg}
        p = _plan(flow, state, gebruikt, standaard=standaard)
        if not p.ongebruikt:
            ongebruikt = tuple(i for i in antwoorden if i in weg)
            return Plan(antwoorden=p.antwoorden, ongebruikt=ongebruikt, state=p.state)
        weg.update(p.ongebruikt)


def _plan(flow: Flow, state: State, antwoorden: Mapping[str, object], *, standaard: bool) -> Plan:
    """One walk of `plan` with these answers."""
    gekozen: dict[str, Waarde] = {}
    ontbreekt: list[str] = []
    al = {a.vraag_id: a.waarde for a in state.antwoorden}  # a resumed case's answers

    def fill(
        vraag: AnyVraag, uitkomst: Uitkomst | None, gegeven: Mapping[str, Waarde]
    ) -> Antwoord | None:
        if uitkomst is not None and not _walks_on(flow, vraag, antwoorden, gekozen, gegeven):
            return None
        # design.md §6: once the file gives `terugkoppeling-veilig-thuis`, the follow-up
        # questions it leaves out take their `standaard` (each has one, or is optional).
        vervolg = (
            uitkomst is not None
            and _follow_up(vraag)
            and _terugkoppeling(flow, antwoorden, gegeven)
        )
        if vraag.id in antwoorden:
            waarde = check_antwoord(vraag, _for(vraag, antwoorden[vraag.id]))
        elif not vraag.verplicht or ((standaard or vervolg) and vraag.standaard is not None):
            # An optional question may stay empty (design.md §6: "standaard or optional");
            # --standaard fills in the flow's default where there is one.
            waarde = check_antwoord(vraag, vraag.standaard if standaard or vervolg else None)
        else:
            ontbreekt.append(vraag.id)
            # Fill the gap without the engine's checks, only to see what else the path needs.
            return Antwoord(vraag_id=vraag.id, waarde=vraag.standaard)
        gekozen[vraag.id] = waarde
        return Antwoord(vraag_id=vraag.id, waarde=waarde)

    while True:
        state = engine.replay_by(flow, state, fill)
        # The file may change the answer the case waits on (e.g. Veilig Thuis now consulted).
        wacht = engine.walk(flow, state).wacht
        if wacht is None or wacht.vraag_id not in antwoorden or wacht.vraag_id in gekozen:
            break
        vraag = flow.vraag(wacht.vraag_id)
        gekozen[vraag.id] = check_antwoord(vraag, _for(vraag, antwoorden[vraag.id]))
        state = engine.wijzig(flow, state, Antwoord(vraag_id=vraag.id, waarde=gekozen[vraag.id]))
    if ontbreekt:
        raise MissingAnswers(ids=ontbreekt)
    # An answer the resumed case already holds is not unused: the same file may be given again
    # after a run that stopped halfway (a failed write), and goes on where it stopped.
    ongebruikt = tuple(
        i for i in antwoorden if i not in gekozen and not _al_gegeven(flow, i, antwoorden[i], al)
    )
    return Plan(antwoorden=gekozen, ongebruikt=ongebruikt, state=state)


def _al_gegeven(flow: Flow, vraag_id: str, waarde: object, al: Mapping[str, Waarde]) -> bool:
    """Whether `waarde` is the answer the case already has for `vraag_id`."""
    if vraag_id not in al or not flow.has_vraag(vraag_id):
        return False
    vraag = flow.vraag(vraag_id)
    try:
        return check_antwoord(vraag, _for(vraag, waarde)) == al[vraag_id]
    except MeldcodeError:
        return False


def _walks_on(
    flow: Flow,
    volgende: AnyVraag,
    antwoorden: Mapping[str, object],
    gekozen: Mapping[str, Waarde],
    gegeven: Mapping[str, Waarde],
) -> bool:
    """After an outcome: whether the run goes on to `volgende` (afweging-5, a follow-up)."""
    terugkoppeling = _terugkoppeling(flow, antwoorden, gegeven)
    rest = {i for i in antwoorden if i not in gekozen}
    if not terugkoppeling:
        rest.discard(TERUGKOPPELING)
    # A follow-up question is never required in a scripted run (design.md §6): without
    # `terugkoppeling-veilig-thuis` the run ends at the follow-up (status `vervolg`).
    return (_follow_up(volgende) and terugkoppeling) or _ahead(flow, volgende, rest)


TERUGKOPPELING = "terugkoppeling-veilig-thuis"


def _follow_up(vraag: AnyVraag) -> bool:
    """Whether `vraag` belongs to the follow-up of an outcome (design.md §4 "Vervolg")."""
    return vraag.vervolg or vraag.ook_in_vervolg


def _terugkoppeling(
    flow: Flow, antwoorden: Mapping[str, object], gegeven: Mapping[str, Waarde]
) -> bool:
    """Whether the file gives `terugkoppeling-veilig-thuis` and it is on the case's path (a
    staff route has no such question: there its own follow-up answers decide)."""
    if TERUGKOPPELING not in antwoorden or not flow.has_vraag(TERUGKOPPELING):
        return False
    return engine.holds(flow.vraag(TERUGKOPPELING).als, flow.sector.id, gegeven)


def _ahead(flow: Flow, volgende: AnyVraag, rest: set[str]) -> bool:
    """Whether the file still answers `volgende` or a question after it (walk on)."""
    ids = [v.id for v in flow.vragen]
    return bool(rest & set(ids[ids.index(volgende.id) :]))


def _for(vraag: AnyVraag, waarde: object) -> object:
    """A number given for a text question is meant as text."""
    if (
        isinstance(vraag, TekstVraag)
        and isinstance(waarde, int | float)
        and not isinstance(waarde, bool)
    ):
        return str(waarde)
    return waarde


class ScriptedPrompter:
    """Answers from a planned answers file; never asks anyone anything.

    `first` scripts what a person does at a question before its planned answer, so tests walk
    with this prompter instead of a fake: each time that question is asked, its next item is
    given, a Waarde as the answer, an Actie (terug, afsluiten, pauze, ...) as the choice, and
    an exception is raised (as Ctrl-C or an `AnswerThenStop` would be). When the items are used
    up, the planned answer follows. Only planned answers count in `gevraagd`.
    """

    def __init__(
        self,
        antwoorden: Mapping[str, Waarde],
        *,
        first: Mapping[str, Sequence[Waarde | Actie | BaseException]] | None = None,
    ) -> None:
        self.antwoorden = dict(antwoorden)
        self.first = {i: list(items) for i, items in (first or {}).items()}
        self.gevraagd: list[str] = []
        self.wacht: Wacht | None = None

    def ask(self, vraag: AnyVraag, context: VraagContext) -> Antwoord | Actie:  # noqa: ARG002
        """The next scripted item, else the planned answer; a question the plan did not
        foresee is a missing answer."""
        if self.first.get(vraag.id):
            item = self.first[vraag.id].pop(0)
            if isinstance(item, BaseException):
                raise item
            if isinstance(item, Actie):
                return item
            return Antwoord(vraag_id=vraag.id, waarde=item)
        if vraag.id not in self.antwoorden:
            raise MissingAnswers(ids=[vraag.id])
        self.gevraagd.append(vraag.id)
        return Antwoord(vraag_id=vraag.id, waarde=self.antwoorden[vraag.id])

    def onderbouwing(self, vraag: AnyVraag) -> str | None:  # noqa: ARG002
        """An answers file gives no separate onderbouwing."""
        return None

    def bevestig(self, actie: Actie) -> None:
        """A script reads the log, not the screen: nothing to say."""

    def invalid(self, vraag: AnyVraag, melding: str) -> None:  # noqa: ARG002
        """A refused answer ends a scripted run (exit 2)."""
        raise AnswerRefused(melding=melding)

    def walk_on(self, reached: Uitkomst, volgende: AnyVraag) -> bool:  # noqa: ARG002
        """Go on after an outcome only when the script still answers the next question."""
        return self._has_more(volgende.id)

    def waiting(self, wacht: Wacht) -> bool:
        """Ask again if the file changes that answer; else remember why the case waits."""
        verder = self._has_more(wacht.vraag_id)
        self.wacht = None if verder else wacht
        return verder

    def _has_more(self, vraag_id: str) -> bool:
        """Whether the script still gives something at `vraag_id`."""
        gepland = vraag_id in self.antwoorden and vraag_id not in self.gevraagd
        return gepland or bool(self.first.get(vraag_id))
