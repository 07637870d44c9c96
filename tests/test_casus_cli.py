"""`meldcode start` / `hervat` as commands, and the summary they end with."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from meldcode import engine
from meldcode.cli import app
from meldcode.flows import load_flow
from meldcode.model import State
from meldcode.render import summary
from meldcode.store.sqlite import Store
from meldcode.walk.recorder import Recorder

BASIS = {
    "acuut-gevaar": "nee",
    "signalen": ["psychisch-geweld"],
    "signalen-beschrijving": "Kind vertelt op 3/11 dat er thuis wordt geschreeuwd.",
    "kindcheck": "nee",
    "collegiale-consultatie": "Aandachtsfunctionaris: zorg blijft.",
    "veilig-thuis-geraadpleegd": "nee",
    "gesprek-gevoerd": "ja",
    "afweging-1": "ja",
}
OPTIONEEL = dict.fromkeys(
    [
        "kindcheck-toelichting",
        "letselduiding",
        "gesprek-verslag",
        "weging",
        "eindverantwoordelijke",
        "hulp-afspraken",
    ]
)


def invoke(home: Path, *args: str, stdin: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), input=stdin, env={"MELDCODE_HOME": str(home)})
    return result.exit_code, result.output


@pytest.mark.parametrize("args", [("start", "--sector", "basis"), ("start",)])
def test_start_without_a_terminal_exits_2_and_points_to_antwoorden(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    """No terminal and no answers file: exit 2 with a pointer to --antwoorden."""
    code, output = invoke(tmp_path, *args)
    assert (2, True) == (code, "--antwoorden" in output)


@pytest.mark.parametrize("option", ["--standaard", "--json"])
def test_scripted_options_need_an_answers_file(tmp_path: Path, option: str) -> None:
    """--standaard and --json alone are wrong use: exit 2."""
    code, output = invoke(tmp_path, "start", option)
    assert (2, True) == (code, "--antwoorden" in output)


def test_start_with_an_unknown_sector_names_the_sector_first(tmp_path: Path) -> None:
    """An unknown --sector is reported as such, even without a terminal."""
    code, output = invoke(tmp_path, "start", "--sector", "tandartsen")
    assert (2, True, False) == (
        code,
        "Sector 'tandartsen' bestaat niet" in output,
        "--antwoorden" in output,
    )


def test_start_with_broken_flows_names_the_flow_problem(tmp_path: Path) -> None:
    """MELDCODE_FLOWS pointing at a folder without flows gives the located flow error."""
    result = CliRunner().invoke(
        app,
        ["start", "--sector", "basis"],
        env={"MELDCODE_HOME": str(tmp_path), "MELDCODE_FLOWS": str(tmp_path / "leeg")},
    )
    assert 2 == result.exit_code
    assert "MC100" in result.output


def test_hervat_of_an_unknown_case_exits_2(tmp_path: Path) -> None:
    """An id that the store does not have is wrong input."""
    code, output = invoke(tmp_path, "hervat", "mc-zzzz-zzzz")
    assert (2, True) == (code, "mc-zzzz-zzzz" in output)


def test_start_with_an_answers_file_on_stdin_runs_without_questions(tmp_path: Path) -> None:
    """`start --antwoorden -` is wired to the scripted run and stores a case."""
    yaml_text = "sector: basis\nantwoorden:\n  afweging-1: nee\n" + "".join(
        f"  {k}: {v!r}\n" for k, v in BASIS.items() if k != "afweging-1"
    )
    code, _ = invoke(tmp_path, "start", "--antwoorden", "-", "--standaard", stdin=yaml_text)
    store = Store(tmp_path / "meldcode.db")
    uitkomsten = [c.uitkomst_id for c in store.casussen()]
    store.close()
    assert (0, ["afsluiten"]) == (code, uitkomsten)


def summary_text(
    tmp_path: Path, antwoorden: dict[str, object], *, eenvoudig: bool = False
) -> tuple[str, str]:
    """The summary of a case with these answers, as plain text, and the case id."""
    flow = load_flow("basis")
    store = Store(tmp_path / "meldcode.db")
    recorder = Recorder.start(store, flow, label="dossier-4711")
    state = engine.replay(flow, State(sector="basis"), {**OPTIONEEL, **antwoorden})
    for antwoord in state.antwoorden:
        recorder.antwoord(flow.vraag(antwoord.vraag_id), antwoord, state)
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None, highlight=False)
    summary.samenvatting(
        console,
        flow,
        store.get(recorder.casus.id),
        state,
        store.events(recorder.casus.id),
        eenvoudig=eenvoudig,
    )
    store.close()
    return out.getvalue(), recorder.casus.id


def test_plain_summary_has_no_boxes_or_tables(tmp_path: Path) -> None:
    """For screen readers (--eenvoudig) the summary is lines of text, with the same content."""
    tekst, casus_id = summary_text(tmp_path, {**BASIS, "afweging-2": "ja"}, eenvoudig=True)
    assert not set("│─┃━┌┐└┘╭╮╰╯") & set(tekst)
    for deel in ("Afwegingen", "Afweging 2", "Uitkomst", "Meldnorm 1", "0800-2000", casus_id):
        assert deel in tekst


@pytest.mark.parametrize(
    ("extra", "teksten"),
    [
        (
            {"afweging-2": "ja"},
            [
                "Melden bij Veilig Thuis",
                "Meldnorm 1",
                "0800-2000",
                "112",
                "Meld open, tenzij",
                "Leg vast",
            ],
        ),
        ({"afweging-2": "nee", "afweging-3": "nee"}, ["Meldnorm 2", "afweging 3: nee"]),
        (
            {
                "afweging-2": "nee",
                "afweging-3": "ja",
                "afweging-4": "ja",
                "evaluatiedatum": "2027-03-15",
            },
            ["Hulp bieden", "Evaluatiedatum: 15-03-2027"],
        ),
    ],
    ids=["melden-1", "melden-2", "hulp-bieden"],
)
def test_summary_names_outcome_reason_meldnorm_and_next_steps(
    tmp_path: Path, extra: dict[str, object], teksten: list[str]
) -> None:
    """The summary says the outcome, why, under which meldnorm, and what to do now."""
    tekst, _ = summary_text(tmp_path, {**BASIS, **extra})
    assert [] == [t for t in teksten if t not in tekst]


def test_summary_lists_sector_steps_afwegingen_and_the_case_id(tmp_path: Path) -> None:
    """Sector, each step's answers, each afweging with its answer, and the id are shown."""
    tekst, casus_id = summary_text(tmp_path, {**BASIS, "afweging-2": "ja"})
    verwacht = [
        "Basismodel meldcode",
        "Stap 1",
        "Psychisch of emotioneel geweld",
        "Stap 3",
        "Afweging 1",
        "Afweging 2",
        f"Casus-id: {casus_id}",
    ]
    assert [] == [t for t in verwacht if t not in tekst]


