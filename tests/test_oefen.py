"""`meldcode oefen`: shipped practice cases, their checks, the walk and the debrief."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pexpect
import pytest
import yaml
from typer.testing import CliRunner

from meldcode import engine
from meldcode.cli import app
from meldcode.errors import OefenCasusError
from meldcode.flows import load_flow
from meldcode.model import Flow, JaNeeVraag, KeuzeVraag, MeerkeuzeVraag, State, TekstVraag
from meldcode.practice import OefenCasus, load_cases, play, shipped_dir, validate_cases, vergelijk
from meldcode.prompts.plain import PlainPrompter
from meldcode.prompts.practice import OefenPrompter
from meldcode.store import open_store
from meldcode.store.sqlite import Store
from meldcode.walk import loop
from meldcode.walk.case import CaseWalk

SHIPPED = sorted(shipped_dir().glob("*.yaml"))
SECTOREN = {
    *("basis", "artsen", "kinderopvang", "onderwijs"),
    *("jeugdhulp", "psychosociaal", "zorg", "wmo"),
}
UITKOMSTEN = {
    ("afsluiten", "geen-vermoeden"),
    ("melden", "acuut-gevaar"),
    ("melden", "acute-of-structurele-onveiligheid"),
    ("melden", "geen-effectieve-hulp"),
    ("melden", "hulp-niet-aanvaard"),
    ("melden", "onvoldoende-resultaat"),
    ("hulp-bieden", None),
    ("hulp-afsluiten", "resultaat-bereikt"),
    ("medewerkersroute", "onderwijs"),
}


def _case(path: Path) -> OefenCasus:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return OefenCasus.model_validate(data)


def _raw() -> list[dict[str, Any]]:
    return [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in SHIPPED]


def plain_input(flow: Flow, antwoorden: dict[str, object]) -> str:
    """What a participant types at the plain prompter to give `antwoorden`."""
    lines: list[str] = []
    for vraag, antwoord in engine.walk(flow, play(flow, antwoorden)).pad:
        w = antwoord.waarde
        if isinstance(vraag, JaNeeVraag):
            lines.append("1" if w == "ja" else "2")
        elif isinstance(vraag, KeuzeVraag):
            lines.append(str([o.id for o in vraag.opties].index(str(w)) + 1))
        elif isinstance(vraag, MeerkeuzeVraag):
            ids = [o.id for o in vraag.opties]
            lines.append(",".join(str(ids.index(i) + 1) for i in w or ()))
        else:
            lines.append(str(w or ""))
            if isinstance(vraag, TekstVraag) and vraag.regels and w:
                lines.append("")  # an empty line ends a multi-line answer
        if vraag.id.startswith("afweging-"):
            lines.append("")  # no onderbouwing
        if (vraag.id, w) in (("acuut-gevaar", "ja"), ("gesprek-gevoerd", "nee")):
            lines.append("1" if w == "ja" else "2")  # confirm acute danger; skip, not pause
    return "\n".join(lines) + "\n"


def _walk(
    tmp_path: Path, casus: OefenCasus, wijzig: dict[str, object] | None = None
) -> tuple[State, OefenPrompter, str]:
    """Walk `casus` through loop.run with the plain prompter over streams."""
    flow = load_flow(casus.sector)
    antwoorden = {**casus.antwoorden, **(wijzig or {})}
    out = io.StringIO()
    inner = PlainPrompter(flow, input=io.StringIO(plain_input(flow, antwoorden)), output=out)
    prompter = OefenPrompter(inner, flow, casus)
    with CaseWalk.start(Store(tmp_path / "oefen.db"), flow, oefening=True) as walk:
        prompter.start(walk.casus.id)
        state = loop.run(flow, State(sector=casus.sector), prompter, walk.recorder)
    return state, prompter, out.getvalue()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_case_reaches_its_outcome(path: Path, tmp_path: Path) -> None:
    """Walked with its intended answers, each shipped case ends in its intended outcome."""
    casus = _case(path)
    state, _, _ = _walk(tmp_path, casus)
    bereikt = engine.walk(load_flow(casus.sector), state).uitkomst
    assert bereikt is not None
    assert (casus.verwacht.id, casus.verwacht.reden, casus.verwacht.meldnorm) == (
        bereikt.id,
        bereikt.reden,
        bereikt.meldnorm,
    )


def test_shipped_cases_cover_every_sector_and_outcome() -> None:
    """At least eight cases, together covering all eight sectors and every outcome."""
    raw = _raw()
    assert len(raw) >= 8
    assert {c["sector"] for c in raw} == SECTOREN
    verwacht = [c["verwacht"] for c in raw]
    assert UITKOMSTEN <= {(v["id"], v.get("reden")) for v in verwacht}


def test_shipped_cases_are_valid() -> None:
    """`validate_cases` accepts the shipped folder and counts every file."""
    assert len(SHIPPED) == validate_cases(shipped_dir())


def test_case_story_and_uitleg_are_shown_before_the_questions(tmp_path: Path) -> None:
    """The walk shows the introduction, each step's story and each question's uitleg."""
    casus = _case(shipped_dir() / "wmo-geld-van-moeder.yaml")
    _, _, out = _walk(tmp_path, casus)
    for deel in ("begin", "stap-1", "stap-3", "evaluatie"):
        assert " ".join(casus.verhaal[deel].split())[:60] in out
    assert "OEFENING" in out
    assert "Uitleg: Acuut gevaar gaat voor alles" in out
    assert out.index("Drie maanden later") < out.index("Afweging 5")


def test_wrong_answer_is_explained_per_afweging(tmp_path: Path) -> None:
    """A different afweging shows the given and intended answer and the case's explanation."""
    casus = _case(shipped_dir() / "zorg-jonge-vader.yaml")
    state, prompter, _ = _walk(tmp_path, casus, {"afweging-4": "nee"})
    flow = load_flow(casus.sector)
    v = vergelijk(flow, casus, state)
    assert not v.gelijk
    assert [("afweging-4", "nee", "ja")] == [
        (d.vraag_id, d.gegeven, d.bedoeld) for d in v.verschillen
    ]
    out = io.StringIO()
    prompter.inner = PlainPrompter(flow, input=io.StringIO(), output=out)
    prompter.nabespreking(v)
    tekst = " ".join(out.getvalue().split())
    assert "Uw uitkomst verschilt van de bedoelde uitkomst." in tekst
    assert "Uw antwoord: nee Bedoeld: ja" in tekst
    assert " ".join(casus.uitleg["afweging-4"].split()) in tekst


