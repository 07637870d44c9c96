"""Connecting to the shared register on PostgreSQL, and its errors in Dutch (issue 15).

The address comes from `MELDCODE_DATABASE` (`postgresql://…` or `key=value` pairs);
credentials from libpq's own mechanisms (PGPASSFILE, a service file, PG* variables), never from
argv. No message shows the address's password or a traceback: only host, port and database.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from meldcode.errors import MeldcodeError, StoreError

ENV = "MELDCODE_DATABASE"
CONNECT_TIMEOUT_S = 10
_STIL = logging.NullHandler()


def database_url() -> str | None:
    """The register's address when MELDCODE_DATABASE names a PostgreSQL database, else None."""
    url = os.environ.get(ENV, "").strip()
    return url or None


class DriverMissing(StoreError):
    """MELDCODE_DATABASE is set but psycopg is not installed (exit 3: the store is
    unreachable from this installation; nothing was read or changed)."""

    def __init__(self) -> None:
        super().__init__(
            f"{ENV} wijst naar een gedeeld register op PostgreSQL, maar het onderdeel dat "
            "meldcode daarvoor nodig heeft (psycopg) is hier niet geïnstalleerd; er is niets "
            "gelezen of gewijzigd. Installeer het met pip install 'meldcode[postgresql]' (of "
            f"vraag uw beheerder), of maak {ENV} leeg om de eigen opslag op deze computer te "
            "gebruiken."
        )


class InvalidDatabaseUrl(MeldcodeError):
    """MELDCODE_DATABASE cannot be read as a libpq address (exit 2: wrong input)."""

    def __init__(self) -> None:
        super().__init__(
            f"De waarde van {ENV} is geen geldig adres van een PostgreSQL-database. Gebruik de "
            "vorm postgresql://gebruiker@server/database (zet het wachtwoord in een "
            "wachtwoordbestand, PGPASSFILE, niet in het adres); zie docs/register.md."
        )


class RegisterUnreachable(StoreError):
    """The server cannot be reached or refuses us (exit 3)."""

    def __init__(self, *, waar: str, reden: str) -> None:
        self.waar = waar
        super().__init__(
            f"Het gedeelde register ({waar}) is niet bereikbaar: {reden}. Er is niets "
            "gewijzigd; wat al was vastgelegd, blijft bewaard. Probeer het later opnieuw of "
            "vraag uw beheerder de verbinding na te kijken (zie docs/register.md)."
        )


class RegisterNotReady(StoreError):
    """The database has no (current) register schema (exit 3)."""

    def __init__(self, *, waar: str, versie: int, nodig: int) -> None:
        wat = (
            "is nog niet ingericht"
            if versie == 0
            else (
                f"heeft schemaversie {versie}, deze meldcode verwacht {nodig}"
                if versie < nodig
                else f"is bijgewerkt door een nieuwere meldcode (schemaversie {versie})"
            )
        )
        actie = (
            "Werk meldcode bij tot de versie van het register."
            if versie > nodig
            else "Vraag de beheerder 'meldcode register init' uit te voeren."
        )
        super().__init__(f"Het gedeelde register ({waar}) {wat}; er is niets gewijzigd. {actie}")


class NoRegisterAccess(StoreError):
    """The role may not do this (a permission refused by the database, exit 3)."""

    def __init__(self, *, waar: str) -> None:
        super().__init__(
            f"Het gedeelde register ({waar}) weigert dit voor uw databaserol; er is niets "
            "gewijzigd. Een professional ziet alleen de eigen en overgedragen casussen, een "
            "coördinator alleen de overzichten. Vraag de beheerder om toegang met 'meldcode "
            "register gebruiker'."
        )


def describe(url: str) -> str:
    """Where the register is, for messages: database, host and port; never user or password."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(url)
    except Exception:  # any unreadable address: name nothing of it
        return "database onbekend"
    db = str(parts.get("dbname") or os.environ.get("PGDATABASE") or "standaard")
    host = str(parts.get("host") or os.environ.get("PGHOST") or "localhost")
    if host.startswith("/"):
        host = "lokale socket"
    port = str(parts.get("port") or os.environ.get("PGPORT") or "5432")
    return f"database {db} op {host}:{port}"


def connect(url: str, *, autocommit: bool = False) -> Any:
    """A psycopg connection to the register; DriverMissing, InvalidDatabaseUrl or
    RegisterUnreachable (exit 3) if there is none to be had."""
    try:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        raise DriverMissing from None
    try:
        conninfo_to_dict(url)
    except psycopg.Error:
        raise InvalidDatabaseUrl from None
    # psycopg's own warnings (English, naming its objects, e.g. on a connection lost in a
    # pipeline) never reach the terminal: the StoreError raised says what happened.
    logging.getLogger("psycopg").addHandler(_STIL)
    try:
        return psycopg.connect(
            url,
            autocommit=autocommit,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="meldcode",
        )
    except psycopg.Error as e:
        raise store_error(e, url) from None


def pipeline_supported() -> bool:
    """Whether this psycopg's libpq can send statements without waiting for each answer
    (pipeline mode: libpq 14 or newer)."""
    import psycopg

    return bool(psycopg.Pipeline.is_supported())


# Why a connection failed: (SQLSTATEs, words in libpq's message, the reason in Dutch).
_REDENEN: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (
        ("28P01", "28000"),
        ("password", "authentication"),
        "de server weigert de aanmelding (gebruikersnaam, wachtwoord of toegangsregel)",
    ),
    (("3D000",), ("does not exist",), "de database bestaat niet op die server"),
    (
        (),
        ("certificate", "ssl"),
        "de beveiligde verbinding (TLS) kon niet worden opgezet of gecontroleerd",
    ),
    ((), ("timeout", "timed out"), "de server antwoordt niet binnen de tijd"),
    (
        ("57P01", "57P02", "57P03"),
        ("shutting down", "starting up", "terminating connection"),
        "de server is aan het stoppen of starten",
    ),
    ((), ("translate host name", "not known"), "de servernaam is onbekend"),
)


def reason(e: Exception) -> str:
    """Why a connection failed, in Dutch, from its SQLSTATE or libpq's message (never quoted:
    it may name the user)."""
    state = getattr(e, "sqlstate", None) or ""
    tekst = str(e).lower()
    for states, woorden, uitleg in _REDENEN:
        if state in states or any(w in tekst for w in woorden):
            return uitleg
    return "er antwoordt geen server op dat adres, of de verbinding is verbroken"


def store_error(e: Exception, url: str) -> StoreError:
    """The StoreError for a psycopg error at connect or during use (the server went away, a
    refused right)."""
    state = getattr(e, "sqlstate", None) or ""
    # At the door libpq gives no SQLSTATE, only the server's words (no CONNECT on the database).
    if state == "42501" or "permission denied for database" in str(e).lower():
        return NoRegisterAccess(waar=describe(url))
    return RegisterUnreachable(waar=describe(url), reden=reason(e))
