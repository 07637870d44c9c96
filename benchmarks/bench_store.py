"""lijst, statistiek and verifieer on a generated store of 100,000 cases; a scripted run end to end.

Half of the cases are copies of one real case (walked by `meldcode start`), so `verifieer`
replays them on the current flow and compares each row; the others are synthetic.

Run: `.venv/bin/python benchmarks/bench_store.py [--casussen 100000] [--rondes 7]`. The store is
generated once (valid hash chains, realistic statuses and outcomes) in a temporary folder.
Budgets (design.md §7, issue 5): `lijst` and `statistiek` (counts under 5 suppressed, the
default) < 300 ms as a whole command, `lijst --aantal 0 --json` < 3 s and < 100 MB (issue 17),
`verifieer` > 20,000 events per second, a scripted run < 500 ms per case including start-up.
Exit status 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from meldcode.store.integrity import verify
from meldcode.store.log import GENESIS, chain, kop_hash, register_hash
from meldcode.store.records import Casus, Event
from meldcode.store.sqlite import Store
from meldcode.store.stats import statistiek

HERE = Path(__file__).resolve().parent
MELDCODE = str(Path(sys.executable).parent / "meldcode")
SCENARIO = HERE.parent / "tests" / "scenarios" / "melden-hulp-niet-aanvaard.yaml"
SECTOREN = ("basis", "artsen", "kinderopvang", "onderwijs", "jeugdhulp", "zorg", "wmo")
UITKOMSTEN = (
    ("afgerond", "melden", "acute-of-structurele-onveiligheid", 1),
    ("afgerond", "melden", "geen-effectieve-hulp", 2),
    ("afgerond", "afsluiten", "geen-vermoeden", None),
    ("wacht-op-evaluatie", "hulp-bieden", None, None),
    ("afgerond", "hulp-afsluiten", "resultaat-bereikt", None),
    ("open", None, None, None),
)
VRAGEN = ("acuut-gevaar", "signalen", "afweging-1", "afweging-2")


def template(home: Path) -> tuple[Casus, list[Event]]:
    """A real case, walked by `meldcode start` from the scenario: its row and events."""
    data = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    del data["verwacht"]
    antwoorden = home / "antwoorden.yaml"
    antwoorden.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "MELDCODE_HOME": str(home)}
    uit = subprocess.run(
        [MELDCODE, "start", "--antwoorden", str(antwoorden), "--standaard", "--json"],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    casus_id = json.loads(uit.stdout)["casus"]["id"]
    store = Store(home / "meldcode.db")
    casus, events = store.get(casus_id), store.events(casus_id)
    store.close()
    return casus, events


def generate(path: Path, n: int, echt: tuple[Casus, list[Event]] | None = None) -> int:
    """A store with `n` cases, registered; the number of events. Every other case is a copy of
    the real case `echt` (so verifieer replays it on the current flow), the others have 4-5
    synthetic events of another flow version."""
    store = Store(path)
    rnd = random.Random(4711)  # noqa: S311 - repeatable test data, not secrets
    casussen, events, register = [], [], []
    vorige_regel = GENESIS
    for i in range(n):
        casus_id = f"mc-{i:08d}"[:3] + f"{i:08d}"[:4] + "-" + f"{i:08d}"[4:]
        dag = f"20{20 + i % 7}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        tijd = f"{dag}T10:00:00+01:00"
        status, uitkomst, reden, norm = rnd.choice(UITKOMSTEN)
        sector, label = SECTOREN[i % len(SECTOREN)], f"dossier-{i}"
        flow_versie, flow_hash = "2026.1", "sha256:" + "0" * 64
        evaluatie = f"20{21 + i % 7}-03-15" if status == "wacht-op-evaluatie" else None
        bron: list[dict[str, Any]] = [
            {"tijd": tijd, "soort": "antwoord", "vraag": v, "antwoord": "ja"} for v in VRAGEN
        ]
        if uitkomst is not None:
            antwoord = {"id": uitkomst, "reden": reden, "meldnorm": norm}
            bron.append({"tijd": tijd, "soort": "uitkomst", "antwoord": antwoord})
        uitkomst_tijd = tijd if uitkomst else None
        vervolg_open = "terugkoppeling" if status == "vervolg" else None
        if echt is not None and i % 2 == 0:
            c, e = echt
            sector, status, flow_versie, flow_hash = c.sector, c.status, c.flow_versie, c.flow_hash
            uitkomst, reden, norm = c.uitkomst_id, c.uitkomst_reden, c.meldnorm
            evaluatie, uitkomst_tijd = c.evaluatiedatum, c.uitkomst_tijd
            vervolg_open = c.vervolg_open
            tijd = c.aangemaakt
            bron = [
                {k: getattr(x, k) for k in ("tijd", "soort", "stap", "vraag", "antwoord",
                                            "toelichting")}
                for x in e
            ]  # fmt: skip
        kop = kop_hash(
            casus_id,
            {"sector": sector, "label": label, "oefening": False, "aangemaakt": tijd,
             "flow_versie": flow_versie, "flow_hash": flow_hash},
        )  # fmt: skip
        vorige: Any = _Tail(0, kop)
        keten = []
        for velden in bron:
            vorige = chain(casus_id, vorige, **velden)
            keten.append(vorige)
        casussen.append(
            (casus_id, sector, status, label, tijd, keten[-1].tijd,
             uitkomst, reden, norm, uitkomst_tijd, evaluatie, flow_versie,
             flow_hash, vorige.hash, len(keten), vervolg_open)
        )  # fmt: skip
        events += [
            (casus_id, e.volgnummer, e.tijd, e.soort, e.stap, e.vraag, json.dumps(e.antwoord),
             e.toelichting, e.vorige_hash, e.hash)
            for e in keten
        ]  # fmt: skip
        for soort, hoofd, aantal in (("nieuw", kop, 0), ("bij", vorige.hash, len(keten))):
            nummer = len(register) + 1
            h = register_hash(nummer, casus_id, soort, hoofd, aantal, vorige_regel)
            register.append((nummer, casus_id, soort, hoofd, aantal, vorige_regel, h))
            vorige_regel = h
    with store.transaction() as c:
        c.executemany(
            "INSERT INTO casussen (id, sector, status, label, aangemaakt, bijgewerkt, uitkomst_id,"
            " uitkomst_reden, meldnorm, uitkomst_tijd, evaluatiedatum, flow_versie, flow_hash,"
            " laatste_hash, aantal_events, vervolg_open)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            casussen,
        )
        c.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?)", events)
        c.executemany("INSERT INTO register VALUES (?,?,?,?,?,?,?)", register)
    store.conn.execute("ANALYZE")
    store.close()
    return len(events)


@dataclass(frozen=True)
class _Tail:
    volgnummer: int
    hash: str


def median_ms(fn: Callable[[], object], rondes: int) -> float:
    """Median wall time of `fn` in ms."""
    tijden = []
    for _ in range(rondes):
        begin = time.perf_counter()
        fn()
        tijden.append((time.perf_counter() - begin) * 1000)
    return statistics.median(tijden)


# Run meldcode and print its peak memory: VmHWM is this program's own (ru_maxrss would also
# count this big benchmark process, copied at the fork).
_PIEK = (
    "import atexit, re, sys\n"
    "atexit.register(lambda: sys.stderr.write('VmHWM ' + re.search(r'VmHWM:\\s*(\\d+)',"
    " open('/proc/self/status').read())[1]))\n"
    "from meldcode.cli import app\n"
    "sys.argv = ['meldcode', *sys.argv[1:]]\n"
    "app()\n"
)


def peak_mb(env: dict[str, str], *args: str) -> float:
    """The peak resident memory of one `meldcode ARGS` run, in MB (Linux)."""
    uit = subprocess.run(
        [sys.executable, "-c", _PIEK, *args], env=env, check=True, capture_output=True, text=True
    )
    return int(uit.stderr.rsplit("VmHWM ", 1)[1]) / 1024


def command(env: dict[str, str], *args: str) -> Callable[[], object]:
    """A whole `meldcode` command, start-up included; it must succeed."""
    return lambda: subprocess.run(
        [MELDCODE, *args], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def main() -> int:
    """Generate, measure, print a table row per measurement; 1 when over budget."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--casussen", type=int, default=100_000)
    parser.add_argument("--rondes", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        begin = time.perf_counter()
        echt = template(Path(tmp))
        aantal_events = generate(home / "meldcode.db", args.casussen, echt)
        print(f"opslag: {args.casussen} casussen, {aantal_events} gebeurtenissen in "
              f"{time.perf_counter() - begin:.1f} s")  # fmt: skip
        env = {**os.environ, "MELDCODE_HOME": str(home)}
        rows: list[tuple[str, float, str, bool]] = []
        ms = median_ms(command(env, "lijst", "--aantal", "0", "--json"), 3)
        rows.append(("meldcode lijst --aantal 0 --json", ms, "< 3000 ms", ms < 3000))
        mb = peak_mb(env, "lijst", "--aantal", "0", "--json")
        rows.append(("meldcode lijst --aantal 0 --json: piekgeheugen (MB)", mb, "< 100 MB",
                     mb < 100))  # fmt: skip
        ms = median_ms(command(env, "lijst", "--aantal", "0"), 1)
        rows.append(("meldcode lijst --aantal 0 (rich-tabel, per 100 regels)", ms, "informatie",
                     True))  # fmt: skip
        for naam, cmd in (
            ("meldcode lijst", ("lijst",)),
            ("meldcode lijst --evaluatie-verlopen", ("lijst", "--evaluatie-verlopen")),
            (
                "meldcode lijst --status afgerond --json",
                ("lijst", "--status", "afgerond", "--json"),
            ),
            ("meldcode statistiek", ("statistiek",)),
            ("meldcode statistiek --json", ("statistiek", "--json")),
        ):
            ms = median_ms(command(env, *cmd), args.rondes)
            rows.append((naam, ms, "< 300 ms", ms < 300))
        store = Store(home / "meldcode.db")
        # The same work without the interpreter's start-up and imports, for comparison.
        ms = median_ms(lambda: store.casussen(limit=51), args.rondes)
        rows.append(("lijst: alleen de query (in het proces)", ms, "informatie", True))
        ms = median_ms(lambda: statistiek(store), args.rondes)
        rows.append(("statistiek: alleen de queries (in het proces)", ms, "informatie", True))
        begin = time.perf_counter()
        result = verify(store)
        snelheid = result.events / (time.perf_counter() - begin)
        rows.append(("meldcode verifieer (alle ketens)", snelheid, "> 20.000 gebeurtenissen/s",
                     snelheid > 20_000))  # fmt: skip
        assert not result.breuken
        data = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
        del data["verwacht"]
        antwoorden = home / "antwoorden.yaml"
        antwoorden.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        run = command(env, "start", "--antwoorden", str(antwoorden), "--standaard", "--json")
        ms = median_ms(run, args.rondes)
        rows.append(("meldcode start --antwoorden (hele run)", ms, "< 500 ms", ms < 500))
    print("| meting | resultaat | budget |")
    print("|---|---|---|")
    for naam, waarde, budget, _ in rows:
        eenheid = "gebeurtenissen/s" if "verifieer" in naam else "" if "MB" in naam else "ms"
        print(f"| `{naam}` ({args.casussen} casussen) | {waarde:,.0f} {eenheid} | {budget} |")
    return 0 if all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
