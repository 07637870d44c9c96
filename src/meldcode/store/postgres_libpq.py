"""A read-only session on the register through libpq itself, for the commands that only read
(`lijst`, `statistiek`, `toon`, …; issue 15, benchmarks/README.md).

`import psycopg` loads its whole package (adapters, async classes, asyncio): 60–100 ms of a
command's start-up, more than the budget of `lijst` leaves. The library that does the work is
libpq, which psycopg itself calls; loaded with ctypes it costs about 10 ms. So a session opened
with `lezen=True` talks to libpq directly, through the few calls below:

- the same libpq psycopg uses (the copy psycopg-binary ships, else the system's `libpq.so.5`),
  found without importing psycopg; when there is none, the store falls back to psycopg;
- the same connection: the address is libpq's (credentials from PGPASSFILE, a service file,
  PG* variables), with the same connect_timeout and application_name as postgres_connect.py;
- the same queries, with psycopg's `%s` placeholders, values sent as text and typed by the
  server; rows come back as Python values for the types the store reads (text, integers,
  booleans; anything else as text);
- its errors carry libpq's SQLSTATE and message, and become the same Dutch messages
  (postgres_connect.store_error): never the address's password or a traceback.

Writing stays with psycopg (transactions, advisory locks, handovers, the import).
"""

from __future__ import annotations

import ctypes
import importlib.util
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_OK, _COMMAND_OK, _TUPLES_OK = 0, 1, 2  # CONNECTION_OK, PGRES_COMMAND_OK, PGRES_TUPLES_OK
_SQLSTATE = ord("C")  # PG_DIAG_SQLSTATE
_BOOL, _INTEGERS = 16, frozenset({20, 21, 23, 26})  # type oids: bool; int8, int2, int4, oid
_PLACEHOLDER = re.compile(r"%%|%s")


class LibpqError(Exception):
    """A failed connection or query: libpq's SQLSTATE (None for a connection) and message."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class _Option(ctypes.Structure):
    _fields_ = [
        ("keyword", ctypes.c_char_p),
        ("envvar", ctypes.c_char_p),
        ("compiled", ctypes.c_char_p),
        ("val", ctypes.c_char_p),
        ("label", ctypes.c_char_p),
        ("dispchar", ctypes.c_char_p),
        ("dispsize", ctypes.c_int),
    ]


def _candidates() -> Iterator[str]:
    """Where the libpq psycopg would use is: psycopg-binary's copy, else the system's."""
    spec = importlib.util.find_spec("psycopg_binary")
    if spec is not None and spec.origin:
        pakket = Path(spec.origin).parent
        for patroon in ("libpq*.so*", "libpq*.dylib"):
            for folder in (pakket.parent / "psycopg_binary.libs", pakket / ".dylibs"):
                yield from (str(p) for p in sorted(folder.glob(patroon)))
    yield from ("libpq.so.5", "libpq.5.dylib")


def _declare(lib: Any) -> Any:
    p, s, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    for naam, res, args in (
        ("PQconnectdbParams", p, [ctypes.POINTER(s), ctypes.POINTER(s), i]),
        ("PQstatus", i, [p]),
        ("PQerrorMessage", s, [p]),
        ("PQfinish", None, [p]),
        ("PQexecParams", p, [p, s, i, p, ctypes.POINTER(s), p, p, i]),
        ("PQresultStatus", i, [p]),
        ("PQresultErrorField", s, [p, i]),
        ("PQresultErrorMessage", s, [p]),
        ("PQntuples", i, [p]),
        ("PQnfields", i, [p]),
        ("PQftype", ctypes.c_uint, [p, i]),
        ("PQgetisnull", i, [p, i, i]),
        ("PQgetvalue", s, [p, i, i]),
        ("PQclear", None, [p]),
        ("PQconninfoParse", ctypes.POINTER(_Option), [s, ctypes.POINTER(ctypes.c_void_p)]),
        ("PQconninfoFree", None, [ctypes.POINTER(_Option)]),
        ("PQfreemem", None, [p]),
    ):
        f = getattr(lib, naam)
        f.restype, f.argtypes = res, args
    return lib


_lib: list[Any] = []  # the loaded library, once looked for: [lib] or [None]


def libpq() -> Any:
    """libpq, loaded once; None when psycopg is not installed or no libpq can be loaded."""
    if not _lib:
        gevonden = None
        if importlib.util.find_spec("psycopg") is not None:
            for pad in _candidates():
                try:
                    gevonden = _declare(ctypes.CDLL(pad))
                    break
                except (OSError, AttributeError):
                    continue
        _lib.append(gevonden)
    return _lib[0]


def loaded() -> bool:
    """Whether libpq was loaded here already (a read-only session is open or was)."""
    return bool(_lib) and _lib[0] is not None


def parse(url: str) -> dict[str, str] | None:
    """The address's settings as libpq reads them; None if it cannot be read."""
    lib = libpq()
    fout = ctypes.c_void_p()
    opties = lib.PQconninfoParse(url.encode("utf-8"), ctypes.byref(fout))
    if fout.value:
        lib.PQfreemem(fout)
    if not opties:
        return None
    try:
        result: dict[str, str] = {}
        n = 0
        while opties[n].keyword is not None:
            if opties[n].val is not None:
                result[opties[n].keyword.decode()] = opties[n].val.decode("utf-8", "replace")
            n += 1
        return result
    finally:
        lib.PQconninfoFree(opties)