def test_question_never_reached_is_named_in_the_comparison(tmp_path: Path) -> None:
    """Stopping early at afweging-2 lists the later afwegingen as not reached."""
    casus = _case(shipped_dir() / "zorg-overbelaste-dochter.yaml")
    state, _, _ = _walk(tmp_path, casus, {"afweging-2": "ja"})
    v = vergelijk(load_flow(casus.sector), casus, state)
    gegeven = {d.vraag_id: d.gegeven for d in v.verschillen}
    assert "ja" == gegeven["afweging-2"]
    assert v.bereikt is not None
    assert ("melden", "acute-of-structurele-onveiligheid") == (v.bereikt.id, v.bereikt.reden)


# --- the command -----------------------------------------------------------------------------


def _run(args: list[str], home: Path, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, args, input=stdin, env={"MELDCODE_HOME": str(home)})
    return result.exit_code, result.output


def test_oefen_lists_every_shipped_case(tmp_path: Path) -> None:
    """`meldcode oefen` lists the id of every shipped case, marked OEFENING."""
    code, out = _run(["oefen"], tmp_path)
    assert 0 == code
    assert "OEFENING" in out
    for c in _raw():
        assert str(c["id"]) in out


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_oefen_eenvoudig_walks_a_case_from_stdin(path: Path, tmp_path: Path) -> None:
    """`meldcode oefen ID --eenvoudig` fed the intended answers ends in the intended outcome."""
    casus = _case(path)
    stdin = plain_input(load_flow(casus.sector), dict(casus.antwoorden))
    code, out = _run(["oefen", casus.id, "--eenvoudig"], tmp_path, stdin)
    assert 0 == code, out
    assert "U kwam tot de bedoelde uitkomst." in out


