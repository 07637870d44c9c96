"""A read-only session on the register talks to libpq directly (store/postgres_libpq.py, for a
faster start of `lijst` and `statistiek`): it reads exactly what a psycopg session reads, and
fails with the same Dutch messages (issue 15)."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pgserver import Register
from test_register_counts import PROFESSIONALS, World, normal

psycopg = pytest.importorskip("psycopg")

from meldcode.errors import StoreError  # noqa: E402
from meldcode.store import postgres_libpq  # noqa: E402
from meldcode.store.postgres import PostgresStore  # noqa: E402
from meldcode.store.postgres_connect import InvalidDatabaseUrl, NoRegisterAccess  # noqa: E402

pytestmark = pytest.mark.skipif(postgres_libpq.libpq() is None, reason="no libpq to load")


def reads(store: PostgresStore) -> dict[str, Any]:
    """Everything a read-only command can ask the store."""
    ids = [c.id for c in store.casussen()]
    return {
        "casussen": store.casussen(),
        "gefilterd": store.casussen(status="afgerond", sector="zorg", limit=2),
        "verlopen": store.casussen(evaluatie_voor="2030-01-01", vervolg_voor="2030-01-01"),
        "een": [store.get(i) for i in ids],
        "events": [store.events(i) for i in ids],
        "register": list(store.register()),
        "ketens": list(store.chains()),
        "counts": normal(store.counts()),
        "oud": store.changed_before("2099-01-01T00:00:00+00:00"),
        "verantwoordelijk": [store.eindverantwoordelijke(i) for i in ids],
        "versie": store.schema_version,
        "waar": store.location,
    }


def test_a_read_only_session_reads_what_psycopg_reads(
    pg_register: Register, tmp_path: Path
) -> None:
    from meldcode.store.postgres_admin import add_user

    with psycopg.connect(pg_register.admin_dsn) as admin:
        add_user(admin, "carla", coordinator=False, wachtwoord="alrac")
    w = World(pg_register, random.Random(7), tmp_path)  # noqa: S311
    for stap in [w.create] * 8 + [w.outcome] * 4 + [w.hand_over, w.hand_over, w.answer]:
        stap()
    # Ids with what an array literal must escape; a label with what a placeholder looks like.
    for casus_id in ('mc-"{a,b}"', "mc-\\x\\", "mc-%s-%%"):
        w.stores["anna"].create(
            casus_id=casus_id, sector="zorg", flow_versie="1", flow_hash="h", label="50% %s"
        )
    for naam in PROFESSIONALS:
        with (
            PostgresStore(pg_register.dsn(naam), lezen=True) as snel,
            PostgresStore(pg_register.dsn(naam)) as gewoon,
        ):
            assert isinstance(snel.conn, postgres_libpq.Connection)
            assert not isinstance(gewoon.conn, postgres_libpq.Connection)
            assert reads(gewoon) == reads(snel)
    with PostgresStore(pg_register.dsn("cor"), lezen=True) as cor:
        assert cor.termijnen() == PostgresStore(pg_register.dsn("cor")).termijnen()
    w.close()


def test_a_read_only_session_is_refused_what_the_role_may_not_and_writes_nothing(
    pg_register: Register,
) -> None:
    with PostgresStore(pg_register.dsn("cor"), lezen=True) as cor, pytest.raises(NoRegisterAccess):
        cor.casussen()
    with PostgresStore(pg_register.dsn("anna"), lezen=True) as anna, pytest.raises(StoreError):
        anna.create(sector="basis", flow_versie="1", flow_hash="h")
    assert [] == PostgresStore(pg_register.dsn("anna")).casussen()


@pytest.mark.parametrize(
    ("verkeerd", "reden"),
    [
        (lambda d: d.replace(":anna@", ":fout@"), "de server weigert de aanmelding"),
        (lambda d: d.rsplit("/", 1)[0] + "/geen_db", "de database bestaat niet"),
        (lambda d: d.replace("127.0.0.1:", "127.0.0.1:1"), "er antwoordt geen server"),
    ],
)
def test_a_read_only_session_that_cannot_connect_says_why_as_psycopg_does(
    pg_register: Register, verkeerd: Any, reden: str
) -> None:
    url = verkeerd(pg_register.dsn("anna"))
    meldingen = []
    for lezen in (True, False):
        with pytest.raises(StoreError) as e:
            PostgresStore(url, lezen=lezen)
        meldingen.append(str(e.value))
    assert meldingen[0] == meldingen[1]
    assert reden in meldingen[0]
    assert "fout" not in meldingen[0]  # never the password


def test_an_unreadable_address_is_exit_2_without_psycopg() -> None:
    with pytest.raises(InvalidDatabaseUrl):
        PostgresStore("postgresql://a@b/c?geen_optie=1", lezen=True)


def test_lijst_and_statistiek_start_without_importing_psycopg(pg_register: Register) -> None:
    code = (
        "import sys\nfrom meldcode.store.postgres import PostgresStore\n"
        "from meldcode.store.stats import statistiek\n"
        "s = PostgresStore(sys.argv[1], lezen=True)\n"
        "s.casussen(limit=51); statistiek(s); s.location\n"
        "print(sorted(m for m in sys.modules if m.startswith('psycopg')))"
    )
    uit = subprocess.run(
        [sys.executable, "-c", code, pg_register.dsn("anna")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "[]" == uit.stdout.strip()