def _text(value: Any) -> bytes | None:
    """A query value as text for the server (which types it from the query)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return b"t" if value else b"f"
    if isinstance(value, int | str):
        return str(value).encode("utf-8")
    if isinstance(value, list | tuple):  # an array of texts, as `= ANY(%s)` takes it
        items = (str(v).replace("\\", "\\\\").replace('"', '\\"') for v in value)
        return ("{" + ",".join(f'"{v}"' for v in items) + "}").encode("utf-8")
    raise TypeError(f"no text form for {type(value).__name__}")


def _value(raw: bytes, oid: int) -> Any:
    if oid == _BOOL:
        return raw == b"t"
    if oid in _INTEGERS:
        return int(raw)
    return raw.decode("utf-8")


class Rows:
    """A query's result, as psycopg's cursor offers it to the store."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None


class Connection:
    """One libpq session; `execute` runs one statement (autocommit, as the store's psycopg
    connection)."""

    def __init__(self, url: str, *, timeout_s: int, application_name: str) -> None:
        self._lib = libpq()
        sleutels: list[bytes | None] = [b"dbname", b"connect_timeout", b"application_name"]
        waarden: list[bytes | None] = [
            url.encode(),
            str(timeout_s).encode(),
            application_name.encode(),
        ]
        sleutels += [b"client_encoding", None]
        waarden += [b"UTF8", None]
        self._pg = self._lib.PQconnectdbParams(
            (ctypes.c_char_p * 5)(*sleutels), (ctypes.c_char_p * 5)(*waarden), 1
        )
        if self._lib.PQstatus(self._pg) != _OK:
            bericht = (self._lib.PQerrorMessage(self._pg) or b"").decode("utf-8", "replace")
            self.close()
            raise LibpqError(bericht)

    @property
    def closed(self) -> bool:
        return self._pg is None

    def close(self) -> None:
        if self._pg is not None:
            self._lib.PQfinish(self._pg)
            self._pg = None

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Rows:
        if self._pg is None:
            raise LibpqError("the connection is closed")
        nummers = iter(range(1, len(args) + 1))
        tekst = _PLACEHOLDER.sub(lambda m: "%" if m[0] == "%%" else f"${next(nummers)}", sql)
        waarden = (ctypes.c_char_p * max(1, len(args)))(*[_text(a) for a in args])
        res = self._lib.PQexecParams(
            self._pg, tekst.encode("utf-8"), len(args), None, waarden, None, None, 0
        )
        try:
            status = self._lib.PQresultStatus(res) if res else -1
            if status not in (_COMMAND_OK, _TUPLES_OK):
                raise self._error(res)
            return Rows(self._rows(res) if status == _TUPLES_OK else [])
        finally:
            if res:
                self._lib.PQclear(res)

    def _rows(self, res: Any) -> list[tuple[Any, ...]]:
        lib = self._lib
        kolommen = [lib.PQftype(res, k) for k in range(lib.PQnfields(res))]
        return [
            tuple(
                None if lib.PQgetisnull(res, r, k) else _value(lib.PQgetvalue(res, r, k), oid)
                for k, oid in enumerate(kolommen)
            )
            for r in range(lib.PQntuples(res))
        ]

    def _error(self, res: Any) -> LibpqError:
        if not res:
            bericht = self._lib.PQerrorMessage(self._pg) or b""
            return LibpqError(bericht.decode("utf-8", "replace"))
        state = self._lib.PQresultErrorField(res, _SQLSTATE)
        bericht = self._lib.PQresultErrorMessage(res) or b""
        return LibpqError(bericht.decode("utf-8", "replace"), state.decode() if state else None)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A transaction, as psycopg's (only reading is done through this connection)."""
        self.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")
