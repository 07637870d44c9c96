"""What rich draws, read back through a terminal emulator (pyte) at 60 and 120 columns.

A line that breaks inside a word ("aandachtsf" / "unctionaris") leaves a fragment on screen
that no text of meldcode contains; every word on screen must be a word of the program, its
flows, its practice cases or what the test typed. Times are checked with TZ=Europe/Amsterdam.

The screens are real processes in a pseudo-terminal; the case they show is made once per test
process and only read: in-process (tests/inprocess.py), or as a process where the time zone
matters (TZ=UTC).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import sys
import textwrap
import zoneinfo
from collections.abc import Mapping
from pathlib import Path

import pexpect
import pyte
import pytest
from rich.console import Console

from inprocess import run_meldcode
from meldcode.render import views
from meldcode.store.integrity import Verificatie
from meldcode.store.sqlite import Store
from terminal import printed_lines

TIMEOUT = 20
ROOT = Path(__file__).resolve().parents[1]
ENTER = "\r"
BREEDTES = [60, 120]  # narrow and wide; 80 is no boundary of these screens
AMSTERDAM = "Europe/Amsterdam"
ANTWOORDEN = textwrap.dedent(
    """\
    sector: basis
    antwoorden:
      acuut-gevaar: nee
      signalen: [psychisch-geweld, getuige-huiselijk-geweld]
      signalen-beschrijving: "Kind vertelt dat het 's nachts geschreeuw hoort (mentor)."
      kindcheck: ja
      collegiale-consultatie: "Aandachtsfunctionaris: de zorg blijft; gesprek met moeder."
      veilig-thuis-geraadpleegd: nee
      gesprek-gevoerd: ja
      afweging-1: ja
      afweging-2: ja
    """
)
WOORD = re.compile(r"[^\W\d_]+")
# Pseudonymous ids and hashes are no words; leave them out before looking for fragments.
GEEN_WOORD = re.compile(r"mc-[a-z0-9]{4}-[a-z0-9]{4}|(?:sha256:)?[0-9a-f]{12,}")


def _woordenschat() -> frozenset[str]:
    """Every word in the program's sources, flows and practice cases (case-insensitive)."""
    woorden: set[str] = set()
    bestanden = [
        *(ROOT / "src" / "meldcode").rglob("*.py"),
        *(ROOT / "src" / "meldcode" / "oefencasussen").glob("*.yaml"),
        *(ROOT / "stappen").glob("*.yaml"),
        *(ROOT / "afwegingskader").glob("*.yaml"),
    ]
    for pad in bestanden:
        woorden |= {w.lower() for w in WOORD.findall(pad.read_text(encoding="utf-8"))}
    woorden |= {w.lower() for w in WOORD.findall(ANTWOORDEN)}
    return frozenset(woorden)


WOORDENSCHAT = _woordenschat()


def afgebroken(regels: list[str]) -> list[str]:
    """Fragments on screen that are no word of meldcode: a line was cut inside a word."""
    tekst = GEEN_WOORD.sub(" ", "\n".join(regels))
    # A 64-digit hash must fold in a narrow table; its pieces between digits are no words.
    hash_stuk = re.compile(r"[a-f]+")
    return sorted(
        {
            w
            for w in WOORD.findall(tekst)
            if w.lower() not in WOORDENSCHAT and not hash_stuk.fullmatch(w)
        }
    )


def lees(regels: list[str]) -> str:
    """The words on screen in reading order: box lines left out, whitespace folded."""
    return " ".join(re.sub(r"[│┃╭╮╰╯─━┌┐└┘├┤┬┴┼┏┓┗┛┡┩╇╈]", " ", " ".join(regels)).split())


