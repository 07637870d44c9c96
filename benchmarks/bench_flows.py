"""Loading and validating the shipped flows, and replaying complete cases (design.md §7).

Run: `.venv/bin/python benchmarks/bench_flows.py [--seconden 2]`. Budgets: `validate_dir` over
every shipped flow under 50 ms (a fresh process's first call, the one `meldcode valideer`
pays); the engine replays over 5,000 complete basis cases per second. Exit status 1 when over
budget.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping

from meldcode import engine, loading
from meldcode.checks.validate import validate_dir
from meldcode.model import (
    AnyVraag,
    DatumVraag,
    Flow,
    JaNeeVraag,
    KeuzeVraag,
    MeerkeuzeVraag,
    State,
    Uitkomst,
    Wacht,
)

VALIDATE_BUDGET_MS = 50.0
REPLAY_BUDGET = 5000.0

# A basis case up to afweging-1; each case below changes or adds answers. Questions no
# condition reads (texts, mostly) get a filler answer from `complete`.
BASIS: dict[str, object] = {
    "acuut-gevaar": "nee",
    "signalen": ["psychisch-geweld", "getuige-huiselijk-geweld"],
    "signalen-beschrijving": "Kind vertelt op 3/11 over ruzies thuis (fictief).",
    "kindcheck": "nee",
    "veilig-thuis-geraadpleegd": "nee",
    "gesprek-gevoerd": "ja",
    "afweging-1": "ja",
}
HULP = {"afweging-2": "nee", "afweging-3": "ja"}
EVALUATIE = {"afweging-4": "ja", "evaluatiedatum": "2027-03-15", "hulp-afspraken": "Gezinscoach."}
# name → (answers, expected (uitkomst.id, uitkomst.reden)): every basis outcome at least once.
Verwacht = tuple[str, str | None]
CASES: dict[str, tuple[dict[str, object], Verwacht]] = {
    "acuut-gevaar": ({"acuut-gevaar": True}, ("melden", "acuut-gevaar")),
    "geen-vermoeden": ({**BASIS, "afweging-1": "nee"}, ("afsluiten", "geen-vermoeden")),
    "onveilig": ({**BASIS, "afweging-2": "ja"}, ("melden", "acute-of-structurele-onveiligheid")),
    "onveilig-samen-met-vt": (
        {**BASIS, **HULP, **EVALUATIE, "afweging-2": "ja", "afweging-5": "ja"},
        ("melden", "acute-of-structurele-onveiligheid"),
    ),
    "geen-effectieve-hulp": (
        {**BASIS, **HULP, "afweging-3": "nee"},
        ("melden", "geen-effectieve-hulp"),
    ),
    "hulp-niet-aanvaard": (
        {**BASIS, **HULP, "afweging-4": False},
        ("melden", "hulp-niet-aanvaard"),
    ),
    "hulp-bieden": ({**BASIS, **HULP, **EVALUATIE}, ("hulp-bieden", None)),
    "resultaat-bereikt": (
        {**BASIS, **HULP, **EVALUATIE, "afweging-5": "ja"},
        ("hulp-afsluiten", "resultaat-bereikt"),
    ),
    "onvoldoende-resultaat": (
        {**BASIS, **HULP, **EVALUATIE, "afweging-5": "nee"},
        ("melden", "onvoldoende-resultaat"),
    ),
    "zonder-gesprek-met-kinderen": (
        {
            **BASIS,
            **HULP,
            "signalen": ["huwelijksdwang", "partnergeweld"],
            "kindcheck": "ja",
            "kindcheck-kinderen": "Twee kinderen, 4 en 9 jaar.",
            "veilig-thuis-geraadpleegd": "ja",
            "veilig-thuis-advies": "Anoniem, 5/11: eerst zelf hulp bieden.",
            "gesprek-gevoerd": "nee",
            "gesprek-overgeslagen-reden": "veiligheid",
            "gesprek-overgeslagen-gronden": None,
            "gesprek-verslag": "niet op het pad: replay laat dit liggen",
            "afweging-3": "nee",
        },
        ("melden", "geen-effectieve-hulp"),
    ),
}


def timed(fn: Callable[[], object]) -> float:
    """Wall time of one call of `fn` in ms."""
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def load_all() -> None:
    """Parse every file and assemble every sector's flow (no whole-flow checks)."""
    fs = loading.load_flowset(loading.flows_dir())
    for sector in fs.sector_ids():
        loading.assemble(fs, sector)


def validate_fresh() -> None:
    """`validate_dir` with nothing cached, as a new process sees it."""
    loading._cached_flowset.cache_clear()  # the loader's per-process cache
    validate_dir(loading.flows_dir())


