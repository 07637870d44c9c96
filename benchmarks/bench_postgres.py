"""The shared register on a local PostgreSQL (issue 15): recording an answer, `lijst` and
`statistiek` over 100,000 cases, and `register importeer` of 10,000 cases.

Run: `.venv/bin/python benchmarks/bench_postgres.py [--casussen 100000] [--import 10000]`. It
starts a throwaway server of its own (tests/pgserver.py, fsync on as in production; as root it
runs as the `postgres` OS user). Budgets: `Recorder.antwoord` p99 < 20 ms; `meldcode lijst`
and `statistiek` (whole commands, as a professional and as the coordinator) < 300 ms; the
import is reported. Exit status 1 when over budget.

A register over a network: `--vertraging 0 1` also records answers through a TCP proxy that
holds everything N ms each way (0: straight to the server), with and without the pipeline
(postgres_append.py); `--alleen-antwoorden` measures only that.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from bench_session import time_answers_in  # noqa: E402
from bench_store import generate, median_ms, template  # noqa: E402
from meldcode.store.postgres import PostgresStore  # noqa: E402
from meldcode.store.stats import statistiek  # noqa: E402
from pgserver import make_register, running_server  # noqa: E402

MELDCODE = str(Path(sys.executable).parent / "meldcode")

# 100,000 cases for anna in one statement: sectors, statuses and outcomes spread as in
# bench_store, times over seven years (no events: lijst and statistiek read the rows only).
_VUL = """
INSERT INTO meldcode.casussen (id, sector, status, label, aangemaakt, bijgewerkt,
    uitkomst_id, uitkomst_reden, meldnorm, uitkomst_tijd, evaluatiedatum, flow_versie,
    flow_hash, laatste_hash, aantal_events, vervolg_open, eigenaar)
SELECT 'mc-' || lpad(g::text, 4, '0') || '-' || lpad((g %% 9973)::text, 4, '0') || g,
    (ARRAY['basis','artsen','kinderopvang','onderwijs','jeugdhulp','psychosociaal','zorg',
           'wmo'])[1 + g %% 8],
    s.status, 'dossier-' || g, t.tijd, t.tijd, s.uitkomst, s.reden, s.norm,
    CASE WHEN s.uitkomst IS NULL THEN NULL ELSE t.tijd END,
    CASE WHEN s.status = 'wacht-op-evaluatie' THEN (2021 + g %% 7)::text || '-03-15' END,
    '2026.1', 'sha256:' || repeat('0', 64), md5(g::text) || md5(g::text), 5,
    CASE WHEN s.status = 'vervolg' THEN 'terugkoppeling' END, %s
FROM generate_series(1, %s) AS g,
LATERAL (SELECT to_char(timestamp '2020-01-01 10:00' + g * interval '37 minutes',
                        'YYYY-MM-DD"T"HH24:MI:SS') || '+01:00' AS tijd) t,
