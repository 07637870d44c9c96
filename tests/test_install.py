"""The wheel as a user installs it: in its own venv, with only the dependencies it declares.

The venv gets the wheel and what its metadata asks for from the package index, never this
interpreter's site-packages, so a dependency that `src/` imports but `pyproject.toml` does not
declare makes these tests fail. One venv serves the whole session (building it takes seconds).
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from casussen import MELDEN as CASUS

REPO = Path(__file__).resolve().parents[1]
# The venv must see only itself: no PYTHONPATH (the mutation runner sets one) leaks into it.
ALLEEN_DE_VENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}



@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout (built with the dev extras' hatchling, so offline)."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(REPO)], check=True, capture_output=True)
    return next(dist.glob("meldcode-*.whl"))


@pytest.fixture(scope="session")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A fresh venv holding the wheel and only the dependencies it declares."""
    venv = tmp_path_factory.mktemp("venv")
    # This pip installs into the venv (`--python`): the venv's own copy of pip (ensurepip) cost
    # 2 of the 6 s CPU, and pip itself is no dependency of meldcode.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                              "install", "-q", str(wheel)], capture_output=True, text=True,
                             check=False, env=ALLEEN_DE_VENV)
    assert install.returncode == 0, install.stderr
    return venv


def test_wheel_ships_the_flows(wheel: Path) -> None:
    """The wheel holds the steps and the afwegingskader, so `meldcode` works from any folder."""
    names = zipfile.ZipFile(wheel).namelist()
    assert "meldcode/stappen/stap-1.yaml" in names
    assert "meldcode/afwegingskader/basis.yaml" in names


def test_the_venv_has_no_dev_packages(venv: Path) -> None:
    """The install venv sees none of the dev extras, so it tests the declared dependencies."""
    result = subprocess.run([str(venv / "bin" / "python"), "-c", "import pytest"],
                            capture_output=True, text=True, check=False, env=ALLEEN_DE_VENV)
    assert result.returncode != 0
    assert "No module named 'pytest'" in result.stderr


def test_installed_valideer_uses_the_flows_in_the_wheel(venv: Path, tmp_path: Path) -> None:
    """`meldcode valideer` in the install venv, run elsewhere, checks the flows it installed."""
    result = subprocess.run([str(venv / "bin" / "meldcode"), "valideer"], cwd=tmp_path,
                            capture_output=True, text=True, check=False, env=ALLEEN_DE_VENV)
    assert result.returncode == 0, result.stderr
    assert "In orde" in result.stdout
    assert str(venv) in result.stdout


def test_installed_meldcode_runs_a_scripted_case(venv: Path, tmp_path: Path) -> None:
    """A scripted case with the installed `meldcode` ends in melden, meldnorm 1, and is stored."""
    home = tmp_path / "home"
    result = subprocess.run(
        [str(venv / "bin" / "meldcode"), "start", "--antwoorden", "-", "--standaard", "--json"],
        input=CASUS, cwd=tmp_path, capture_output=True, text=True, check=False,
        env={"MELDCODE_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    uitkomst = json.loads(result.stdout)["uitkomst"]
    assert ("melden", "acute-of-structurele-onveiligheid", 1) == (
        uitkomst["id"], uitkomst["reden"], uitkomst["meldnorm"])
    assert list(home.iterdir())


def _imported_distributions() -> set[str]:
    """The distributions whose top-level packages `src/meldcode` imports (stdlib left out)."""
    tops: set[str] = set()
    for path in (REPO / "src" / "meldcode").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                tops.add(node.module.split(".")[0])
    tops -= {*sys.stdlib_module_names, "meldcode"}
    owners = importlib.metadata.packages_distributions()
    return {re.sub(r"[-_.]+", "-", d).lower() for top in tops for d in owners[top]}


def test_every_imported_library_is_a_declared_dependency(wheel: Path) -> None:
    """Each third-party library that `src/` imports is in the wheel's Requires-Dist: a
    dependency, or an optional extra a user installs for a feature (psycopg for the shared
    register, `meldcode[postgresql]`), never only a development tool."""
    with zipfile.ZipFile(wheel) as z:
        metadata = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        lines = z.read(metadata).decode("utf-8").splitlines()
    declared = {
        re.sub(r"[-_.]+", "-", re.split(r"[ <>=!~;\[(]", line.removeprefix("Requires-Dist: "))[0])
        .lower()
        for line in lines
        if line.startswith("Requires-Dist: ") and 'extra == "dev"' not in line
    }
    imported = _imported_distributions()
    assert {"typer", "pydantic", "prompt-toolkit"} <= imported
    assert set() == imported - declared
