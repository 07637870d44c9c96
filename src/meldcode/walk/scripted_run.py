"""Scripted runs: an answers file walked through the one interview loop, stored like any case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from meldcode import engine
from meldcode.errors import AnswersFileError
from meldcode.loading import flowset, load_flow
from meldcode.model import Flow, State
from meldcode.prompts.scripted import (
    Antwoordenbestand,
    Plan,
    ScriptedPrompter,
    check_ids,
    parse_answers,
    plan,
    vraag_ids,
)
from meldcode.store import CaseStore as Store
from meldcode.store import Casus
from meldcode.text.phrases import UITKOMST_NAMEN, datum_nl, reden_naam
from meldcode.walk import loop
from meldcode.walk.recorder import Recorder

STDIN = "(standaardinvoer)"


# An answers file holds a few pages of text; anything larger is a mistake (the wrong file, a
# runaway script) and would cost about five times its size in memory before it is refused.
MAX_BYTES = 5 * 1024 * 1024
MAX_TEKST = "5 MB"


def read_answers(source: str, stdin: TextIO | None) -> Antwoordenbestand:
    """The answers file at `source` ('-' reads `stdin`), as strict UTF-8, at most 5 MB."""
    bron = STDIN if source == "-" else source
    try:
        data = _read_file(Path(source)) if source != "-" else _read_stdin(stdin)
        if len(data) > MAX_BYTES:
            raise AnswersFileError(
                bron=bron,
                probleem=f"het is groter dan {MAX_TEKST}, de grens voor een antwoordenbestand; "
                "meldcode heeft het niet gelezen. Controleer of u het goede bestand geeft.",
            )
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise AnswersFileError(
            bron=bron, probleem="de tekst is geen UTF-8; sla het bestand op als UTF-8."
        ) from None
    except (OSError, ValueError) as e:  # ValueError: reading a closed stream
        if source == "-":
            reden = "de standaardinvoer is gesloten of niet leesbaar."
        elif isinstance(e, FileNotFoundError):
            reden = "het bestand bestaat niet."
        elif isinstance(e, IsADirectoryError):
            reden = "dit is een map; geef het pad van het YAML-bestand zelf."
        else:
            reden = "het bestand is niet leesbaar."
        raise AnswersFileError(bron=bron, probleem=reden) from None
    return parse_answers(text, bron)


def _read_file(path: Path) -> bytes:
    """The file's bytes, but never more than one byte over the limit."""
    with path.open("rb") as f:
        return f.read(MAX_BYTES + 1)


def _read_stdin(stdin: TextIO | None) -> bytes | str:
    """Stdin up to one byte over the limit, as bytes where it has them, so the decoding is
    ours (and strict)."""
    if stdin is None:  # started with stdin closed (`<&-`)
        raise OSError("standard input is closed")
    buffer = getattr(stdin, "buffer", None)
    return buffer.read(MAX_BYTES + 1) if buffer is not None else stdin.read(MAX_BYTES + 1)


def run_answers(
    source: str,
    *,
    standaard: bool,
    as_json: bool,
    store: Store,
    stdin: TextIO,
    out: TextIO,
    err: TextIO,
    sector: str | None = None,
    label: str | None = None,
    oefening: bool = False,
) -> int:
    """`meldcode start --antwoorden`: a new case from an answers file; the exit code."""
    bestand = read_answers(source, stdin)
    sector_id = sector or bestand.sector
    if not sector_id:
        raise AnswersFileError(
            bron=source, probleem="'sector' ontbreekt (of geef de sector met '--sector')."
        )
    if sector and bestand.sector and sector != bestand.sector:
        err.write(
            f"Let op: het bestand noemt sector '{bestand.sector}'; '--sector {sector}' gaat voor.\n"
        )
    fs = flowset()
    check_ids(bestand.antwoorden, vraag_ids(fs))
    flow = load_flow(sector_id)  # own flows (MELDCODE_FLOWS) are validated there first
    begin = State(sector=sector_id)
    gepland = plan(flow, begin, bestand.antwoorden, standaard=standaard)
    recorder = Recorder.start(store, flow, label=label or bestand.label, oefening=oefening)
    return _walk(flow, begin, gepland, recorder, as_json=as_json, out=out, err=err)