def env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a run: its own store, a terminal, no cursor-position requests."""
    return {
        **os.environ,
        "MELDCODE_HOME": str(home),
        "TERM": "xterm",
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "COLUMNS": "",
        "LINES": "",
        **extra,
    }


def spawn(
    home: Path,
    args: list[str],
    *,
    cols: int,
    rows: int = 24,
    extra: Mapping[str, str] | None = None,
) -> pexpect.spawn[str]:
    """`python ARGS` in a pseudo-terminal of `cols` × `rows`, with `extra` in its environment."""
    return pexpect.spawn(
        sys.executable,
        args,
        env=env(home, **(extra or {})),
        encoding="utf-8",
        dimensions=(rows, cols),
        timeout=TIMEOUT,
        maxread=65536,  # a whole dossier in a few reads, not in pieces of 2000 characters
    )


def run_screen(home: Path, args: list[str], *, cols: int, **extra: str) -> list[str]:
    """The whole output of a command that asks nothing, as the terminal shows it."""
    child = spawn(home, ["-m", "meldcode", *args], cols=cols, extra=extra)
    child.expect(pexpect.EOF)
    child.wait()  # reaped: closing needs no pause to learn the exit status
    child.ptyproc.delayafterclose = 0  # type: ignore[attr-defined]  # not in the stubs
    child.close()
    assert child.exitstatus == 0, child.before
    return printed_lines(child.before or "", cols)  # tall enough: everything printed stays readable


class Terminal:
    """A live program in an 80×24 (or other) terminal, its screen kept by pyte."""

    def __init__(self, child: pexpect.spawn[str], cols: int, rows: int) -> None:
        self.child = child
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)

    def tekst(self) -> str:
        """The screen as the trainer sees it now, whitespace folded."""
        return lees(self.screen.display)

    def wacht_op(self, *gezocht: str) -> str:
        """Read output until one of `gezocht` is on the screen; the screen's text."""
        for _ in range(TIMEOUT * 10):
            with contextlib.suppress(pexpect.TIMEOUT):
                self.stream.feed(self.child.read_nonblocking(100_000, timeout=0.1))
            if any(g in self.tekst() for g in gezocht):
                return self.tekst()
        pytest.fail(f"{gezocht!r} did not appear; the screen:\n" + "\n".join(self.screen.display))

    def stuur(self, toetsen: str) -> None:
        """Type `toetsen`."""
        self.child.send(toetsen)


def scripted_case(home: Path, **extra: str) -> str:
    """A case walked from an answers file (melden, afweging 2) by a process with `extra` in its
    environment (a time zone); its id."""
    bestand = home / "antwoorden.yaml"
    bestand.write_text(ANTWOORDEN, encoding="utf-8")
    child = spawn(
        home, ["-m", "meldcode", "start", "--antwoorden", str(bestand), "--standaard"],
        cols=120, extra=extra,
    )
    child.expect(r"Casus (mc-[a-z0-9]{4}-[a-z0-9]{4}) is vastgelegd")
    assert isinstance(child.match, re.Match), child.match
    casus_id = str(child.match.group(1))
    child.expect(pexpect.EOF)
    return casus_id


def _home(factory: pytest.TempPathFactory) -> Path:
    home = factory.mktemp("scherm") / "home"
    home.mkdir(mode=0o700)
    return home


@pytest.fixture(scope="module")
def casus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store with one case walked from an answers file (melden, afweging 2), made in-process;
    the store's folder and the case's id. The tests only read it."""
    home = _home(tmp_path_factory)
    bestand = home / "antwoorden.yaml"
    bestand.write_text(ANTWOORDEN, encoding="utf-8")
    result = run_meldcode(
        ["start", "--antwoorden", str(bestand), "--standaard", "--json"],
        env={"MELDCODE_HOME": str(home), "MELDCODE_FLOWS": None},
    )
    assert 0 == result.returncode, result.stderr
    return home, str(json.loads(result.stdout)["casus"]["id"])


@pytest.fixture(scope="module")
def utc_casus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The same case recorded by a process on a UTC machine; the store's folder and the id."""
    home = _home(tmp_path_factory)
    return home, scripted_case(home, TZ="UTC")


# --- summary and toon: wrapped at words ----------------------------------------------------

SAMENVATTING = """
import sys
from rich.console import Console
from meldcode.store.history import state_from_events
from meldcode.flows import load_flow
from meldcode.render.summary import samenvatting
from meldcode.commands.home import open_store
store = open_store(oefening=False)
casus = store.get(sys.argv[1])
events = store.events(casus.id)
flow = load_flow(casus.sector)
state = state_from_events(flow, casus.sector, events)
for eenvoudig in (False, True):
    samenvatting(Console(), flow, casus, state, events, eenvoudig=eenvoudig)
    print("=" * 20)
"""


