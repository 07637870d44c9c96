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
