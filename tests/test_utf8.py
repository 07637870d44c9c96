"""Bytes that are no UTF-8 and a Ctrl-C while Python starts: Dutch, never exit 1 or a
traceback (issue 17 items 5 and 11)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from meldcode.store import open_store
from terminal import ENTER, Terminal

ANTWOORDEN = "sector: basis\nantwoorden:\n  acuut-gevaar: ja\n"


def meldcode(
    home: Path, *args: str | bytes, env: dict[str, str | bytes] | None = None
) -> tuple[int, str]:
    """`python -m meldcode ARGS` with raw bytes where given; exit code and stderr."""
    omgeving: dict[bytes, bytes] = {**os.environb, b"MELDCODE_HOME": bytes(home)}
    for k, v in (env or {}).items():
        omgeving[k.encode()] = v if isinstance(v, bytes) else v.encode()
    proc = subprocess.run(
        [
            sys.executable.encode(),
            b"-m",
            b"meldcode",
            *(a if isinstance(a, bytes) else a.encode() for a in args),
        ],
        env=omgeving,
        capture_output=True,
        check=False,
    )
    return proc.returncode, proc.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("args", "env", "waar"),
    [
        (
            (b"start", b"--label", b"\xff", b"--antwoorden", b"ANTWOORDEN"),
            {},
            "De waarde van --label",
        ),
        ((b"toon", b"mc-\xeb"), {}, "Argument 2"),
        ((b"lijst",), {"MELDCODE_FLOWS": b"/tmp/\xff"}, "De omgevingsvariabele MELDCODE_FLOWS"),
    ],
    ids=["label", "argument", "omgeving"],
)
def test_no_utf8_in_arguments_or_environment_is_an_input_error(
    tmp_path: Path, args: tuple[bytes, ...], env: dict[str, str | bytes], waar: str
) -> None:
    """A Latin-1 byte in an argument or MELDCODE_ variable: exit 2, Dutch, nothing stored."""
    bestand = tmp_path / "antwoorden.yaml"
    bestand.write_text(ANTWOORDEN, encoding="utf-8")
    args = tuple(bytes(bestand) if a == b"ANTWOORDEN" else a for a in args)
    code, fout = meldcode(tmp_path, *args, env=env)
    assert 2 == code, fout
    assert f"{waar} bevat tekens die geen geldige UTF-8 zijn" in fout
    assert "Traceback" not in fout
    assert [] == open_store(home=tmp_path).casussen()


@pytest.mark.parametrize("modus", ["pijltjes", "eenvoudig"])
def test_a_latin1_byte_typed_at_a_prompt_is_asked_again(tmp_path: Path, modus: str) -> None:
    """'co\\xebrdinator' from a Latin-1 terminal: a Dutch message, the question again; what
    is typed then is stored."""
    args = ["--eenvoudig"] if modus == "eenvoudig" else []
    term = Terminal(tmp_path, "start", "--sector", "basis", *args)
    term.wait_for("acuut gevaar voor")
    term.settle()
    term.send(ENTER if modus == "pijltjes" else "2\r")
    term.wait_for("signalen ziet")
    term.settle()
    term.send(" " + ENTER if modus == "pijltjes" else "1\r")
    term.wait_for("Beschrijf de feiten")
    term.settle()
    einde = "\x1b\r" if modus == "pijltjes" else "\r\r"
    term.child.send(b"co\xebrdinator")
    term.send(einde)
    term.wait_for("geen geldige UTF-8")
    term.settle()
    term.send("coordinator" + einde)
    term.wait_for("minderjarige")
    term.interrupt()
    assert 130 == term.finish()
    store = open_store(home=tmp_path)
    (casus,) = store.casussen()
    beschrijving = [
        e.antwoord for e in store.events(casus.id) if e.vraag == "signalen-beschrijving"
    ]
    assert ["coordinator"] == beschrijving


@pytest.mark.parametrize("wacht", [0.0, 0.02, 0.05, 0.1, 0.2])
def test_ctrl_c_while_python_starts_shows_no_traceback(tmp_path: Path, wacht: float) -> None:
    """SIGINT during meldcode's start-up: no English KeyboardInterrupt traceback, whenever it
    lands while meldcode loads. The clock starts when the command line's imports are under way
    (`-X importtime` reports `click`, which meldcode.cli's guarded imports load): a signal
    before meldcode's first line hits Python's own start-up ("Fatal Python error", "Could not
    import runpy module"), which no program can catch, and made this test fail at random on a
    busy machine."""
    proc = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "meldcode", "sectoren"],
        env={**os.environ, "MELDCODE_HOME": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for regel in proc.stderr:
        if regel.rstrip().endswith("| click"):
            break
    time.sleep(wacht)
    proc.send_signal(signal.SIGINT)
    _, fout = proc.communicate(timeout=20)
    assert "Traceback" not in fout
    assert "KeyboardInterrupt" not in fout
    assert proc.returncode in (0, 130, -signal.SIGINT), fout
