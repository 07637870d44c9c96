"""What the command layer shows a user: usage lines as the docs write them, error paragraphs
broken at the terminal's width, hints that name the right command."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casussen import MELDEN, VERDER
from meldcode.cli import app
from meldcode.commands.table import COMMANDS, GROUPS
from terminal import Terminal

REPO = Path(__file__).resolve().parents[1]
DOCS = "\n".join(
    p.read_text(encoding="utf-8") for p in [REPO / "README.md", *sorted(REPO.glob("docs/*.md"))]
)
# What the user types for each command: `start`, ..., and a group's `register init`.
NAMES = [
    c.name for c in COMMANDS
] + [g.name for g in GROUPS] + [f"{g.name} {c.name}" for g in GROUPS for c in g.commands]


def _usage(name: str, home: Path) -> str:
    """The 'Gebruik:' line of `meldcode NAME --help`."""
    result = CliRunner().invoke(
        app, [*name.split(), "--help"], env={"MELDCODE_HOME": str(home), "COLUMNS": "200"}
    )
    assert 0 == result.exit_code, result.output
    return next(r for r in result.output.splitlines() if "Gebruik:" in r).strip()


@pytest.mark.parametrize("name", NAMES)
def test_usage_line_writes_arguments_as_the_docs_do(name: str, tmp_path: Path) -> None:
    """`meldcode toon --help` said 'Gebruik: meldcode toon [OPTIES] {ID}' where README and docs
    write `meldcode toon ID`: a required argument is its bare name, an optional one `[NAAM]`,
    and each is written so (bare or in brackets) after its command somewhere in the docs."""
    usage = _usage(name, tmp_path)
    assert usage.startswith(f"Gebruik: meldcode {name} [OPTIES]")
    assert ("{" in usage, "}" in usage) == (False, False), usage
    argumenten = usage.removeprefix(f"Gebruik: meldcode {name} [OPTIES]").split()
    if argumenten and argumenten[0] == "OPDRACHT":
        return  # a group: 'OPDRACHT [ARGUMENTEN]...'
    woord = name.rsplit(maxsplit=1)[-1]
    for argument in argumenten:
        kaal = argument.strip("[]")
        assert re.search(rf"\b{woord} \[?{kaal}\]?[\s`|\\]", DOCS), (name, argument)


@pytest.mark.parametrize(("name", "kolommen"), [(n, k) for k in (80, 60) for n in NAMES])
def test_help_cuts_nothing_off(name: str, kolommen: int, tmp_path: Path) -> None:
    """`--help` at 80 and 60 columns shows every option name and word whole, in Dutch: at 60,
    typer's options table cut '--evaluatie-ver…', 'wacht-op-evaluat…' and
    '--eindverantwoorde…' (below 80 columns help is click's plain list now), and `graaf --help`
    showed 'GitHub/GitLab-m…'."""
    env = {"MELDCODE_HOME": str(tmp_path), "COLUMNS": str(kolommen)}
    result = CliRunner().invoke(app, [*name.split(), "--help"], env=env)
    assert 0 == result.exit_code
    assert [] == [r for r in result.output.splitlines() if "…" in r]
    assert all(len(r) <= kolommen for r in result.output.splitlines())
    engels = ("Usage", "Options", "Commands", "Arguments", "default:", "[required]", "Show this")
    assert [] == [w for w in engels if w in result.output]
    assert "Gebruik: meldcode " in result.output


def test_lijst_help_names_each_status_whole(tmp_path: Path) -> None:
    """`lijst --help` at 80 columns folded its status choices in their narrow type column
    ('<open|wacht-op-evaluat' / 'ie|vervolg|afgerond>'); the help text names them instead."""
    env = {"MELDCODE_HOME": str(tmp_path), "COLUMNS": "80"}
    uit = CliRunner().invoke(app, ["lijst", "--help"], env=env).output
    woorden = set(re.findall(r"[\w-]+", uit))
    assert {"open", "wacht-op-evaluatie", "vervolg", "afgerond"} <= woorden
    # and the range of --aantal in words, not click's '[0<=x<=1000000]'
    assert ("<=x<=" in uit, "hoogstens 1000000" in " ".join(uit.split())) == (False, True)


def test_required_argument_in_usage_is_bare(tmp_path: Path) -> None:
    """The exact usage lines of commands with a required argument, a group's included."""
    assert [
        "Gebruik: meldcode toon [OPTIES] ID",
        "Gebruik: meldcode hervat [OPTIES] ID",
        "Gebruik: meldcode register gebruiker [OPTIES] NAAM",
    ] == [_usage(n, tmp_path) for n in ("toon", "hervat", "register gebruiker")]


@pytest.mark.parametrize(
    "args",
    [
        ["toon", "mc-aaaa-aaaa"],  # an error of meldcode's own
        ["exporteer", "mc-aaaa-aaaa", "--formaat", "pdf"],  # a usage error (click's)
        ["hervat", "mc-aaaa-aaaa"],
    ],
    ids=["eigen-fout", "gebruiksfout", "hervat"],
)
def test_error_paragraph_is_broken_between_words_on_a_terminal(
    args: list[str], tmp_path: Path
) -> None:
    """On a terminal 60 columns wide an error paragraph went to the edge and on, the terminal
    cutting words (and ids) in two; now each line ends between words, and the exit code is 2."""
    term = Terminal(tmp_path, *args, cols=60)
    assert 2 == term.finish()
    regels = [r for r in term.lines() if r]
    assert ([], True) == (term.cut_words(), len(regels) > 1), regels
    assert all(len(r) < 60 for r in regels), regels
    assert "Bekijk" in term.text() or "mc-aaaa-aaaa" in term.text()


def test_startup_error_is_broken_between_words_on_a_terminal(tmp_path: Path) -> None:
    """The error before any command runs (a MELDCODE_ variable that is not UTF-8) went to the
    edge of a 60-column terminal and on, cutting words; now it is broken as every other one."""
    term = Terminal(tmp_path, "lijst", cols=60, extra={"MELDCODE_X": "\udcff"})
    assert 2 == term.finish()
    assert "De omgevingsvariabele MELDCODE_X bevat tekens" in term.text()
    assert [] == term.cut_words()


def _run_with_stderr_on_a_terminal(args: list[str], home: Path, cols: int) -> tuple[int, str, str]:
    """`meldcode ARGS` with stdout a pipe and stderr a terminal `cols` wide (COLUMNS unset, as
    in `meldcode ... --json > uit.json` typed at a prompt): exit code, stdout, stderr."""
    meester, slaaf = pty.openpty()
    fcntl.ioctl(slaaf, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    with subprocess.Popen(
        [sys.executable, "-m", "meldcode", *args],
        stdout=subprocess.PIPE, stderr=slaaf, stdin=subprocess.DEVNULL, text=True,
        env={**env, "MELDCODE_HOME": str(home)},
    ) as proces:
        os.close(slaaf)
        uit, _ = proces.communicate(timeout=60)
    fout = b""
    with contextlib.suppress(OSError):  # EIO once the terminal's last writer is gone
        while chunk := os.read(meester, 65536):
            fout += chunk
    os.close(meester)
    return proces.returncode, uit, fout.decode("utf-8").replace("\r\n", "\n")


def test_error_width_is_that_of_the_terminal_stderr_is_on(tmp_path: Path) -> None:
    """With stdout in a file and stderr on a 50-column terminal, the error is broken at 50
    columns (not at an assumed 80): same words, same exit code, nothing on stdout; where stderr
    is no terminal (a pipe, a log file), the paragraph stays one line."""
    args = ["herbereken", "mc-aaaa-aaaa", "--json"]
    code, uit, fout = _run_with_stderr_on_a_terminal(args, tmp_path, 50)
    regels = fout.strip().split("\n")
    pijp = subprocess.run(
        [sys.executable, "-m", "meldcode", *args], capture_output=True, text=True, check=False,
        env={**os.environ, "MELDCODE_HOME": str(tmp_path)}, timeout=60,
    )
    assert (2, "", 2, "") == (code, uit, pijp.returncode, pijp.stdout)
    assert [pijp.stderr.strip()] == pijp.stderr.strip().split("\n")
    assert pijp.stderr.split() == fout.split()
    assert (True, True) == (len(regels) > 2, all(len(r) < 50 for r in regels)), regels


def _cli(home: Path, *args: str, invoer: str | None = None) -> tuple[int, str, str]:
    """`meldcode ARGS` in-process: exit code, stdout, stderr."""
    result = CliRunner().invoke(app, list(args), input=invoer, env={"MELDCODE_HOME": str(home)})
    return result.exit_code, result.stdout, result.stderr


def _eerste_id(home: Path, *opties: str) -> str:
    """The id of the newest case in the real store (or with '--oefening', the practice store)."""
    code, uit, _ = _cli(home, "lijst", "--json", *opties)
    assert 0 == code
    return str(json.loads(uit)[0]["id"])


def test_hervat_of_a_practice_case_names_oefen_hervat(tmp_path: Path) -> None:
    """`meldcode hervat ID` of a paused practice walk pointed to 'meldcode lijst --oefening';
    it names the command that goes on with it, 'meldcode oefen --hervat ID' (docs/oefenen.md),
    with or without an answers file, still with exit 2."""
    code, _, fout = _cli(tmp_path, "oefen", "wmo-geld-van-moeder", "--eenvoudig", invoer=":pauze\n")
    assert 0 == code, fout
    oefening = _eerste_id(tmp_path, "--oefening")
    antwoorden = tmp_path / "evaluatie.yaml"
    antwoorden.write_text(VERDER, encoding="utf-8")
    for extra in ([], ["--antwoorden", str(antwoorden)]):
        code, _, fout = _cli(tmp_path, "hervat", oefening, *extra)
        assert 2 == code
        assert f"Ga ermee verder met 'meldcode oefen --hervat {oefening}'." in fout
        assert "lijst --oefening" not in fout


def test_oefen_hervat_of_a_real_case_names_hervat(tmp_path: Path) -> None:
    """And the other way round: `meldcode oefen --hervat ID` of a real case names
    'meldcode hervat ID'; an id in neither store keeps the plain 'bestaat niet'."""
    antwoorden = tmp_path / "a.yaml"
    antwoorden.write_text(MELDEN, encoding="utf-8")
    assert 0 == _cli(tmp_path, "start", "--antwoorden", str(antwoorden))[0]
    echt = _eerste_id(tmp_path)
    code, _, fout = _cli(tmp_path, "oefen", "--hervat", echt)
    assert (2, f"Casus '{echt}' is een echte casus, geen oefening. Ga ermee verder met "
            f"'meldcode hervat {echt}'.\n") == (code, fout)
    code, _, fout = _cli(tmp_path, "hervat", "mc-aaaa-aaaa")
    assert (2, True) == (code, "bestaat niet in deze opslag" in fout)


@pytest.mark.parametrize(("kapot", "aantal"), [(0, "1 probleem"), (2, "2 problemen")])
def test_practice_folder_errors_count_in_dutch(tmp_path: Path, kapot: int, aantal: str) -> None:
    """`oefen --map /nope` said '(1 probleem/problemen)': the count reads as Dutch, singular
    or plural, as the flow files' errors do."""
    map_ = tmp_path / "oefen"
    if kapot:
        map_.mkdir()
        for i in range(kapot):
            (map_ / f"kapot{i}.yaml").write_text("id: [\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["valideer", "--oefencasussen", str(map_)], env={"MELDCODE_HOME": str(tmp_path)}
    )
    assert result.exit_code != 0
    assert f"({aantal}):" in result.output, result.output
    assert "probleem/problemen" not in result.output


@pytest.mark.parametrize("cols", [60, 120])
def test_practice_cases_list_keeps_every_title_whole(tmp_path: Path, cols: int) -> None:
    """`meldcode oefen` at 60 columns cut titles to 'zomervakan…' and 're-integra…' in a
    table squeezed to one word per line: below 80 columns each case is its id and sector with
    the title under it, and no title or sector is cut at any width."""
    import yaml

    from meldcode.practice import shipped_dir

    result = CliRunner().invoke(
        app, ["oefen"], env={"MELDCODE_HOME": str(tmp_path), "COLUMNS": str(cols)}
    )
    assert 0 == result.exit_code, result.output
    assert "…" not in result.output
    regels = [r.rstrip("│ ").lstrip("│ ") for r in result.output.splitlines()]
    tekst = " ".join(" ".join(regels).split())
    for pad in sorted(shipped_dir().glob("*.yaml")):
        casus = yaml.load(pad.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        assert (True, True) == (casus["titel"] in tekst, casus["sector"] in result.output), pad
