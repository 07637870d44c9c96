"""`.ci/run` sets MELDCODE_CI=1, and then a skipped test fails the run (tests/conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SKIPPING = '''
import pytest

@pytest.mark.skipif(True, reason="needs a tool")
def test_needs_a_tool():
    pass
'''


@pytest.mark.parametrize(("ci", "code"), [("1", 1), ("", 0)])
def test_a_skip_fails_only_under_ci(tmp_path: Path, ci: str, code: int) -> None:
    """With MELDCODE_CI=1 a skipped test fails and is named; without it, it is a plain skip."""
    # conftest.py imports pgserver's fixtures and inprocess (typer's command built once)
    for helper in ("conftest.py", "pgserver.py", "inprocess.py"):
        shutil.copy(Path(__file__).with_name(helper), tmp_path / helper)
    (tmp_path / "test_skip.py").write_text(SKIPPING, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, check=False,
        env={**os.environ, "MELDCODE_CI": ci},
    )
    assert code == result.returncode, result.stdout
    assert ("test_needs_a_tool was skipped (Skipped: needs a tool)" in result.stdout) == bool(ci)


def test_ci_run_sets_meldcode_ci_for_the_test_command() -> None:
    """`.ci/run` runs the README's test command with MELDCODE_CI=1."""
    run = (Path(__file__).parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "MELDCODE_CI=1 .venv/bin/python -m pytest -q" in run