SESSIE = (Path(__file__).parents[1] / "docs" / "doorlopen.md").read_text(encoding="utf-8")


def test_docs_doorlopen_documents_every_typed_command() -> None:
    """Each command a user can type at a question is in docs/doorlopen.md's keys and actions."""
    from meldcode.prompts.screen import COMMANDS

    assert [] == [c for c in COMMANDS if f"`{c}`" not in SESSIE]


def test_walk_transcript_shows_the_commands_line_as_printed() -> None:
    """The example session (docs/walk.md) prints the commands line the plain prompter prints."""
    from meldcode.prompts.screen import COMMANDS_HULP

    walk = (Path(__file__).parents[1] / "docs" / "walk.md").read_text(encoding="utf-8")
    # The transcript is an 80-column terminal: a long line continues on the next.
    assert " ".join(COMMANDS_HULP.split()) in " ".join(walk.split())


def test_summary_lists_empty_answers_the_dossier_needs(tmp_path: Path) -> None:
    """At the end the summary names what the meldcode asks to record but was left empty."""
    tekst, _ = summary_text(
        tmp_path, {**BASIS, "afweging-2": "ja", "eindverantwoordelijke": "AF-2"}, eenvoudig=True
    )
    deel = " ".join(tekst.partition("Nog vast te leggen")[2].split("Uitkomst")[0].split())
    assert (True, False) == (
        "Welke risicofactoren en beschermende factoren" in deel,
        "Wie is eindverantwoordelijk" in deel,
    )