def test_practice_case_is_stored_in_the_practice_store_only(tmp_path: Path) -> None:
    """The walked case is in oefen.db, marked oefening, and meldcode.db holds no case."""
    casus = _case(shipped_dir() / "kinderopvang-ophalen.yaml")
    code, _ = _run(["oefen", casus.id, "--eenvoudig"], tmp_path, "1\n1\n")  # ja, confirmed
    assert 0 == code
    oefen = open_store(oefening=True, home=tmp_path).casussen()
    # An acute case stays in `vervolg` until its follow-up is recorded (contract 2).
    assert [(True, "vervolg")] == [(c.oefening, c.status) for c in oefen]
    assert [] == open_store(home=tmp_path).casussen()


def test_closed_input_stops_the_walk_with_exit_2(tmp_path: Path) -> None:
    """When stdin ends mid-walk, the practice stops with exit 2 and says the answers are kept."""
    code, out = _run(["oefen", "basis-val-op-de-trap", "--eenvoudig"], tmp_path, "2\n")
    assert 2 == code
    assert "De oefening is gestopt. De invoer is gesloten" in out
    assert re.search(r"Verder met: meldcode oefen --hervat mc-\S+\n", out)


def test_paused_practice_goes_on_with_hervat(tmp_path: Path) -> None:
    """:pauze stops a practice walk (exit 0) and `oefen --hervat ID` finishes it later."""
    casus = _case(shipped_dir() / "basis-val-op-de-trap.yaml")
    regels = plain_input(load_flow(casus.sector), dict(casus.antwoorden)).splitlines()
    code, out = _run(["oefen", casus.id, "--eenvoudig"], tmp_path, f"{regels[0]}\n:pauze\n")
    assert 0 == code, out
    casus_id = re.search(r"meldcode oefen --hervat (mc-[a-z0-9-]+)", out)
    assert casus_id is not None, out
    rest = "\n".join(regels[1:]) + "\n"
    code, out = _run(["oefen", "--hervat", casus_id[1], "--eenvoudig"], tmp_path, rest)
    assert 0 == code, out
    assert "U kwam tot de bedoelde uitkomst." in out
    opgeslagen = open_store(oefening=True, home=tmp_path).casussen()
    assert [(casus_id[1], "afgerond")] == [(c.id, c.status) for c in opgeslagen]


def test_hervat_of_a_real_case_id_is_refused(tmp_path: Path) -> None:
    """`oefen --hervat` only knows practice walks; another id exits 2."""
    code, out = _run(["oefen", "--hervat", "mc-zzzz-zzzz", "--eenvoudig"], tmp_path, "")
    assert 2 == code
    assert "mc-zzzz-zzzz" in out


def test_presentation_mode_draws_panels(tmp_path: Path) -> None:
    """`--presentatie` draws the step header and story in panels, marked OEFENING."""
    code, out = _run(
        ["oefen", "kinderopvang-ophalen", "--presentatie", "--eenvoudig"], tmp_path, "1\n1\n"
    )
    assert 0 == code
    assert "╭" in out
    assert "STAP 1: IN KAART BRENGEN VAN SIGNALEN" in out
    assert "Nabespreking (OEFENING)" in out


def test_unknown_case_suggests_the_nearest(tmp_path: Path) -> None:
    """An unknown case id exits 2 and suggests the nearest id."""
    code, out = _run(["oefen", "wmo-geld-van-moedr"], tmp_path)
    assert 2 == code
    assert "Bedoelde u 'wmo-geld-van-moeder'?" in out


def test_own_case_folder_adds_cases(tmp_path: Path) -> None:
    """`--map DIR` lists a trainer's own case next to the shipped ones."""
    eigen = tmp_path / "eigen"
    eigen.mkdir()
    tekst = (shipped_dir() / "basis-val-op-de-trap.yaml").read_text(encoding="utf-8")
    (eigen / "mijn.yaml").write_text(tekst.replace("id: basis-val-op-de-trap", "id: mijn-casus"))
    code, out = _run(["oefen", "--map", str(eigen)], tmp_path)
    assert 0 == code
    assert "mijn-casus" in out
    assert "basis-val-op-de-trap" in out


# --- trainers' own case files: validation and schema -----------------------------------------

