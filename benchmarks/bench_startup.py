"""Start-up of `meldcode --help` against a bare typer app and `python -c pass` (design.md §7).

Run: `.venv/bin/python benchmarks/bench_startup.py [--rondes 30]`. The variants are timed
interleaved in one run (each round runs every variant once, in a rotating order), so a busy
machine slows them alike. Budget: the console script `meldcode --help` takes at most 1.25× the
median of `benchmarks/bare_app.py --help`. Exit status 1 when over budget.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BUDGET = 1.25
HERE = Path(__file__).resolve().parent
PY = sys.executable
MELDCODE = str(Path(PY).parent / "meldcode")
# Libraries `meldcode --help` must not import (rich is typer's own help renderer: allowed).
HEAVY = ("pydantic", "questionary", "prompt_toolkit", "sqlite3", "yaml", "rich")

BARE = "kale typer-app --help"
MAIN = "meldcode --help"
VARIANTS: dict[str, list[str]] = {
    "python -c pass": [PY, "-c", "pass"],
    BARE: [PY, str(HERE / "bare_app.py"), "--help"],
    MAIN: [MELDCODE, "--help"],
    "python -m meldcode --help": [PY, "-m", "meldcode", "--help"],
}


def run_once(cmd: list[str]) -> float:
    """Wall time of one run of `cmd` in ms; it must succeed."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def p90(values: list[float]) -> float:
    """The 90th percentile."""
    return statistics.quantiles(values, n=10)[-1]


def interleaved(rounds: int) -> dict[str, list[float]]:
    """Time every variant once per round, rotating the order so none always goes first."""
    names = list(VARIANTS)
    for name in names:  # warm the page cache and the .pyc files
        run_once(VARIANTS[name])
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            times[name].append(run_once(VARIANTS[name]))
    return times


def imported(cmd: list[str]) -> dict[str, int]:
    """Every module `cmd` imports, with its own import time in µs (`python -X importtime`)."""
    proc = subprocess.run(
        [PY, "-X", "importtime", *cmd], check=True, capture_output=True, text=True
    )
    modules: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self [us]" not in line:
            own, _, name = line.removeprefix("import time:").split("|")
            modules[name.strip()] = int(own)
    return modules


def report_imports() -> None:
    """Which heavy libraries `meldcode --help` imports, and what it imports beyond the bare app."""
    main = imported(["-m", "meldcode", "--help"])
    bare = imported([str(HERE / "bare_app.py"), "--help"])
    print("\nZware bibliotheken in `python -X importtime -m meldcode --help`:")
    for lib in HEAVY:
        mods = [m for m in main if m == lib or m.startswith(lib + ".")]
        tijd = sum(main[m] for m in mods) / 1000
        print(f"  {lib:15} " + (f"{len(mods):3} modules, {tijd:5.1f} ms" if mods else "niet"))
    extra = sorted(set(main) - set(bare), key=lambda m: -main[m])
    totaal = sum(main[m] for m in extra) / 1000
    print(f"Meer dan de kale app: {len(extra)} modules, {totaal:.1f} ms eigen importtijd:")
    for m in extra[:12]:
        print(f"  {main[m] / 1000:6.2f} ms  {m}")


def main() -> int:
    """Time, print a table, and return 1 when over budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rondes", type=int, default=30, help="rondes per variant")
    args = parser.parse_args()
    times = interleaved(args.rondes)
    leeg = statistics.median(times["python -c pass"])
    kaal = statistics.median(times[BARE])
    print(f"{args.rondes} rondes, verweven; mediaan en p90 in ms")
    print(f"{'variant':28} {'mediaan':>8} {'p90':>8} {'× kaal':>7} {'× pass':>7}")
    for name, values in times.items():
        med = statistics.median(values)
        row = f"{name:28} {med:8.1f} {p90(values):8.1f} {med / kaal:7.2f} {med / leeg:7.2f}"
        print(row)
    ratio = statistics.median(times[MAIN]) / kaal
    oordeel = "binnen" if ratio <= BUDGET else "BOVEN"
    print(f"\n{MAIN}: {ratio:.2f}× de kale app; budget ≤ {BUDGET}×: {oordeel} budget")
    report_imports()
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