@pytest.mark.parametrize("cols", BREEDTES)
def test_summary_wraps_at_words(casus: tuple[Path, str], cols: int) -> None:
    """The end-of-walk summary, with boxes and plain (--eenvoudig), breaks lines between words,
    keeping each question whole."""
    home, casus_id = casus
    child = spawn(home, ["-c", SAMENVATTING, casus_id], cols=cols)
    child.expect(pexpect.EOF)
    alles = printed_lines(child.before or "", cols)
    scheidingen = [i for i, regel in enumerate(alles) if regel == "=" * 20]
    assert 2 == len(scheidingen), alles
    eerste, tweede = scheidingen
    delen = {"kaders": alles[:eerste], "eenvoudig": alles[eerste + 1 : tweede]}
    for vorm, regels in delen.items():
        tekst = lees(regels)
        assert "Samenvatting casus" in tekst, vorm
        assert [] == afgebroken(regels), vorm
        # Nog vast te leggen lists whole questions, not "welk instrum…"
        assert "en welk instrument gebruikte u?" in tekst, vorm
        assert "…" not in tekst.split("Nog vast te leggen")[1], vorm


@pytest.mark.parametrize("cols", BREEDTES)
def test_toon_with_log_wraps_at_words(casus: tuple[Path, str], cols: int) -> None:
    """`toon ID --log` at 60 and 120 columns: no word, id or date split over two lines; the
    log's outcome says why in Dutch words, never the reden id."""
    home, casus_id = casus
    regels = run_screen(home, ["toon", casus_id, "--log"], cols=cols)
    assert "acute of structurele onveiligheid" in lees(regels), "the reason in words"
    # An id wraps after a hyphen: read it joined again.
    assert "acute-of-structurele-onveiligheid" not in lees(regels).replace("- ", "-"), "reden id"
    assert [] == afgebroken(regels)
    assert all(len(r) <= cols for r in regels)
    # Every logged question id stands whole on one line.
    for vraag in ("signalen-beschrijving", "collegiale-consultatie", "veilig-thuis-geraadpleegd"):
        assert any(vraag in r for r in regels), vraag


def test_the_reason_is_in_words_in_the_dossier(casus: tuple[Path, str]) -> None:
    """The outcome in the Markdown and HTML dossiers (made in-process) says why in Dutch words,
    never the reden id. (On screen, `toon --log`: test_toon_with_log_wraps_at_words.)"""
    home, casus_id = casus
    teksten: dict[str, str] = {}
    for formaat in ("markdown", "html"):
        result = run_meldcode(
            ["exporteer", casus_id, "--formaat", formaat],
            env={"MELDCODE_HOME": str(home), "MELDCODE_FLOWS": None},
        )
        assert 0 == result.returncode, result.stderr
        teksten[formaat] = " ".join(result.stdout.split())
    for waar, tekst in teksten.items():
        assert "acute of structurele onveiligheid" in tekst, waar
        assert "acute-of-structurele-onveiligheid" not in tekst, waar


# --- local time, dd-mm-jjjj ---------------------------------------------------------------


def _aangemaakt(home: Path, casus_id: str) -> dt.datetime:
    store = Store(home / "meldcode.db")
    try:
        return dt.datetime.fromisoformat(store.get(casus_id).aangemaakt)
    finally:
        store.close()


def test_times_show_in_local_time_as_dd_mm_jjjj(utc_casus: tuple[Path, str]) -> None:
    """A case recorded on a UTC machine shows Amsterdam time on screen and in Markdown/HTML."""
    home, casus_id = utc_casus
    lokaal = _aangemaakt(home, casus_id).astimezone(zoneinfo.ZoneInfo(AMSTERDAM))
    verwacht = lokaal.strftime("%d-%m-%Y %H:%M")
    tekst = lees(run_screen(home, ["toon", casus_id], cols=120, TZ=AMSTERDAM))
    assert f"Aangemaakt {verwacht}" in tekst
    for formaat in ("markdown", "html"):
        uit = " ".join(
            run_screen(home, ["exporteer", casus_id, "--formaat", formaat], cols=200, TZ=AMSTERDAM)
        )
        assert verwacht in uit, formaat
        assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", uit), formaat


