"""Retention, lists and figures at scale: many cases, a low open-file limit."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from meldcode.store import Store

OUD = "2001-02-03T10:00:00+01:00"


def old_cases(home: Path, n: int) -> None:
    """`n` empty cases last changed in 2001, made the way meldcode makes them."""
    store = Store(home / "meldcode.db", clock=lambda: OUD)
    for _ in range(n):
        store.create(sector="basis", flow_versie="v", flow_hash="sha256:x")
    store.close()


def run_limited(home: Path, nofile: int, *args: str) -> subprocess.CompletedProcess[str]:
    """`meldcode ARGS` in a fresh interpreter whose open-file limit is `nofile`."""
    code = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_NOFILE, ({nofile}, {nofile}))
        from meldcode.cli import app
        sys.argv = ["meldcode", *{list(args)!r}]
        app()
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"MELDCODE_HOME": str(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_opschonen_deletes_more_cases_than_the_open_file_limit(tmp_path: Path) -> None:
    """1,251 expired cases under `ulimit -n 256`: all deleted, the message says so, no stray
    lock files, and the store verifies."""
    old_cases(tmp_path, 1251)
    result = run_limited(tmp_path, 256, "opschonen", "--ouder-dan", "1j", "--uitvoeren")
    assert 0 == result.returncode, result.stderr
    assert "1251 casus(sen) laatst gewijzigd vóór" in result.stderr
    assert "Traceback" not in result.stderr
    store = Store(tmp_path / "meldcode.db")
    assert [] == store.casussen()
    store.close()
    assert [] == list((tmp_path / "locks").glob("*.lock"))
    assert 0 == run_limited(tmp_path, 256, "verifieer").returncode
