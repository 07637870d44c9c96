"""Input and terminal problems: a closed stdin, a write that fails mid-walk, control characters
in free text, a closed input at a prompt, oversized answers files and small dialogue fixes."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from rich.console import Console
from typer.testing import CliRunner, Result

from meldcode import engine
from meldcode.cli import app
from meldcode.commands.boundary import error_boundary
from meldcode.commands.casus import walk_at_terminal
from meldcode.engine.answers import check_antwoord
from meldcode.errors import InputClosed, StoreUnwritable
from meldcode.flows import load_flow
from meldcode.model import Antwoord, Flow, State
from meldcode.practice import load_cases
from meldcode.prompts.interface import AdviesVeiligThuis, Pauzeren, VraagContext
from meldcode.prompts.plain import PlainPrompter
from meldcode.prompts.practice import OefenPrompter
from meldcode.prompts.screen import PAUZE, Keuze, Menu
from meldcode.render import summary
from meldcode.store import open_store
from meldcode.store.history import state_from_events
from meldcode.store.sqlite import Store
from meldcode.text.control_chars import zonder_stuurtekens
from meldcode.walk import loop
from meldcode.walk.case import CaseWalk
from test_casus_cli import BASIS as CASUS_CLI_BASIS
from test_casus_cli import OPTIONEEL
from test_interactive import TOT_AFWEGING_1

ESC = "\x1b"
BASIS: dict[str, Any] = {**CASUS_CLI_BASIS, "afweging-2": "nee", "afweging-3": "nee"}


def meldcode(home: Path, *args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input, env={"MELDCODE_HOME": str(home)})


def answers_file(tmp_path: Path, **extra: Any) -> Path:
    bestand = tmp_path / "casus.yaml"
    data = {"sector": "basis", **extra.pop("boven", {}), "antwoorden": {**BASIS, **extra}}
    bestand.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return bestand


def open_case(home: Path) -> str:
    """A new, empty open case in the store at `home`."""
    with open_store(home=home) as store, CaseWalk.start(store, load_flow("basis")) as walk:
        return walk.casus.id


def at_terminal(walk: CaseWalk, prompter: PlainPrompter) -> int:
    """Walk at the terminal as `start` does, inside the error boundary; the exit code."""
    try:
        with walk, error_boundary():
            walk_at_terminal(walk, prompter)
    except typer.Exit as e:
        return e.exit_code
    return 0


# --- M2: a closed stdin (`<&-`) is no terminal ------------------------------------------------


def closed_stdin(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`meldcode ARGS <&-` in a shell: the process starts without file descriptor 0."""
    return subprocess.run(
        ["bash", "-c", 'exec "$@" <&-', "bash", sys.executable, "-m", "meldcode", *args],
        env={**os.environ, "MELDCODE_HOME": str(home), "TERM": "xterm"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("start",),
        ("start", "--sector", "basis"),
        ("start", "--eenvoudig", "--sector", "basis"),
        ("hervat", "ID"),
        ("start", "--antwoorden", "-"),
    ],
    ids=["start", "start-sector", "eenvoudig", "hervat", "antwoorden-stdin"],
)
def test_a_closed_stdin_exits_2_and_points_to_antwoorden(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    """Like a stdin that is no terminal: exit 2 and the way to go on, never a crash."""
    casus_id = open_case(tmp_path)
    proc = closed_stdin(tmp_path, *(casus_id if a == "ID" else a for a in args))
    assert (2, True, False) == (
        proc.returncode,
        "--antwoorden" in proc.stderr or "standaardinvoer is gesloten" in proc.stderr,
        "programmeerfout" in proc.stderr,
    ), proc.stderr


def test_oefen_with_a_closed_stdin_exits_2_without_a_practice_case(tmp_path: Path) -> None:
    """`oefen CASUS <&-`: exit 2 saying the input is closed; no practice case is made."""
    proc = closed_stdin(tmp_path, "oefen", "basis-val-op-de-trap")
    assert (2, True) == (proc.returncode, "gesloten" in proc.stderr), proc.stderr
    assert [] == open_store(oefening=True, home=tmp_path).casussen()


def test_verwijder_with_a_closed_stdin_asks_for_ja_and_deletes_nothing(tmp_path: Path) -> None:
    """`verwijder ID <&-` cannot ask for confirmation: exit 2 pointing to --ja."""
    casus_id = open_case(tmp_path)
    proc = closed_stdin(tmp_path, "verwijder", casus_id)
    assert (2, True) == (proc.returncode, "--ja" in proc.stderr), proc.stderr
    assert casus_id == open_store(home=tmp_path).get(casus_id).id


# --- M4: a write that fails mid-walk names the case and how to go on --------------------------


def fail_after(monkeypatch: pytest.MonkeyPatch, target: object, n: int, pad: Path) -> None:
    """Make `target.append` (a Store or the Store class) fail from its (n+1)th call on."""
    echt = Store.append
    gedaan: list[int] = []

    def append(self: Store, *args: Any, **kwargs: Any) -> Any:
        if len(gedaan) >= n:
            raise StoreUnwritable(pad=str(pad))
        gedaan.append(1)
        return echt(self, *args, **kwargs)

    monkeypatch.setattr(target, "append", append)


@pytest.mark.backends("sqlite")  # it makes sqlite.Store.append fail
def test_interactive_write_failure_says_what_is_saved_and_how_to_go_on(
    tmp_path: Path, flow: Flow, store: Store, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Disk full at the third answer: exit 3, the answer is not saved, the hervat line."""
    walk = CaseWalk.start(store, flow)
    fail_after(monkeypatch, Store, 2, tmp_path)
    typed = "\n".join(TOT_AFWEGING_1) + "\n"
    prompter = PlainPrompter(flow, input=io.StringIO(typed), output=io.StringIO())
    code = at_terminal(walk, prompter)
    monkeypatch.undo()
    fout = " ".join(capsys.readouterr().err.split())
    casus_id = walk.casus.id
    assert 3 == code
    assert "kan niet schrijven" in fout
    assert "net gaf, is daardoor niet bewaard" in fout
    assert fout.endswith(f"Verder met: meldcode hervat {casus_id}")
    antwoorden = [e.vraag for e in store.events(casus_id) if e.soort == "antwoord"]
    assert ["acuut-gevaar", "signalen"] == antwoorden


def test_scripted_write_failure_names_the_open_case_and_a_retry_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`start --antwoorden` stopped by a full disk names the case; hervat with the same file
    finishes it, so a retry makes no second case."""
    bestand = answers_file(tmp_path)
    fail_after(monkeypatch, Store, 2, tmp_path)
    result = meldcode(tmp_path, "start", "--antwoorden", str(bestand), "--standaard")
    monkeypatch.undo()
    (casus,) = open_store(home=tmp_path).casussen()
    fout = " ".join(result.stderr.split())
    assert (3, "open") == (result.exit_code, casus.status), fout
    assert f"Casus {casus.id} staat in de opslag" in fout
    assert f"meldcode hervat {casus.id} --antwoorden BESTAND" in fout
    assert f"meldcode verwijder {casus.id}" in fout
    verder = meldcode(
        tmp_path, "hervat", casus.id, "--antwoorden", str(bestand), "--standaard", "--json"
    )
    assert (0, False) == (verder.exit_code, "niet gebruikt" in verder.stderr), verder.stderr
    doc = json.loads(verder.stdout)
    assert ("melden", 2) == (doc["uitkomst"]["id"], doc["uitkomst"]["meldnorm"])
    assert [casus.id] == [c.id for c in open_store(home=tmp_path).casussen()]


# --- M5: control characters never reach the terminal; the Markdown dossier is inert -----------


def test_control_characters_are_stripped_but_newlines_and_tabs_kept() -> None:
    """C0, DEL and C1 go; tab and newline stay (a CR of CRLF goes too)."""
    assert "a[2Jb\tc\nd]0;Te" == zonder_stuurtekens("a\x1b[2Jb\tc\r\nd\x9b\x07\x7f]0;T\x00e")
    assert "regel 1\nregel 2" == zonder_stuurtekens("regel 1\rregel 2")  # a lone CR ends a line


def test_a_text_answer_is_kept_without_control_characters(flow: Flow) -> None:
    """Strip on input: the text stays, the escape sequence does not; only ESC is empty."""
    vraag = flow.vraag("signalen-beschrijving")
    assert "[31mrood\nregel" == check_antwoord(vraag, "\x1b[31mrood\nregel")
    with pytest.raises(Exception, match="verplicht"):
        check_antwoord(vraag, "\x1b")


def test_label_and_text_from_an_answers_file_are_stored_clean(tmp_path: Path) -> None:
    """--label, the file's label and free text lose their control characters on input."""
    bestand = answers_file(
        tmp_path, boven={"label": "LBL\x1b]0;TITEL\x07ZZ"}, **{"signalen-beschrijving": "\x1b[2Jx"}
    )
    assert 0 == meldcode(tmp_path, "start", "--antwoorden", str(bestand)).exit_code
    store = open_store(home=tmp_path)
    (casus,) = store.casussen()
    tekst = next(e.antwoord for e in store.events(casus.id) if e.vraag == "signalen-beschrijving")
    assert ("LBL]0;TITELZZ", "[2Jx") == (casus.label, tekst)
    result = meldcode(
        tmp_path, "start", "--antwoorden", str(bestand), "--label", "a\x1b[31mb", "--json"
    )
    assert "a[31mb" == json.loads(result.stdout)["casus"]["label"]


VIES = {
    "label": "LBL\x1b]0;TITEL\x07ZZ <script>alert(1)</script>",
    "tekst": "\x1b[2J\x1b[31mrood <script>alert(1)</script> [link](javascript:alert(1)) & meer",
}


@pytest.fixture
def old_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A case stored by a meldcode that kept control characters (as older versions did)."""
    with monkeypatch.context() as m:
        for module in ("meldcode.engine.answers", "meldcode.walk.recorder"):
            m.setattr(f"{module}.zonder_stuurtekens", lambda t: t)
        bestand = answers_file(
            tmp_path, boven={"label": VIES["label"]}, **{"signalen-beschrijving": VIES["tekst"]}
        )
        result = meldcode(tmp_path, "start", "--antwoorden", str(bestand), "--json")
    casus_id: str = json.loads(result.stdout)["casus"]["id"]
    assert VIES["label"] == open_store(home=tmp_path).get(casus_id).label
    return casus_id


@pytest.mark.parametrize(
    "args", [("toon", "ID"), ("toon", "ID", "--log"), ("lijst",)], ids=["toon", "log", "lijst"]
)
def test_toon_and_lijst_show_stored_text_without_control_characters(
    tmp_path: Path, old_case: str, args: tuple[str, ...]
) -> None:
    """Text from an old store: shown, but no ESC reaches the terminal."""
    result = meldcode(tmp_path, *(old_case if a == "ID" else a for a in args))
    assert (0, False, False) == (result.exit_code, ESC in result.output, "\x07" in result.output)
    assert "lijst" in args or "TITEL" in result.output


def test_summary_and_recap_show_stored_text_without_control_characters(
    tmp_path: Path, old_case: str, flow: Flow
) -> None:
    """summary.samenvatting and summary.recap of the old case: no ESC, no BEL."""
    store = open_store(home=tmp_path)
    casus, events = store.get(old_case), store.events(old_case)
    state = state_from_events(flow, "basis", events)
    for eenvoudig in (False, True):
        out = io.StringIO()
        console = Console(file=out, width=100)
        summary.samenvatting(console, flow, casus, state, events, eenvoudig=eenvoudig)
        summary.recap(console, flow, casus, state)
        assert (False, False, True) == (ESC in out.getvalue(), "\x07" in out.getvalue(),
                                        "rood" in out.getvalue())


def test_markdown_dossier_has_no_html_or_links_from_user_text(
    tmp_path: Path, old_case: str
) -> None:
    """`<script>` and `[x](javascript:…)` in an answer or label stay literal text."""
    result = meldcode(tmp_path, "exporteer", old_case, "--formaat", "markdown")
    md = result.stdout
    assert 0 == result.exit_code, result.stderr
    assert "<script>" not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)
    assert ESC not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "\\[link\\](javascript:alert(1)) &amp; meer" in md


def test_prompts_show_a_stored_default_without_control_characters(flow: Flow) -> None:
    """An earlier answer from an old store, offered as the default: shown clean."""
    out = io.StringIO()
    prompter = PlainPrompter(flow, input=io.StringIO("\n"), output=out)
    prompter.text("Beschrijf", default="oud\x1b]0;TITEL\x07 antwoord")
    assert (False, True) == (ESC in out.getvalue(), "oud]0;TITEL antwoord" in out.getvalue())


# --- L2: Ctrl-D (closed input) at a prompt ------------------------------------------------------


def test_closed_input_at_a_prompt_says_so_and_how_to_go_on(
    flow: Flow, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not 'no terminal': the input closed, all answers so far are saved, the hervat line."""
    walk = CaseWalk.start(store, flow)
    out = io.StringIO()
    prompter = PlainPrompter(flow, input=io.StringIO("2\n"), output=out)
    code = at_terminal(walk, prompter)
    fout = capsys.readouterr().err
    assert 2 == code
    assert fout.startswith("De invoer is gesloten (bijvoorbeeld met Ctrl-D)")
    assert "geen terminal" not in fout
    assert f"Verder met: meldcode hervat {walk.casus.id}" in fout
    assert out.getvalue().endswith(": \n")  # the message starts on a line of its own


# --- L4: answers files have a size limit ----------------------------------------------------------


def test_an_answers_file_over_5_mb_is_refused_before_parsing(tmp_path: Path) -> None:
    """A file over the limit: exit 2, naming the limit; nothing is stored."""
    bestand = tmp_path / "groot.yaml"
    tekst = yaml.safe_dump({"sector": "basis", "antwoorden": BASIS})
    bestand.write_text(tekst + "# " + "x" * (5 * 1024 * 1024) + "\n", encoding="utf-8")
    result = meldcode(tmp_path, "start", "--antwoorden", str(bestand))
    assert (2, True) == (result.exit_code, "groter dan 5 MB" in result.stderr), result.stderr
    result = meldcode(tmp_path, "start", "--antwoorden", "-", input=bestand.read_bytes())
    assert (2, True) == (result.exit_code, "groter dan 5 MB" in result.stderr), result.stderr
    assert [] == open_store(home=tmp_path).casussen()


def test_an_answers_file_just_under_the_limit_is_read(tmp_path: Path) -> None:
    """Large but within 5 MB: the run goes on as usual."""
    bestand = tmp_path / "ruim.yaml"
    tekst = yaml.safe_dump({"sector": "basis", "antwoorden": BASIS})
    bestand.write_text(tekst + "# " + "x" * (4 * 1024 * 1024) + "\n", encoding="utf-8")
    assert 0 == meldcode(tmp_path, "start", "--antwoorden", str(bestand)).exit_code


def test_a_folder_as_answers_file_is_named_a_folder(tmp_path: Path) -> None:
    """`--antwoorden MAP`: exit 2 saying it is a folder."""
    result = meldcode(tmp_path, "start", "--antwoorden", str(tmp_path))
    assert (2, True) == (result.exit_code, "is een map" in result.stderr)


# --- L6: small dialogue fixes --------------------------------------------------------------------


def at_afweging_1(flow: Flow) -> tuple[State, VraagContext]:
    antwoorden = {**BASIS, "signalen": ("psychisch-geweld",), **OPTIONEEL}
    antwoorden = {k: v for k, v in antwoorden.items() if not k.startswith("afweging")}
    state = engine.replay(flow, State(sector="basis"), antwoorden)
    return state, loop.context_for(flow, state, flow.vraag("afweging-1"), {})


class CtrlCAtText(PlainPrompter):
    """A plain prompter whose text prompts are answered with Ctrl-C."""

    def text(
        self,
        message: str,  # noqa: ARG002
        default: str = "",  # noqa: ARG002
        *,
        multiline: bool = False,  # noqa: ARG002
        annuleren: bool = False,  # noqa: ARG002
    ) -> str:
        raise KeyboardInterrupt


def test_ctrl_c_at_the_onderbouwing_keeps_the_afweging_and_says_so(
    flow: Flow, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """The confirmed afweging is saved before the stop: exit 130, the message says every
    answer is kept, and the case goes on after afweging-1."""
    state, _ = at_afweging_1(flow)
    walk = CaseWalk.start(store, flow)
    for a in state.antwoorden:
        walk.recorder.antwoord(flow.vraag(a.vraag_id), a, state)
    walk.state = state
    prompter = CtrlCAtText(flow, input=io.StringIO("1\n"), output=io.StringIO())
    code = at_terminal(walk, prompter)
    fout = " ".join(capsys.readouterr().err.split())
    assert 130 == code
    assert "Alle antwoorden tot nu toe zijn bewaard" in fout
    assert f"Verder met: meldcode hervat {walk.casus.id}" in fout
    herbouwd = state_from_events(flow, "basis", store.events(walk.casus.id))
    assert "afweging-2" == getattr(engine.what_next(flow, herbouwd), "id", None)


def test_closed_input_at_the_onderbouwing_names_the_afweging(flow: Flow) -> None:
    """The afweging comes back at once (to be saved); Ctrl-D at the onderbouwing asked after it
    is InputClosed for that afweging, saying it was kept without onderbouwing."""
    _, context = at_afweging_1(flow)
    prompter = PlainPrompter(flow, input=io.StringIO("1\n"), output=io.StringIO())
    antwoord = prompter.ask(flow.vraag("afweging-1"), context)
    assert Antwoord(vraag_id="afweging-1", waarde="ja") == antwoord
    with pytest.raises(InputClosed) as e:
        prompter.onderbouwing(flow.vraag("afweging-1"))
    assert "Uw keuze bij afweging 1 is bewaard, zonder onderbouwing" in str(e.value)


def test_advies_date_is_checked_like_other_dates(flow: Flow) -> None:
    """:advies with a date that is none: the format is named and the date asked again."""
    _, context = at_afweging_1(flow)
    typed = ":advies\ngisteren ZZ\n30-02-2027\n2027-03-15\n1\nBel de huisarts.\n\n"
    out = io.StringIO()
    prompter = PlainPrompter(flow, input=io.StringIO(typed), output=out)
    result = prompter.ask(flow.vraag("afweging-1"), context)
    assert isinstance(result, AdviesVeiligThuis)
    assert result.toelichting.startswith("Datum: 15-03-2027; geanonimiseerd: ja")
    fout = "Fout: Ongeldige datum: typ een bestaande datum als dd-mm-jjjj"
    assert 2 == out.getvalue().count(fout)


def test_a_wrong_date_names_the_form_the_prompt_asks_for(flow: Flow) -> None:
    """The engine's message names ISO (answers files); the prompt shows dd-mm-jjjj and ISO."""
    out = io.StringIO()
    prompter = PlainPrompter(flow, input=io.StringIO(""), output=out)
    try:
        check_antwoord(flow.vraag("evaluatiedatum"), "30-02-2027")
    except Exception as e:
        prompter.invalid(flow.vraag("evaluatiedatum"), str(e))
    assert "JJJJ-MM-DD" not in out.getvalue()
    assert "dd-mm-jjjj, bijv. 15-03-2027 (of als jjjj-mm-dd: 2027-03-15)" in out.getvalue()


class PauseFromMenu(PlainPrompter):
    """Keeps the action menu offered with a choice (as the arrow keys show it), then pauses."""

    menu: Sequence[Keuze] = ()

    def choose(self, menu: Menu) -> object:
        self.menu = menu.acties
        return PAUZE


def test_the_practice_pause_entry_names_oefen_hervat(flow: Flow) -> None:
    """The action menu of a practice walk names `meldcode oefen --hervat ID`."""
    _, context = at_afweging_1(flow)
    inner = PauseFromMenu(flow, input=io.StringIO(""), output=io.StringIO(),
                          vandaag=dt.date(2027, 1, 1))
    casus = load_cases(None)["basis-val-op-de-trap"][1]
    OefenPrompter(inner, flow, casus).start("mc-abcd-efgh")
    assert Pauzeren() == inner.ask(flow.vraag("afweging-1"), context)
    pauze = next(label for label, cmd in inner.menu if cmd == PAUZE)
    assert "later verder met meldcode oefen --hervat mc-abcd-efgh" in pauze


def test_a_real_walk_names_its_own_hervat_command(
    flow: Flow, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """The pause entry of a real walk names `meldcode hervat ID`."""
    walk = CaseWalk.start(store, flow)
    prompter = PauseFromMenu(flow, input=io.StringIO(""), output=io.StringIO())
    at_terminal(walk, prompter)
    capsys.readouterr()
    pauze = next(label for label, cmd in prompter.menu if cmd == PAUZE)
    assert f"later verder met meldcode hervat {walk.casus.id}" in pauze