def resume_answers(
    casus_id: str,
    source: str,
    *,
    standaard: bool,
    as_json: bool,
    store: Store,
    stdin: TextIO,
    out: TextIO,
    err: TextIO,
) -> int:
    """`meldcode hervat ID --antwoorden`: go on with a stored case (e.g. afweging-5)."""
    bestand = read_answers(source, stdin)
    casus = store.get(casus_id)
    if bestand.sector and bestand.sector != casus.sector:
        raise AnswersFileError(
            bron=source,
            probleem=f"de sector '{bestand.sector}' wijkt af van die van casus {casus_id} "
            f"('{casus.sector}'). Laat 'sector' weg of maak hem gelijk.",
        )
    fs = flowset()
    check_ids(bestand.antwoorden, vraag_ids(fs))
    flow = load_flow(casus.sector)
    recorder, state = Recorder.resume(store, casus_id, flow)
    if engine.afgerond(flow, state):
        # Nothing left to ask: nothing written, so the case keeps its retention term.
        recorder.close()
        err.write(nothing_left(casus_id) + " De antwoorden in het bestand zijn niet gebruikt.\n")
        if as_json:
            _write_json(store, casus_id, flow, out)
        return 0
    try:
        gepland = plan(flow, state, bestand.antwoorden, standaard=standaard)
        recorder.hervat(state)
    except BaseException:
        recorder.close()
        raise
    return _walk(flow, state, gepland, recorder, as_json=as_json, out=out, err=err)


def _walk(
    flow: Flow,
    state: State,
    gepland: Plan,
    recorder: Recorder,
    *,
    as_json: bool,
    out: TextIO,
    err: TextIO,
) -> int:
    prompter = ScriptedPrompter(gepland.antwoorden)
    try:
        loop.run(flow, state, prompter, recorder)
    finally:
        recorder.close()
    casus = recorder.store.get(recorder.casus.id)
    if gepland.ongebruikt:
        err.write(
            "Let op: deze antwoorden zijn niet gebruikt (niet nodig op dit pad, of van een "
            f"andere sector): {', '.join(gepland.ongebruikt)}.\n"
        )
    if prompter.wacht is not None:
        err.write(f"De casus blijft open: {prompter.wacht.tekst}\n")
    if as_json:
        _write_json(recorder.store, casus.id, flow, out)
    else:
        from meldcode.dossier import build as dossier

        d = dossier.build(recorder.store, casus.id, flow=flow)
        advies = d.uitkomst.tekst if d.uitkomst is not None else None
        _deliver(casus.id, _op_breedte(summary(casus, advies, d.vervolg), out), out)
    return 0


def _op_breedte(text: str, out: TextIO) -> str:
    """Lines wrapped between words at the terminal's width; a pipe or file gets them whole."""
    if not out.isatty():
        return text
    import shutil
    import textwrap

    breedte = shutil.get_terminal_size().columns
    return "".join(
        textwrap.fill(regel, breedte, break_long_words=False, break_on_hyphens=False) + "\n"
        for regel in text.splitlines()
    )


def _write_json(store: Store, casus_id: str, flow: Flow, out: TextIO) -> None:
    """The case's JSON export on `out`, and nothing else (design.md §6)."""
    from meldcode.dossier import build as dossier
    from meldcode.export.json import document

    doc = document(dossier.build(store, casus_id, flow=flow))
    _deliver(casus_id, json.dumps(doc, ensure_ascii=False, indent=2) + "\n", out)


def _deliver(casus_id: str, text: str, out: TextIO) -> None:
    """`text` on `out`, flushed; if that fails, say that the case is stored (no retry, no twin)."""
    try:
        out.write(text)
        out.flush()
    except OSError as e:
        from meldcode.errors import CasusOutputFailed
        from meldcode.text.stdout import reden

        raise CasusOutputFailed(casus_id=casus_id, reden=reden(e)) from e


def nothing_left(casus_id: str) -> str:
    """What `hervat` says of a case that has nothing left to answer."""
    return (
        f"Casus {casus_id} is afgerond; er valt niets meer te beantwoorden. Bekijk hem met "
        f"'meldcode toon {casus_id}'."
    )


def summary(casus: Casus, advies: str | None = None, vervolg: str | None = None) -> str:
    """A few plain lines on where a scripted case ended: the outcome with its advice (what to
    do next), and for a case in `vervolg` what is still open."""
    regels = [f"Casus {casus.id} is vastgelegd (sector {casus.sector}, status {casus.status})."]
    if casus.uitkomst_id is not None:
        # In words, as the summary and the dossier say it (the ids are in --json).
        naam = UITKOMST_NAMEN.get(casus.uitkomst_id, casus.uitkomst_id)
        reden = f"; reden: {reden_naam(casus.uitkomst_reden)}" if casus.uitkomst_reden else ""
        norm = f"; meldnorm {casus.meldnorm}" if casus.meldnorm is not None else ""
        regels.append(f"Uitkomst: {naam}{reden}{norm}.")
        if advies:
            regels.append(f"Wat u nu doet: {advies}")
    if casus.status == "wacht-op-evaluatie":
        datum = datum_nl(casus.evaluatiedatum or "")
        regels.append(
            f"Evaluatie (afweging 5) op {datum}: ga dan verder met "
            f"'meldcode hervat {casus.id}'."
        )
    if casus.status == "vervolg":
        wat = vervolg or "het vervolg nog vast te leggen"
        regels.append(f"Vervolg: {wat}; ga verder met 'meldcode hervat {casus.id}'.")
    regels.append(f"Bekijk het dossier met 'meldcode toon {casus.id}'.")
    return "\n".join(regels) + "\n"
