"""The counters the register keeps for `statistiek` (schema version 2, issue 15) always equal a
full recount: after random creates, answers, outcomes, handovers (with and without co-reader),
deletes, practice cases and imports, for every professional and for the coordinator. And the
counters keep the register's rules: each role reads only its own, nobody writes them by hand.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pgserver import Register

psycopg = pytest.importorskip("psycopg")
from psycopg import errors  # noqa: E402

from meldcode.store import open_store  # noqa: E402
from meldcode.store.postgres import PostgresStore  # noqa: E402
from meldcode.store.postgres_admin import add_user  # noqa: E402
from meldcode.store.postgres_moves import handover, import_cases  # noqa: E402
from meldcode.store.postgres_queries import OVERZICHT, counts_from  # noqa: E402
from meldcode.store.records import Counts, NieuwEvent  # noqa: E402
from meldcode.store.stats import statistiek  # noqa: E402

PROFESSIONALS = ("anna", "bert", "carla")
SECTOREN = ("basis", "onderwijs", "zorg")
UITKOMSTEN = (
    ("open", None, None),
    ("afgerond", "afsluiten", "geen-vermoeden"),
    ("vervolg", "melden", "acute-of-structurele-onveiligheid"),
    ("wacht-op-evaluatie", "hulp-bieden", None),
)


def normal(c: Counts) -> tuple[Any, ...]:
    """Counts in a form that compares equal whatever the order of the rows."""
    return (sorted(c.per_uitkomst, key=repr), c.gestart, c.met_uitkomst, c.tienden)


def scan(conn: Any) -> tuple[Any, ...]:
    """The full recount over the cases this connection's role reads (a superuser: all)."""
    return normal(counts_from(conn.execute(OVERZICHT).fetchall()))


class Readers:
    """A read-only store (as a read-only command opens it) of each professional and of the
    coordinator cor, and the administrator's session: each opened at its first check and kept
    for the test, not opened at every check (each query is a transaction of its own, so each
    check reads the register as it now is)."""

    def __init__(self, register: Register) -> None:
        self.register = register
        self.stores: dict[str, PostgresStore] = {}
        self.admin = psycopg.connect(register.admin_dsn, autocommit=True)

    def store(self, naam: str) -> PostgresStore:
        if naam not in self.stores:
            self.stores[naam] = PostgresStore(self.register.dsn(naam), lezen=True)
        return self.stores[naam]

    def close(self) -> None:
        for store in self.stores.values():
            store.close()
        self.admin.close()


def assert_counters_are_a_recount(readers: Readers, logins: dict[str, Any]) -> None:
    """Every professional's counters equal the scan over the cases they may read, and the
    coordinator's view equals the scan over the whole organisation."""
    for naam in PROFESSIONALS:
        assert scan(logins[naam]) == normal(readers.store(naam).counts()), naam
    assert scan(readers.admin) == normal(readers.store("cor").counts())