def cold_ms(processes: int) -> list[float]:
    """The first `validate_dir` call of `processes` fresh interpreters, in ms."""
    code = (
        "import time; from meldcode.loading import flows_dir; "
        "from meldcode.checks.validate import validate_dir; t = time.perf_counter(); "
        "validate_dir(flows_dir()); print((time.perf_counter() - t) * 1000)"
    )
    times = []
    for _ in range(processes):
        proc = subprocess.run(
            [sys.executable, "-c", code], check=False, capture_output=True, text=True
        )
        if proc.returncode != 0:
            sys.exit(f"validate_dir faalt in een nieuw proces:\n{proc.stderr}")
        times.append(float(proc.stdout))
    return times


def bench_flows(repeat: int) -> bool:
    """Print load and validate times; whether validation is within budget."""
    cold = cold_ms(5)
    warm = [timed(validate_fresh) for _ in range(repeat)]
    load = [timed(load_all) for _ in range(repeat)]
    sectoren = len(loading.load_flowset(loading.flows_dir()).sector_ids())
    print(f"Flows: {sectoren} sectoren in {loading.flows_dir()}; mediaan (min) in ms")
    print(
        f"  valideren, eerste aanroep in een nieuw proces: {statistics.median(cold):6.1f} "
        f"({min(cold):.1f})"
    )
    print(
        f"  valideren, herhaald (cache leeg):              {statistics.median(warm):6.1f} "
        f"({min(warm):.1f})"
    )
    print(
        f"  alleen laden (load_flowset + assemble):        {statistics.median(load):6.1f} "
        f"({min(load):.1f})"
    )
    ok = statistics.median(cold) < VALIDATE_BUDGET_MS
    print(f"  budget < {VALIDATE_BUDGET_MS:.0f} ms: {'binnen' if ok else 'BOVEN'} budget")
    return ok


def complete(flow: Flow, antwoorden: Mapping[str, object]) -> dict[str, object]:
    """`antwoorden` plus a filler answer to every question that no condition reads."""
    voorwaarden = [v.als for v in flow.vragen] + [r.als for r in flow.uitkomsten]
    voorwaarden += [m.als for m in flow.mededelingen]
    gelezen: set[str] = set()
    for als in voorwaarden:
        gelezen |= als.vraag_ids() if als is not None else set()
    vul: dict[str, object] = {}
    for v in flow.vragen:
        if v.id in gelezen or v.id in antwoorden:
            continue
        if isinstance(v, KeuzeVraag | MeerkeuzeVraag):
            vul[v.id] = v.standaard or v.opties[0].id
        elif isinstance(v, JaNeeVraag):
            vul[v.id] = v.vereist or v.standaard or "nee"
        elif isinstance(v, DatumVraag):
            vul[v.id] = "2027-03-15"
        else:
            vul[v.id] = "Fictieve toelichting." if v.verplicht else None
    return {**vul, **antwoorden}


def replay_case(flow: Flow, antwoorden: Mapping[str, object]) -> AnyVraag | Uitkomst | Wacht:
    """Replay one complete case from its answers; its outcome (or why it waits)."""
    return engine.what_next(flow, engine.replay(flow, State(sector="basis"), antwoorden))


def check_cases(flow: Flow, cases: Mapping[str, tuple[dict[str, object], Verwacht]]) -> None:
    """Each case ends in its expected outcome, or the benchmark measures the wrong thing."""
    for name, (antwoorden, verwacht) in cases.items():
        uit = replay_case(flow, antwoorden)
        if isinstance(uit, Uitkomst):
            if (uit.id, uit.reden) == verwacht:
                continue
            waar = f"uitkomst {uit.id}/{uit.reden}"
        else:
            waar = f"wacht bij {uit.vraag_id}" if isinstance(uit, Wacht) else f"vraag {uit.id}"
        sys.exit(f"casus {name}: verwacht {verwacht}, maar eindigt bij {waar}")


def bench_replay(seconds: float) -> bool:
    """Replay the cases round-robin for `seconds`; whether cases/s is within budget."""
    flow = loading.load_flow("basis")
    cases = {name: (complete(flow, a), verwacht) for name, (a, verwacht) in CASES.items()}
    check_cases(flow, cases)
    alle = [antwoorden for antwoorden, _ in cases.values()]
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for antwoorden in alle:
            replay_case(flow, antwoorden)
        count += len(alle)
    rate = count / elapsed
    ok = rate > REPLAY_BUDGET
    print(
        f"\nEngine: {len(cases)} complete basiscasussen (elke uitkomst), {count} keer "
        f"herspeeld in {elapsed:.1f} s"
    )
    print(
        f"  {rate:,.0f} casussen/s ({1e6 / rate:.0f} µs per casus); budget > "
        f"{REPLAY_BUDGET:,.0f}/s: {'binnen' if ok else 'BOVEN'} budget"
    )
    return ok


def main() -> int:
    """Run both benchmarks; 1 when either is over budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconden", type=float, default=2.0, help="duur van de replay-meting")
    parser.add_argument("--herhalingen", type=int, default=20, help="herhalingen per laadmeting")
    args = parser.parse_args()
    ok_flows = bench_flows(args.herhalingen)
    ok_replay = bench_replay(args.seconden)
    return 0 if ok_flows and ok_replay else 1


if __name__ == "__main__":
    sys.exit(main())
