"""Cases that move: a handover to a colleague (`meldcode overdragen`), and a professional's own
SQLite cases copied into the register (`meldcode register importeer`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from meldcode.errors import MeldcodeError
from meldcode.store.records import CaseChain, Casus, EventSoort, NieuwEvent

if TYPE_CHECKING:
    from meldcode.store.interface import CaseStore
    from meldcode.store.postgres import PostgresStore

# The chain event of a handover: antwoord {"aan": role, "medelezer": bool}, toelichting = reason.
OVERDRACHT: EventSoort = "overdracht"


class NotAProfessional(MeldcodeError):
    """The handover's receiver is no professional of the register (exit 2)."""

    def __init__(self, aan: str) -> None:
        super().__init__(
            f"'{aan}' is geen professional in het register (of bent u het zelf); de casus is "
            "niet overgedragen. Kies de gebruikersnaam van een collega, of vraag de beheerder "
            "die aan te maken met 'meldcode register gebruiker'."
        )


class NotInRegister(MeldcodeError):
    """`overdragen` on the local SQLite store (exit 2: wrong use)."""

    def __init__(self) -> None:
        super().__init__(
            "Overdragen kan alleen in een gedeeld register (MELDCODE_DATABASE wijst naar "
            "PostgreSQL); uw casussen staan in de eigen opslag op deze computer. Zie "
            "docs/register.md, of exporteer de casus voor uw collega met 'meldcode exporteer'."
        )


def handover(store: PostgresStore, casus_id: str, *, aan: str, reden: str, medelezer: bool) -> None:
    """Give the case to `aan`: the chain event and the change of owner in one transaction.

    The database checks that this role owns the case and that `aan` is another professional.
    """
    import psycopg

    from meldcode.store.postgres_admin import InvalidRoleName, check_role_name

    try:
        check_role_name(aan)
    except InvalidRoleName:
        raise NotAProfessional(aan) from None
    store.lock(casus_id)
    try:
        casus = store.get(casus_id)
        with store.errors(), store.conn.transaction():
            nieuw = NieuwEvent(
                soort=OVERDRACHT, antwoord={"aan": aan, "medelezer": medelezer}, toelichting=reden
            )
            store.append(casus, nieuw)
            try:
                with store.conn.transaction():
                    store.conn.execute(
                        "SELECT meldcode.overdragen(%s, %s, %s)", (casus_id, aan, medelezer)
                    )
            except psycopg.errors.InvalidParameterValue:
                raise NotAProfessional(aan) from None
    finally:
        store.unlock(casus_id)


@dataclass
class Verhuizing:
    """What `register importeer` did, per case id."""

    gekopieerd: list[str] = field(default_factory=list)
    al_aanwezig: list[str] = field(default_factory=list)  # the same chain head: nothing to do
    geweigerd: list[tuple[str, str]] = field(default_factory=list)  # (id, why), in Dutch


def import_cases(bron: CaseStore, doel: PostgresStore) -> Verhuizing:
    """Copy every intact real case of `bron` into the register, byte for byte; chains are
    verified before (a broken one is refused) and after (in the register)."""
    from meldcode.store.integrity import verify

    result = Verhuizing()
    kapot = {b.casus_id: b.wat for b in verify(bron).breuken}
    for keten in bron.chains():
        casus = keten.casus
        if casus is None or casus.oefening:
            continue
        if casus.id in kapot:
            result.geweigerd.append((casus.id, f"de keten klopt niet: {kapot[casus.id]}"))
        elif (al := _present(doel, casus.id)) is not None:
            if al == (casus.laatste_hash, casus.aantal_events):
                result.al_aanwezig.append(casus.id)
            else:
                waarom = "staat al in het register, met een andere keten"
                result.geweigerd.append((casus.id, waarom))
        elif _copy(doel, keten, casus):
            result.gekopieerd.append(casus.id)
        else:
            result.geweigerd.append((casus.id, "het id is in het register al in gebruik"))
    if result.gekopieerd:
        nieuw = set(result.gekopieerd)
        for b in verify(doel).breuken:
            if b.casus_id in nieuw:
                waarom = f"na het kopiëren klopt de keten niet: {b.wat}"
                result.geweigerd.append((b.casus_id, waarom))
    return result


def _present(doel: PostgresStore, casus_id: str) -> tuple[str, int] | None:
    rows = doel.rows(
        "SELECT laatste_hash, aantal_events FROM meldcode.casussen WHERE id = %s", (casus_id,)
    )
    return (rows[0][0], rows[0][1]) if rows else None


def _copy(doel: PostgresStore, keten: CaseChain, casus: Casus) -> bool:
    """One case with its events and a "bestaand" register entry, in one transaction; False
    when the id is taken by a case this role cannot see."""
    import psycopg

    from meldcode.store.postgres_queries import CASE_COLUMNS, EVENT_COLUMNS
    from meldcode.store.tables import event_to_row

    waarden: list[Any] = [getattr(casus, k) for k in Casus.__dataclass_fields__]
    plaats = ", ".join(["%s"] * len(waarden))
    with doel.errors():
        try:
            with doel.conn.transaction():
                doel.conn.execute(
                    f"INSERT INTO meldcode.casussen ({CASE_COLUMNS}) VALUES ({plaats})", waarden
                )
                with doel.conn.cursor() as cur:
                    cur.executemany(
                        f"INSERT INTO meldcode.events (casus_id, {EVENT_COLUMNS})"
                        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        [event_to_row(casus.id, e) for e in keten.events],
                    )
                doel.conn.execute(
                    "SELECT meldcode.registreer(%s, 'bestaand', %s, %s)",
                    (casus.id, casus.laatste_hash, casus.aantal_events),
                )
        except psycopg.errors.UniqueViolation:
            return False
    return True