def test_json_keeps_iso_with_the_local_offset(utc_casus: tuple[Path, str]) -> None:
    """JSON gives aangemaakt in ISO 8601 with the reader's offset (+01:00 or +02:00)."""
    home, casus_id = utc_casus
    child = spawn(
        home, ["-m", "meldcode", "exporteer", casus_id, "--formaat", "json"],
        cols=200, extra={"TZ": AMSTERDAM},
    )
    child.expect(pexpect.EOF)
    document = json.loads((child.before or "").replace("\r\n", "\n"))
    moment = _aangemaakt(home, casus_id)
    offset = moment.astimezone(zoneinfo.ZoneInfo(AMSTERDAM)).strftime("%z")
    aangemaakt = document["casus"]["aangemaakt"]
    assert aangemaakt.endswith(f"{offset[:3]}:{offset[3:]}")
    assert dt.datetime.fromisoformat(aangemaakt) == moment


# --- the practice walk at 80×24 ----------------------------------------------------------


def _verhaal(deel: str, casus: str = "basis-val-op-de-trap") -> str:
    import yaml

    data = yaml.safe_load((ROOT / "src/meldcode/oefencasussen" / f"{casus}.yaml").read_text())
    return " ".join(str(data["verhaal"][deel]).split())


def _verhaal_dan_vraag(t: Terminal, deel: str, vraag: str) -> None:
    """The story part is whole on screen: with its question, or on a screen before it."""
    scherm = t.wacht_op(vraag, "Enter: verder naar de vraag")
    assert _verhaal(deel) in scherm
    assert [] == afgebroken(door_rich(t.screen.display))
    if vraag not in scherm:
        t.wacht_op("Enter: verder naar de vraag")
        t.stuur(ENTER)
        t.wacht_op(vraag)


def door_rich(regels: list[str]) -> list[str]:
    """The screen above the first questionary prompt (`? …`): what the practice walk drew."""
    for nummer, regel in enumerate(regels):
        if regel.startswith("? "):
            return regels[:nummer]
    return regels


@pytest.mark.parametrize("cols", BREEDTES)
@pytest.mark.parametrize("presentatie", [False, True], ids=["gewoon", "presentatie"])
def test_practice_story_stays_readable_in_24_lines(
    home: Path, presentatie: bool, cols: int
) -> None:
    """Each story part is whole on a 24-line screen before its question needs the room."""
    args = ["-m", "meldcode", "oefen", "basis-val-op-de-trap"]
    args += ["--presentatie"] if presentatie else []
    t = Terminal(spawn(home, args, cols=cols, rows=24), cols, 24)
    t.wacht_op("Enter: begin de oefening")
    t.stuur(ENTER)
    _verhaal_dan_vraag(t, "begin", "acuut gevaar voor")
    t.stuur(ENTER)  # nee: the cursor starts on the answer that does not end the case
    _verhaal_dan_vraag(t, "stap-1", "Welke soorten signalen")
    t.child.sendcontrol("c")
    t.child.expect(pexpect.EOF)


DEBRIEF = """
import sys
from meldcode.flows import load_flow
from meldcode.practice import load_cases, play, vergelijk
from meldcode.prompts.practice import OefenPrompter
from meldcode.prompts.interactive import InteractivePrompter
casus = load_cases()["zorg-jonge-vader"][1]
flow = load_flow(casus.sector)
state = play(flow, {**casus.antwoorden, "acuut-gevaar": "ja"})
inner = InteractivePrompter(flow)
OefenPrompter(inner, flow, casus).nabespreking(vergelijk(flow, casus, state))
print("EINDE")
"""


@pytest.mark.parametrize("cols", BREEDTES)
def test_practice_debrief_comes_a_screen_at_a_time(home: Path, cols: int) -> None:
    """A debrief longer than 24 lines stops for Enter; each screen is read whole."""
    t = Terminal(spawn(home, ["-c", DEBRIEF], cols=cols, rows=24), cols, 24)
    scherm = t.wacht_op("Enter: volgende scherm (1/")
    assert "Nabespreking (OEFENING)" in scherm
    assert [] == afgebroken(t.screen.display)
    gezien = scherm
    for nummer in range(2, 30):
        t.stuur(ENTER)
        scherm = t.wacht_op(f"Enter: volgende scherm ({nummer}/", "EINDE")
        assert [] == afgebroken(t.screen.display)
        gezien += scherm
        if "EINDE" in scherm:
            break
    # Not "De casus geeft hier geen toelichting bij": the acute question is explained.
    # A sentence may go on on the next screen: read the screens without their footers.
    doorlopend = " ".join(re.sub(r"Enter: volgende scherm \(\d+/\d+\)", " ", gezien).split())
    assert "Het verhaal beschrijft niemand die nu direct in gevaar is" in doorlopend
    assert "geen toelichting bij" not in gezien