LATERAL (SELECT * FROM (VALUES
    (0, 'open', NULL, NULL, NULL), (1, 'afgerond', 'afsluiten', 'geen-vermoeden', NULL),
    (2, 'vervolg', 'melden', 'acute-of-structurele-onveiligheid', 1),
    (3, 'wacht-op-evaluatie', 'hulp-bieden', NULL, NULL),
    (4, 'afgerond', 'hulp-afsluiten', 'resultaat-bereikt', NULL)
) v(k, status, uitkomst, reden, norm) WHERE v.k = g %% 5) s
"""


def time_answers(url: str, n: int, *, pipelined: bool = True) -> list[float]:
    """Milliseconds per `Recorder.antwoord` on the register, over cases of 10 answers
    (`pipelined` False: the statements one at a time, as with a libpq older than 14)."""
    store = PostgresStore(url)
    store.pipelined = store.pipelined and pipelined
    return time_answers_in(store, n)


class LatencyProxy:
    """A TCP proxy on loopback that holds every chunk `ms` milliseconds in each direction before
    passing it on, as a network between meldcode and a managed server does (1 ms each way: a
    round trip of 2 ms or more; asyncio's timers round up to whole milliseconds)."""

    def __init__(self, doel: int, ms: float) -> None:
        self.doel, self.vertraging, self.poort = doel, ms / 1000, 0
        self._loop = asyncio.new_event_loop()
        self._klaar = threading.Event()
        self._draad = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> LatencyProxy:
        self._draad.start()
        self._klaar.wait(10)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._draad.join(10)

    def _serve(self) -> None:
        server = self._loop.run_until_complete(asyncio.start_server(self._verbind, "127.0.0.1", 0))
        self.poort = server.sockets[0].getsockname()[1]
        self._klaar.set()
        self._loop.run_forever()
        server.close()
        taken = asyncio.all_tasks(self._loop)
        for taak in taken:
            taak.cancel()
        self._loop.run_until_complete(asyncio.gather(*taken, return_exceptions=True))
        self._loop.close()

    async def _verbind(self, lezer: asyncio.StreamReader, schrijver: asyncio.StreamWriter) -> None:
        naar_lezer, naar_schrijver = await asyncio.open_connection("127.0.0.1", self.doel)
        try:
            await asyncio.gather(
                self._door(lezer, naar_schrijver), self._door(naar_lezer, schrijver)
            )
        except asyncio.CancelledError:  # the proxy stops: end quietly
            schrijver.close()
            naar_schrijver.close()

    async def _door(self, lezer: asyncio.StreamReader, schrijver: asyncio.StreamWriter) -> None:
        """Pass on what `lezer` reads, each chunk `vertraging` after it arrived, in order."""
        rij: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def afleveren() -> None:
            while (item := await rij.get())[1]:
                if (wacht := item[0] - self._loop.time()) > 0:
                    await asyncio.sleep(wacht)
                schrijver.write(item[1])
                await schrijver.drain()
            schrijver.close()

        taak = asyncio.create_task(afleveren())
        try:
            while data := await lezer.read(65536):
                rij.put_nowait((self._loop.time() + self.vertraging, data))
        except ConnectionError:
            pass
        rij.put_nowait((0.0, b""))
        await taak


def answer_rows(server: Any, vertragingen: list[float], n: int) -> list[tuple[str, str, str, bool]]:
    """p50 and p99 of `Recorder.antwoord` with the register `ms` away (each way), with and
    without the pipeline; only the local one (0 ms, pipelined) has a budget."""
    rows = []
    register = make_register(server)
    for ms in vertragingen:
        for pipelined in (True, False):
            with LatencyProxy(server.port, ms) as proxy:
                url = register.dsn("anna")
                if ms:
                    url = url.replace(f":{server.port}/", f":{proxy.poort}/")
                tijden = time_answers(url, n, pipelined=pipelined)
            p99 = statistics.quantiles(tijden, n=100)[98]
            p50 = statistics.median(tijden)
            wijze = "in een pipeline" if pipelined else "een opdracht per keer"
            naam = f"antwoord vastleggen (Recorder.antwoord), {ms:g} ms per richting, {wijze}"
            budget = "p99 < 20 ms" if not ms and pipelined else "informatie"
            ok = p99 < 20 or budget == "informatie"
            rows.append((naam, f"p50 {p50:.1f} ms, p99 {p99:.1f} ms", budget, ok))
    return rows


def time_import(server: Any, tmp: Path, n: int) -> list[tuple[str, str, str, bool]]:
    """`register importeer` of a generated SQLite store of `n` cases, then once more."""
    home = tmp / "lokaal"
    generate(home / "meldcode.db", n, template(tmp))
    doel = make_register(server)
    env = {**os.environ, "MELDCODE_HOME": str(home), "MELDCODE_DATABASE": doel.dsn("anna")}
    rows = []
    for naam in (f"meldcode register importeer ({n} casussen)", "tweede importeer (niets)"):
        begin = time.perf_counter()
        subprocess.run([MELDCODE, "register", "importeer"], env=env, check=True,
                       capture_output=True)  # fmt: skip
        s = time.perf_counter() - begin
        rows.append((naam, f"{s:.1f} s ({n / s:.0f} casussen/s)", "informatie", True))
    return rows


def command_ms(env: dict[str, str], args: tuple[str, ...], rondes: int) -> tuple[str, float]:
    """Min and median wall time of a whole `meldcode ARGS` (start-up included), and the median
    CPU time of its process (user + system: less sensitive to a busy machine, but without the
    server's share), in ms."""
    tijden, cpu = [], []
    for _ in range(rondes):
        voor = resource.getrusage(resource.RUSAGE_CHILDREN)
        begin = time.perf_counter()
        subprocess.run(
            [MELDCODE, *args], env=env, check=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        tijden.append((time.perf_counter() - begin) * 1000)
        na = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((na.ru_utime - voor.ru_utime + na.ru_stime - voor.ru_stime) * 1000)
    mediaan = statistics.median(tijden)
    tekst = f"min {min(tijden):.0f} ms, mediaan {mediaan:.0f} ms (CPU van het proces "
    return tekst + f"{statistics.median(cpu):.0f} ms)", mediaan


# The phases of `lijst` and `statistiek` in one fresh process, as the commands go through them.
_FASEN = """
import io, json, os, time
t = [time.perf_counter()]
import meldcode.cli, meldcode.commands.app, meldcode.commands.lijst, meldcode.commands.beheer
t.append(time.perf_counter())
from meldcode.store import open_store
store = open_store(home=None, lezen=True)
t.append(time.perf_counter())
rijen = list(store.iter_casussen(limit=51))
t.append(time.perf_counter())
from meldcode.store.stats import statistiek
cijfers = statistiek(store)
t.append(time.perf_counter())
from rich.console import Console
from meldcode.render import views
t.append(time.perf_counter())
views.lijst(Console(file=io.StringIO()), iter(rijen), aantal=50, vandaag="2026-12-05",
            oefening=False)
views.statistiek(Console(file=io.StringIO()), cijfers)
t.append(time.perf_counter())
naam = ["meldcode en typer importeren", "register openen (psycopg, aanmelden, schemaversie)",
        "lijst: query", "statistiek: query", "rich en weergave importeren", "weergeven (beide)"]
print(json.dumps({n: round(1000 * (b - a), 1) for n, a, b in zip(naam, t, t[1:])}))
"""


def phases(env: dict[str, str], rondes: int) -> dict[str, float]:
    """The median of each phase of _FASEN over `rondes` fresh processes, in ms."""
    metingen = [
        json.loads(subprocess.run([sys.executable, "-c", _FASEN], env=env, check=True,
                                  capture_output=True, text=True).stdout)
        for _ in range(rondes)
    ]  # fmt: skip
    return {k: statistics.median(m[k] for m in metingen) for k in metingen[0]}


def main() -> int:
    """Start a server, measure, print a table row per measurement; 1 when over budget."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--casussen", type=int, default=100_000)
    parser.add_argument("--import", dest="importeer", type=int, default=10_000)
    parser.add_argument("--antwoorden", type=int, default=500)
    parser.add_argument("--rondes", type=int, default=7)
    parser.add_argument("--vertraging", type=float, nargs="+", default=[0.0])
    parser.add_argument("--alleen-antwoorden", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, bool]] = []
    with running_server(durable=True) as server, tempfile.TemporaryDirectory() as tmp:
        rows += answer_rows(server, args.vertraging, args.antwoorden)
        if args.alleen_antwoorden:
            return report(rows)
        groot = make_register(server)
        with psycopg.connect(groot.admin_dsn) as admin:
            begin = time.perf_counter()
            admin.execute(_VUL, ("anna", args.casussen))
            admin.execute("ANALYZE")
            print(f"register: {args.casussen} casussen in {time.perf_counter() - begin:.1f} s")
        for wie in ("anna", "cor"):
            env = {**os.environ, "MELDCODE_HOME": tmp, "MELDCODE_DATABASE": groot.dsn(wie)}
            opdrachten = [("statistiek",), ("statistiek", "--json")]
            if wie == "anna":
                opdrachten += [("lijst",), ("lijst", "--evaluatie-verlopen"), ("lijst", "--json")]
            for cmd in opdrachten:
                gemeten, mediaan = command_ms(env, cmd, args.rondes)
                rol = "professional" if wie == "anna" else "coördinator"
                rows.append((f"meldcode {' '.join(cmd)} ({rol}, {args.casussen} casussen)",
                             gemeten, "< 300 ms", mediaan < 300))  # fmt: skip
        env = {**os.environ, "MELDCODE_HOME": tmp, "MELDCODE_DATABASE": groot.dsn("anna")}
        for fase, ms in phases(env, args.rondes).items():
            rows.append((f"fase: {fase} (professional)", f"{ms:.1f} ms", "informatie", True))

        store = PostgresStore(groot.dsn("anna"))
        for naam, werk in (
            ("lijst: alleen de query (in het proces)", lambda: store.casussen(limit=51)),
            ("statistiek: alleen de queries (in het proces)", lambda: statistiek(store)),
        ):
            ms = median_ms(werk, args.rondes)
            rows.append((f"{naam}, {args.casussen} casussen", f"{ms:.0f} ms", "informatie", True))
        store.close()
        leeg = {**os.environ, "MELDCODE_HOME": str(Path(tmp) / "leeg")}
        leeg.pop("MELDCODE_DATABASE", None)
        rows.append(("ter vergelijking: meldcode lijst op een lege SQLite-opslag (opstarten)",
                     command_ms(leeg, ("lijst",), args.rondes)[0], "informatie", True))  # fmt: skip
        rows += time_import(server, Path(tmp), args.importeer)
    return report(rows)


def report(rows: list[tuple[str, str, str, bool]]) -> int:
    """Print the rows as a table, with the load average at the end; 1 when over budget."""
    belasting = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    rows.append(("belasting van de machine na afloop (load average 1/5/15 min)", belasting,
                 "informatie", True))  # fmt: skip
    print("| meting | resultaat | budget |")
    print("|---|---|---|")
    for naam, waarde, budget, _ in rows:
        print(f"| `{naam}` | {waarde} | {budget} |")
    return 0 if all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
