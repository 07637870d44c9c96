"""Recording an answer, and `meldcode start` to the first question on screen (design.md §7).

Run: `.venv/bin/python benchmarks/bench_session.py [--antwoorden 500] [--starts 10]`.
Budgets: `Recorder.antwoord` (one committed transaction, synchronous FULL, on the local disk)
p99 < 10 ms; from spawning `meldcode start --sector basis` in a pseudo-terminal to the text of
the first question on screen: median < 400 ms. Exit status 1 when over budget.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

from meldcode.flows import load_flow
from meldcode.model import Antwoord, State
from meldcode.store import CaseStore
from meldcode.store.sqlite import Store
from meldcode.walk.recorder import Recorder

BUDGET_ANTWOORD_P99_MS = 10.0
BUDGET_START_MS = 400.0
MELDCODE = str(Path(sys.executable).parent / "meldcode")


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile (1..99)."""
    return statistics.quantiles(values, n=100)[p - 1]


def time_answers(n: int, folder: Path) -> list[float]:
    """Milliseconds per `Recorder.antwoord` for `n` answers in the embedded store."""
    return time_answers_in(Store(folder / "meldcode.db"), n)


def time_answers_in(store: CaseStore, n: int) -> list[float]:
    """Milliseconds per `Recorder.antwoord` for `n` answers, spread over cases of 10 answers;
    the store is closed afterwards (bench_postgres.py times the register with it too)."""
    flow = load_flow("basis")
    vraag = flow.vraag("signalen-beschrijving")
    times: list[float] = []
    recorder = Recorder.start(store, flow)
    state = State(sector="basis")
    for i in range(n):
        if i % 10 == 0:  # a fresh case now and then, so the chain stays case-sized
            recorder.close()
            recorder = Recorder.start(store, flow)
        antwoord = Antwoord(vraag_id=vraag.id, waarde=f"Feit {i}: fictieve beschrijving.")
        start = time.perf_counter()
        recorder.antwoord(vraag, antwoord, state)
        times.append((time.perf_counter() - start) * 1000)
    recorder.close()
    store.close()
    return times


def cpu_ms(pid: int) -> float | None:
    """CPU time (user and system) process `pid` has used so far, in ms; None without Linux's
    /proc/PID/schedstat. Unlike wall time, others' load on a shared machine hardly moves it."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e6
    except (OSError, ValueError, IndexError):
        return None


def time_start(runs: int, folder: Path, command: list[str]) -> tuple[list[float], list[float]]:
    """Milliseconds from spawn to the first question's text, in a 40x120 pseudo-terminal, and
    the CPU milliseconds the process used up to then (empty where /proc cannot tell)."""
    env = {
        **os.environ,
        "MELDCODE_HOME": str(folder),
        "TERM": "xterm",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    times: list[float] = []
    cpu: list[float] = []
    for _ in range(runs + 1):  # the first run warms the page cache and .pyc files
        start = time.perf_counter()
        child = pexpect.spawn(
            command[0], command[1:], env=env, encoding="utf-8", dimensions=(40, 120), timeout=20
        )
        child.expect("acuut gevaar voor")
        times.append((time.perf_counter() - start) * 1000)
        if child.pid is not None and (ms := cpu_ms(child.pid)) is not None:
            cpu.append(ms)
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
        child.close()
    return times[1:], cpu[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--antwoorden", type=int, default=500)
    parser.add_argument("--starts", type=int, default=10)
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(dir=Path.home()) as tmp:
        answers = time_answers(args.antwoorden, Path(tmp))
        p50, p99 = percentile(answers, 50), percentile(answers, 99)
        print(
            f"antwoord vastleggen: p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(answers):.2f} ms "
            f"over {len(answers)} (budget p99 < {BUDGET_ANTWOORD_P99_MS:.0f} ms)"
        )
        ok &= p99 < BUDGET_ANTWOORD_P99_MS
        for naam, cmd in (
            ("meldcode start", [MELDCODE, "start", "--sector", "basis"]),
            (
                "python -m meldcode start",
                [sys.executable, "-m", "meldcode", "start", "--sector", "basis"],
            ),
        ):
            starts, cpu = time_start(args.starts, Path(tmp), cmd)
            med = statistics.median(starts)
            print(
                f"{naam} tot de eerste vraag: mediaan {med:.0f} ms, min {min(starts):.0f}, "
                f"max {max(starts):.0f} over {len(starts)} (budget < {BUDGET_START_MS:.0f} ms)"
                + (f"; CPU mediaan {statistics.median(cpu):.0f} ms" if cpu else "")
            )
            if naam == "meldcode start":
                ok &= med < BUDGET_START_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