class Clock:
    """Times that move forward by a random number of hours: months and durations vary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))

    def __call__(self) -> str:
        self.now += dt.timedelta(
            hours=self.rng.randint(1, 24 * 40), seconds=self.rng.randint(0, 59)
        )
        return self.now.isoformat(timespec="seconds")


class World:
    """The register and a store per professional, with the random steps a test takes."""

    def __init__(self, register: Register, rng: random.Random, tmp: Path) -> None:
        self.register, self.rng, self.tmp = register, rng, tmp
        clock = Clock(rng)
        self.stores = {n: PostgresStore(register.dsn(n), clock=clock) for n in PROFESSIONALS}
        self.imports = itertools.count()

    def close(self) -> None:
        for store in self.stores.values():
            store.close()

    def own(self, naam: str) -> list[str]:
        rows = self.stores[naam].rows(
            "SELECT id FROM meldcode.casussen WHERE eigenaar = current_user ORDER BY id"
        )
        return [r[0] for r in rows]

    def pick(self) -> tuple[str, str] | None:
        naam = self.rng.choice(PROFESSIONALS)
        ids = self.own(naam)
        return (naam, self.rng.choice(ids)) if ids else None

    def create(self) -> None:
        naam = self.rng.choice(PROFESSIONALS)
        self.stores[naam].create(
            sector=self.rng.choice(SECTOREN), flow_versie="2026.1", flow_hash="sha256:x",
            label="dossier-1", oefening=self.rng.random() < 0.15,
        )  # fmt: skip

    def answer(self) -> None:
        if (gekozen := self.pick()) is None:
            return
        store = self.stores[gekozen[0]]
        nieuw = NieuwEvent(soort="antwoord", stap="stap-1", vraag="v", antwoord="ja")
        store.append(store.get(gekozen[1]), nieuw)

    def outcome(self) -> None:
        if (gekozen := self.pick()) is None:
            return
        store = self.stores[gekozen[0]]
        status, uitkomst, reden = self.rng.choice(UITKOMSTEN)
        antwoord = {"id": uitkomst, "reden": reden, "meldnorm": None}
        nieuw = NieuwEvent(soort="uitkomst", antwoord=antwoord)
        store.append(
            store.get(gekozen[1]), nieuw, status=status, uitkomst_id=uitkomst,
            uitkomst_reden=reden, uitkomst_tijd=None if uitkomst is None else "nu",
        )  # fmt: skip

    def hand_over(self) -> None:
        if (gekozen := self.pick()) is None:
            return
        aan = self.rng.choice([n for n in PROFESSIONALS if n != gekozen[0]])
        medelezer = self.rng.random() < 0.6
        handover(self.stores[gekozen[0]], gekozen[1], aan=aan, reden="r", medelezer=medelezer)

    def hand_back(self) -> None:
        """A handover to the case's co-reader (who was its owner before)."""
        with psycopg.connect(self.register.admin_dsn) as admin:
            row = admin.execute(
                "SELECT c.eigenaar, c.id, m.rol FROM meldcode.casussen c"
                " JOIN meldcode.medelezers m ON m.casus_id = c.id ORDER BY c.id LIMIT 1"
            ).fetchone()
        if row is not None:
            handover(self.stores[row[0]], row[1], aan=row[2], reden="terug", medelezer=False)

    def delete(self) -> None:
        if (gekozen := self.pick()) is None:
            return
        self.stores[gekozen[0]].delete(gekozen[1])

    def drop_co_reader(self) -> None:
        """The administrator takes a co-reader's access away, or moves it (by hand, in SQL)."""
        with psycopg.connect(self.register.admin_dsn) as admin:
            row = admin.execute("SELECT casus_id, rol FROM meldcode.medelezers LIMIT 1").fetchone()
            if row is None:
                return
            if self.rng.random() < 0.5:
                admin.execute(
                    "DELETE FROM meldcode.medelezers WHERE casus_id = %s AND rol = %s", row
                )
                return
            # Or gives the access to another professional (perhaps the owner, or one who has it).
            try:
                with admin.transaction():
                    admin.execute(
                        "UPDATE meldcode.medelezers SET rol = %s WHERE casus_id = %s AND rol = %s",
                        (self.rng.choice(PROFESSIONALS), *row),
                    )
            except errors.UniqueViolation:
                pass

    def import_some(self) -> None:
        """`register importeer` of a professional's own SQLite store of a few cases."""
        naam = self.rng.choice(PROFESSIONALS)
        home = self.tmp / f"lokaal-{next(self.imports)}"
        with open_store(home=home) as bron:
            for _ in range(self.rng.randint(1, 3)):
                casus = bron.create(
                    sector=self.rng.choice(SECTOREN), flow_versie="2026.1", flow_hash="sha256:x",
                    oefening=self.rng.random() < 0.2,
                )  # fmt: skip
                if self.rng.random() < 0.5:
                    antwoord = {"id": "afsluiten", "reden": "geen-vermoeden", "meldnorm": None}
                    bron.append(
                        casus, NieuwEvent(soort="uitkomst", antwoord=antwoord), status="afgerond",
                        uitkomst_id="afsluiten", uitkomst_reden="geen-vermoeden",
                        uitkomst_tijd="nu",
                    )  # fmt: skip
            assert not import_cases(bron, self.stores[naam]).geweigerd


@pytest.fixture
def world(pg_register: Register, tmp_path: Path) -> Iterator[Callable[[int], World]]:
    with psycopg.connect(pg_register.admin_dsn) as admin:
        add_user(admin, "carla", coordinator=False, wachtwoord="alrac")
    made: list[World] = []

    def _world(seed: int) -> World:
        made.append(World(pg_register, random.Random(seed), tmp_path))  # noqa: S311
        return made[-1]

    yield _world
    for w in made:
        w.close()


