"""The in-process runner (tests/inprocess.py) behaves as a process would where tests rely on it:
separate streams, the caller's environment and streams given back, a crash that fails the test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from inprocess import run_meldcode
from meldcode.commands.app import app
from meldcode.commands.boundary import INTERNAL_ERROR


def test_streams_stay_apart_and_the_environment_comes_back(tmp_path: Path) -> None:
    """An error goes to stderr only; the variables it set are gone and sys.stdout is pytest's
    again afterwards."""
    stdout = sys.stdout
    result = run_meldcode(
        ["toon", "mc-aaaa-aaaa"], env={"MELDCODE_HOME": str(tmp_path), "MELDCODE_PROEF": "1"}
    )
    assert (2, "", True) == (result.returncode, result.stdout, "bestaat niet" in result.stderr)
    assert "MELDCODE_PROEF" not in os.environ
    assert sys.stdout is stdout


def _lijst() -> object:
    return next(i for i in app.registered_commands if i.callback and i.callback.__name__ == "lijst")


def test_a_command_that_raises_fails_the_test_or_is_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command swapped for one that raises (typer's command is built anew for it): with
    MELDCODE_DEBUG the exception reaches the test; without, exit 1 with the short message."""

    def ontploft() -> None:
        raise RuntimeError("onverwacht")

    debug = os.environ.get("MELDCODE_DEBUG")
    assert 0 == run_meldcode(["lijst"], env={"MELDCODE_HOME": str(tmp_path)}).returncode
    monkeypatch.setattr(_lijst(), "callback", ontploft)
    with pytest.raises(RuntimeError, match="onverwacht"):
        run_meldcode(["lijst"], env={"MELDCODE_HOME": str(tmp_path), "MELDCODE_DEBUG": "1"})
    result = run_meldcode(["lijst"], env={"MELDCODE_HOME": str(tmp_path), "MELDCODE_DEBUG": None})
    assert (1, "", True) == (result.returncode, result.stdout, INTERNAL_ERROR in result.stderr)
    assert debug == os.environ.get("MELDCODE_DEBUG")
