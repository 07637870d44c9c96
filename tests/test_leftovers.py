"""What stays behind and what meldcode says about it (issue 17 items 9 and 11)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from test_export import new_case
from test_scripted import meldcode


def test_a_stale_export_temp_file_is_removed_and_reported(tmp_path: Path) -> None:
    """A `.NAME.xxxxxxxx.tmp` an interrupted export left (with the full dossier) goes on the
    next export to that name, and stderr says so; a foreign file of another name stays."""
    casus_id = new_case(tmp_path)
    doel = tmp_path / "dossier.md"
    oud = tmp_path / ".dossier.md.ab12_x9z.tmp"
    ander = tmp_path / ".ander.md.ab12_x9z.tmp"
    for pad in (oud, ander):
        pad.write_text("dossierinhoud", encoding="utf-8")
        os.utime(pad, (time.time() - 3600, time.time() - 3600))
    result = meldcode(tmp_path, "exporteer", casus_id, "-f", "markdown", "-o", str(doel))
    assert 0 == result.exit_code, result.stderr
    assert (False, True) == (oud.exists(), ander.exists())
    assert str(oud) in result.stderr
    assert "onderbroken export" in result.stderr


def test_an_export_never_shows_an_empty_target(tmp_path: Path) -> None:
    """While an export runs, the target is absent or complete: never an empty file that a
    kill would leave (it was claimed empty first, then filled by a rename)."""
    casus_id = new_case(tmp_path)
    env = {**os.environ, "MELDCODE_HOME": str(tmp_path)}
    leeg = 0
    for ronde in range(6):
        doel = tmp_path / f"dossier-{ronde}.html"
        proc = subprocess.Popen(
            [sys.executable, "-m", "meldcode", "exporteer", casus_id, "-f", "html", "-o",
             str(doel)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        while proc.poll() is None:
            with contextlib.suppress(FileNotFoundError):
                leeg += doel.stat().st_size == 0
            # A look every 0.2 ms, not a busy loop: the claimed empty file stood there for the
            # whole export (milliseconds), and a busy loop took a core from the export itself.
            time.sleep(0.0002)
        assert 0 == proc.returncode
        assert doel.stat().st_size > 0
    assert 0 == leeg


def test_overschrijf_never_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    """`--uitvoer LINK --overschrijf`: refused (exit 2); the linked file keeps its content and
    its mode."""
    casus_id = new_case(tmp_path)
    echt = tmp_path / "echt.txt"
    echt.write_text("van iemand anders\n", encoding="utf-8")
    echt.chmod(0o644)
    link = tmp_path / "link.md"
    link.symlink_to(echt)
    result = meldcode(tmp_path, "exporteer", casus_id, "-o", str(link), "--overschrijf")
    assert 2 == result.exit_code
    assert "symbolische koppeling" in " ".join(result.stderr.split())
    assert ("van iemand anders\n", 0o644) == (
        echt.read_text(encoding="utf-8"),
        stat.S_IMODE(echt.stat().st_mode),
    )
    assert link.is_symlink()


def test_verwijder_says_what_is_true_while_another_reader_holds_a_snapshot(
    tmp_path: Path,
) -> None:
    """With a read transaction open elsewhere, verwijder does not claim the data has left the
    file: it names the other reader and exits 0."""
    casus_id = new_case(tmp_path)
    lezer = sqlite3.connect(tmp_path / "meldcode.db", isolation_level=None)
    try:
        lezer.execute("BEGIN")
        lezer.execute("SELECT count(*) FROM events").fetchone()
        result = meldcode(tmp_path, "verwijder", casus_id, "--ja")
    finally:
        lezer.close()
    tekst = " ".join((result.stdout + result.stderr).split())
    assert 0 == result.exit_code, tekst
    assert "er ook niet meer in staan" not in tekst
    assert "leest de opslag nog" in tekst


def test_an_unknown_id_is_not_echoed_with_its_escape_sequences(tmp_path: Path) -> None:
    """An id with ESC [2J (clear screen) is shown as text, never sent to the terminal."""
    for opdracht in ("toon", "exporteer", "verwijder"):
        extra = ["--ja"] if opdracht == "verwijder" else []
        result = meldcode(tmp_path, opdracht, "mc-\x1b[2J\u202e-x", *extra)
        assert 2 == result.exit_code
        assert "\x1b" not in result.stderr
        assert "\u202e" not in result.stderr
        assert "mc-\\x1b[2J\\u202e-x" in result.stderr


def test_a_failed_start_on_a_damaged_store_leaves_no_lock_file(tmp_path: Path) -> None:
    """The case row cannot be written (a damaged casussen page): exit 3, and no lock file of
    the case that was never made stays in locks/."""
    from test_scripted import SCENARIOS, scenario, start
    from test_store_robust import PAGE, _pages, _store_with_one_real_case

    home = tmp_path / "home"
    _store_with_one_real_case(home)
    voor = sorted(p.name for p in (home / "locks").iterdir())
    db = home / "meldcode.db"
    page = _pages(db)["casussen"][0]
    data = bytearray(db.read_bytes())
    data[(page - 1) * PAGE : page * PAGE] = b"\xa5" * PAGE
    db.write_bytes(bytes(data))
    bestand, _ = scenario(SCENARIOS / "melden-acuut-gevaar.yaml", tmp_path)
    result = start(home, bestand, "--standaard")
    assert 3 == result.exit_code, result.stderr
    assert voor == sorted(p.name for p in (home / "locks").iterdir())


@pytest.mark.parametrize("datum", ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01"])
def test_an_evaluation_date_far_off_is_refused(datum: str, tmp_path: Path) -> None:
    """An evaluatiedatum outside 2000-2099 is an input error (exit 2), in Dutch, not stored."""
    from test_scripted import SCENARIOS, start

    data = yaml.safe_load((SCENARIOS / "hulp-bieden-wacht-op-evaluatie.yaml").read_text("utf-8"))
    del data["verwacht"]
    data["antwoorden"]["evaluatiedatum"] = datum
    bestand = tmp_path / "a.yaml"
    bestand.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = start(tmp_path / "home", bestand, "--standaard")
    assert 2 == result.exit_code
    assert "tussen 2000-01-01 en 2099-12-31" in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