@pytest.fixture
def logins(pg_register: Register) -> Iterator[dict[str, Any]]:
    conns = {n: psycopg.connect(pg_register.dsn(n), autocommit=True) for n in PROFESSIONALS}
    yield conns
    for c in conns.values():
        c.close()


@pytest.fixture
def readers(pg_register: Register) -> Iterator[Readers]:
    r = Readers(pg_register)
    yield r
    r.close()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_counters_equal_a_recount_after_any_steps(
    world: Callable[[int], World], logins: dict[str, Any], readers: Readers, seed: int
) -> None:
    w = world(seed)
    stappen = [w.create] * 6 + [w.answer, w.outcome, w.outcome, w.hand_over, w.hand_over]
    stappen += [w.hand_back, w.delete, w.drop_co_reader, w.import_some]
    for _ in range(45):
        w.rng.choice(stappen)()
        assert_counters_are_a_recount(readers, logins)
    # What `statistiek` shows is what it showed when it scanned every case.
    for naam in PROFESSIONALS:
        store = w.stores[naam]
        assert statistiek(store, exact=True)["casussen"] == sum(
            n for *_, n in counts_from(logins[naam].execute(OVERZICHT).fetchall()).per_uitkomst
        )


def test_an_administrators_truncate_counts_again(
    world: Callable[[int], World], logins: dict[str, Any], readers: Readers, pg_register: Register
) -> None:
    w = world(4)
    for stap in [w.create] * 6 + [w.outcome, w.outcome]:
        stap()
    for naam in ("anna", "bert"):  # each hands a case to carla and stays co-reader
        if ids := w.own(naam):
            handover(w.stores[naam], ids[0], aan="carla", reden="r", medelezer=True)
    with psycopg.connect(pg_register.admin_dsn) as admin:
        admin.execute("TRUNCATE meldcode.medelezers")
    assert_counters_are_a_recount(readers, logins)
    with psycopg.connect(pg_register.admin_dsn) as admin:
        admin.execute("TRUNCATE meldcode.casussen CASCADE")
    assert_counters_are_a_recount(readers, logins)
    w.create()
    assert_counters_are_a_recount(readers, logins)


def test_practice_cases_are_never_counted(world: Callable[[int], World]) -> None:
    w = world(0)
    w.stores["anna"].create(
        sector="basis", flow_versie="2026.1", flow_hash="sha256:x", oefening=True
    )
    assert 0 == statistiek(w.stores["anna"], exact=True)["casussen"]
    assert [] == w.stores["anna"].rows("SELECT * FROM meldcode.tellingen")


def test_a_professional_reads_only_their_own_counters_and_writes_none(
    world: Callable[[int], World], logins: dict[str, Any], readers: Readers, pg_register: Register
) -> None:
    w = world(0)
    for naam in ("anna", "bert"):
        w.stores[naam].create(sector="zorg", flow_versie="2026.1", flow_hash="sha256:x")
    anna = logins["anna"]
    assert {"anna"} == {r[0] for r in anna.execute("SELECT lezer FROM meldcode.tellingen")}
    for sql in (
        "UPDATE meldcode.tellingen SET aantal = aantal + 1",
        "INSERT INTO meldcode.tellingen VALUES ('anna', 7, '{zorg,open,NULL,NULL}', 99)",
        "DELETE FROM meldcode.tellingen",
        "INSERT INTO meldcode.tellingen_wachtend (lezer, soort, sleutel, delta)"
        " VALUES ('anna', 11, '{2026-01}', 5)",
        "SELECT * FROM meldcode.tellingen_wachtend",
        "SELECT meldcode.tellen(NULL, NULL)",
        "SELECT meldcode.lezers(c) FROM meldcode.casussen c",
    ):
        with pytest.raises(errors.InsufficientPrivilege):
            anna.execute(sql)
    with psycopg.connect(pg_register.dsn("cor"), autocommit=True) as cor:
        with pytest.raises(errors.InsufficientPrivilege):
            cor.execute("SELECT * FROM meldcode.tellingen")
        kolommen = [c.name for c in cor.execute("SELECT * FROM meldcode.overzicht").description]
        assert not {"label", "id", "toelichting", "antwoord"} & set(kolommen)
    assert_counters_are_a_recount(readers, logins)
