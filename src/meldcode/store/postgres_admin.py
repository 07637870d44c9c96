"""Setting up the shared register: schema, roles and grants (`meldcode register init`), and its
users (`meldcode register gebruiker`). Run by an administrator: a superuser, or a role with
CREATEROLE that owns the database (a managed PostgreSQL's admin user)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from meldcode.errors import MeldcodeError
from meldcode.store.postgres_schema import (
    COORDINATOR,
    MIGRATIONS,
    PROFESSIONAL,
    SCHEMA_VERSION,
    SYSTEEM,
    group_roles_sql,
    schema_version,
    statements,
)

# pg_advisory_xact_lock key for setting up (one administrator at a time); case locks use
# another class (see postgres.py).
SETUP_LOCK = 0x6D63_0001

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class InvalidRoleName(MeldcodeError):
    """A user name that is not a plain PostgreSQL role name (exit 2)."""

    def __init__(self) -> None:
        super().__init__(
            "Een gebruikersnaam in het register bestaat uit kleine letters, cijfers en '_' "
            "(hoogstens 63 tekens, niet beginnend met een cijfer), bijvoorbeeld 'j_devries'. "
            "Kies zo'n naam; de naam van een persoon hoort er niet in als dat niet hoeft."
        )


class ReservedRoleName(MeldcodeError):
    """A name meldcode itself uses, or PostgreSQL reserves (exit 2)."""

    def __init__(self, naam: str) -> None:
        super().__init__(
            f"De naam '{naam}' is voorbehouden aan meldcode of PostgreSQL; kies een andere "
            "gebruikersnaam."
        )


@dataclass(frozen=True)
class InitResult:
    """What `register init` did: versions before and after."""

    van: int
    naar: int
    eindverantwoordelijke: str | None = None  # as it now stands


def init_register(
    conn: Any, *, eindverantwoordelijke: str | None = None, tot: int = SCHEMA_VERSION
) -> InitResult:
    """Create the group roles, grants on the database, and bring the schema to SCHEMA_VERSION,
    in one transaction (a second administrator waits, then finds nothing left to do).
    `tot`: an older version to stop at (to test a migration from it)."""
    from psycopg import sql

    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SETUP_LOCK,))
        for statement in group_roles_sql():
            conn.execute(statement)
        # The administrator acts as meldcode_systeem (the owner of every object) while migrating.
        conn.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(SYSTEEM)))
        grant_database(conn, conn.info.dbname)
        van = schema_version(conn)
        if van > SCHEMA_VERSION:
            from meldcode.store.postgres_connect import RegisterNotReady

            raise RegisterNotReady(
                waar=f"database {conn.info.dbname}", versie=van, nodig=SCHEMA_VERSION
            )
        conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(SYSTEEM)))
        for versie in range(van + 1, tot + 1):
            for statement in statements(MIGRATIONS[versie]):
                conn.execute(statement)
            conn.execute("UPDATE meldcode.schema_versie SET versie = %s", (versie,))
        if eindverantwoordelijke is not None:
            conn.execute(
                "UPDATE meldcode.organisatie SET eindverantwoordelijke = %s",
                (eindverantwoordelijke,),
            )
        conn.execute("RESET ROLE")
    row = conn.execute("SELECT eindverantwoordelijke FROM meldcode.organisatie").fetchone()
    conn.commit()
    return InitResult(van=van, naar=max(van, tot), eindverantwoordelijke=row[0])


def grant_database(conn: Any, dbname: str) -> None:
    """The register's rights on database `dbname` itself (part of `register init`). They live in
    the server's shared catalog, so a copy of the database (CREATE DATABASE ... TEMPLATE) has
    none of them until this runs again; any database of the server may be connected to."""
    from psycopg import sql

    db = sql.Identifier(dbname)
    conn.execute(sql.SQL("GRANT CREATE ON DATABASE {} TO {}").format(db, sql.Identifier(SYSTEEM)))
    # Only the register's own roles may connect; nobody else gets a temporary table either.
    conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(db))
    conn.execute(
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}, {}").format(
            db, sql.Identifier(PROFESSIONAL), sql.Identifier(COORDINATOR)
        )
    )


def check_role_name(naam: str) -> None:
    """InvalidRoleName or ReservedRoleName unless `naam` can be a register user."""
    if not ROLE_NAME.fullmatch(naam):
        raise InvalidRoleName
    if naam.startswith(("pg_", "meldcode_")) or naam in ("public", "postgres"):
        raise ReservedRoleName(naam)


def add_user(conn: Any, naam: str, *, coordinator: bool, wachtwoord: str | None) -> bool:
    """Make `naam` a login role in the professional (or coordinator) group; True if the role
    is new. The password, if given, is sent as a SCRAM verifier, never in plain text."""
    from psycopg import sql

    check_role_name(naam)
    groep = COORDINATOR if coordinator else PROFESSIONAL
    rol = sql.Identifier(naam)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SETUP_LOCK,))
        nieuw = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (naam,)).fetchone()
        if nieuw is None:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(rol))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(groep), rol))
        if wachtwoord is not None:
            verifier = conn.pgconn.encrypt_password(
                wachtwoord.encode("utf-8"), naam.encode("utf-8"), b"scram-sha-256"
            )
            conn.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    rol, sql.Literal(verifier.decode("ascii"))
                )
            )
    return nieuw is None