# --- the walk in the docs ------------------------------------------------------------------


def test_walk_transcript_in_the_docs_is_a_real_run(home: Path) -> None:
    """docs/walk.md shows what `meldcode start --eenvoudig` prints now, line for line."""
    sys.path.insert(0, str(Path(__file__).parent))
    import walk_transcript

    assert walk_transcript.documented() == walk_transcript.run(home), (
        "docs/walk.md is stale: run 'python tests/walk_transcript.py'"
    )


# --- numbers as a Dutch reader writes them -------------------------------------------------


def _console(breedte: int = 100) -> Console:
    return Console(width=breedte, record=True, file=io.StringIO(), color_system=None)


def test_verifieer_speed_uses_a_dot_for_thousands() -> None:
    """1965 events a second read as '1.965 per seconde', not '1,965'."""
    console = _console()
    views.verificatie(console, Verificatie(casussen=3, events=1965), seconden=1.0)
    tekst = console.export_text()
    assert "1.965 per seconde" in tekst
    assert "1,965" not in tekst


@pytest.mark.parametrize(
    ("mediaan", "verwacht"),
    [(0.0, "minder dan een dag"), (1.0, "1 dag"), (2.5, "2,5 dagen"), (1200.0, "1.200 dagen")],
)
def test_statistiek_median_in_words_and_dutch_decimals(mediaan: float, verwacht: str) -> None:
    """The median time to an outcome is never '0.0 dagen': Dutch decimals, or words."""
    console = _console()
    leeg: dict[str, dict[str, int]] = {}
    views.statistiek(
        console,
        {
            "casussen": 1, "per_sector": leeg, "per_status": leeg, "per_uitkomst": leeg,
            "per_reden": leeg, "per_maand": leeg, "mediaan_dagen_tot_uitkomst": mediaan,
        },
    )
    assert f"Mediaan van start tot uitkomst: {verwacht}" in console.export_text()


def test_ctrl_c_at_the_practice_introduction_names_the_way_back(home: Path) -> None:
    """Ctrl-C while the introduction waits for Enter exits 130 and names `oefen --hervat`."""
    child = spawn(home, ["-m", "meldcode", "oefen", "basis-val-op-de-trap"], cols=80)
    child.expect("Enter: begin de oefening")
    child.sendcontrol("c")
    child.expect(r"meldcode oefen --hervat mc-")
    child.expect(pexpect.EOF)
    child.close()
    assert 130 == child.exitstatus


TIJDEN = [
    ("tijd_nl", "2026-12-31T23:30:00+00:00", "01-01-2027 00:30"),  # winter: +01:00
    ("tijd_nl", "2027-07-01T10:33:00+00:00", "01-07-2027 12:33"),  # summer: +02:00
    ("datum_nl", "2026-12-31T23:30:00+00:00", "01-01-2027"),  # the local date
    ("datum_nl", "2027-03-15", "15-03-2027"),  # a date stays that date
    ("iso_lokaal", "2026-11-23T09:00:00+00:00", "2026-11-23T10:00:00+01:00"),
]


def test_stored_times_read_in_amsterdam() -> None:
    """A stored UTC time reads as the Dutch clock showed it, across midnight and in summer
    (one process with TZ=Europe/Amsterdam formats them all)."""
    code = "from meldcode.text import formatting\n" + "".join(
        f"print(formatting.{functie}({opgeslagen!r}))\n" for functie, opgeslagen, _ in TIJDEN
    )
    child = pexpect.spawn(
        sys.executable, ["-c", code], env=env(Path("/nonexistent"), TZ=AMSTERDAM),
        encoding="utf-8", timeout=TIMEOUT,
    )
    child.expect(pexpect.EOF)
    uitvoer = (child.before or "").replace("\r\n", "\n").strip().split("\n")
    assert len(TIJDEN) == len(uitvoer), child.before
    for (functie, opgeslagen, verwacht), regel in zip(TIJDEN, uitvoer, strict=True):
        assert verwacht == regel.strip(), f"{functie}({opgeslagen!r})"