# (name, text in wmo-geld-van-moeder.yaml, replaced by, code, the reported line starts with)
BROKEN: list[tuple[str, str, str, str, str | None]] = [
    ("onbekende-sleutel", "titel:", "tittel:", "MC202", "tittel:"),
    ("onbekende-sector", "sector: wmo", "sector: wmoo", "MC210", "sector:"),
    ("onbekende-vraag", "  kindcheck: nee", "  kindchek: nee", "MC211", "  kindchek:"),
    ("onbekend-verhaaldeel", "  stap-4: >-", "  stap-6: >-", "MC212", "  stap-6:"),
    ("ongeldig-antwoord", "  afweging-3: ja", "  afweging-3: wie", "MC214", "  afweging-3:"),
    ("verkeerde-uitkomst", "  afweging-5: ja", "  afweging-5: nee", "MC215", "  id: hulp-af"),
    ("yaml-fout", "titel: Een", "titel: [Een", "MC201", None),
]


@pytest.mark.parametrize(
    ("naam", "oud", "nieuw", "code", "regel"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_broken_case_is_refused_with_file_and_line(
    naam: str, oud: str, nieuw: str, code: str, regel: str | None, tmp_path: Path
) -> None:
    """`meldcode valideer --oefencasussen DIR` names file, line and code, and exits 2."""
    folder = tmp_path / "casussen"
    folder.mkdir()
    bestand = folder / f"{naam}.yaml"
    tekst = (shipped_dir() / "wmo-geld-van-moeder.yaml").read_text(encoding="utf-8")
    tekst = tekst.replace(oud, nieuw, 1)
    bestand.write_text(tekst, encoding="utf-8")
    exit_code, out = _run(["valideer", "--oefencasussen", str(folder)], tmp_path)
    assert 2 == exit_code
    if regel is None:
        assert re.search(rf"{re.escape(str(bestand))}:\d+: {code} ", out), out
    else:
        lijn = next(n for n, r in enumerate(tekst.splitlines(), 1) if r.startswith(regel))
        assert f"{bestand}:{lijn}: {code} " in out


def test_broken_own_case_stops_oefen(tmp_path: Path) -> None:
    """`meldcode oefen --map DIR` refuses a folder with a broken case (OefenCasusError)."""
    folder = tmp_path / "casussen"
    shutil.copytree(shipped_dir(), folder)
    (folder / "kapot.yaml").write_text("id: kapot\n", encoding="utf-8")
    with pytest.raises(OefenCasusError):
        load_cases(folder)


@pytest.mark.parametrize("args", [["oefen", "--schema"], ["schema", "--oefencasus"]])
def test_schema_accepts_every_shipped_case(args: list[str], tmp_path: Path) -> None:
    """The published JSON Schema accepts each shipped case and refuses an unknown key."""
    code, out = _run(args, tmp_path)
    assert 0 == code
    schema = json.loads(out)
    # `jsonschema.validate` each time, but the schema checked against its metaschema once.
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    for data in _raw():
        cls(schema).validate(json.loads(json.dumps(data, default=str)))
    with pytest.raises(jsonschema.ValidationError):
        cls(schema).validate({**_raw()[0], "onbekend": 1})


# --- a real terminal -----------------------------------------------------------------------


def test_presentation_mode_clears_the_screen_in_a_terminal(tmp_path: Path) -> None:
    """In a real terminal, `--presentatie` clears the screen per question, then debriefs."""
    env = {**os.environ, "MELDCODE_HOME": str(tmp_path), "TERM": "xterm"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "meldcode", "oefen", "kinderopvang-ophalen", "--presentatie"],
        env=env,
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 100),
    )
    child.expect("Enter: begin de oefening")  # the introduction, read before the screen clears
    child.send("\r")
    child.expect_exact("\x1b[2J")
    child.expect("acuut gevaar voor")
    child.send("\x1b[A\r")  # up from nee (no cursor on an answer that ends the case): ja
    child.expect("Acuut gevaar vastleggen")
    child.send("\x1b[A\r")  # up from Annuleren: confirm
    child.expect("Nabespreking")
    child.expect(pexpect.EOF)
    assert 0 == child.wait()
