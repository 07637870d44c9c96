"""`meldcode register …`: the administrator's commands for the shared register on PostgreSQL
(issue 15, docs/register.md). The register's address is MELDCODE_DATABASE; the administrator
logs in with libpq's own means (PGPASSFILE, a service file), never a password on the command line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from meldcode.errors import MeldcodeError, StoreError


class NoDatabaseUrl(MeldcodeError):
    """`register …` without MELDCODE_DATABASE (exit 2: wrong use)."""

    def __init__(self) -> None:
        super().__init__(
            "Zet eerst MELDCODE_DATABASE op het adres van de PostgreSQL-database van het "
            "register, bijvoorbeeld postgresql://beheerder@dbserver/meldcode (het wachtwoord in "
            "een wachtwoordbestand, PGPASSFILE; zie docs/register.md)."
        )


class NoAdminRights(StoreError):
    """The administrator's role may not set up roles or the schema (exit 3)."""

    def __init__(self, waar: str) -> None:
        super().__init__(
            f"Het register ({waar}) weigert het inrichten voor deze databaserol; er is niets "
            "gewijzigd. Meld u aan als een superuser, of als een rol met CREATEROLE die eigenaar "
            "is van de database (zie docs/register.md)."
        )


class PasswordMismatch(MeldcodeError):
    """The two typed passwords differ (exit 2)."""

    def __init__(self) -> None:
        super().__init__(
            "De twee wachtwoorden zijn niet gelijk; er is niets gewijzigd. Probeer het opnieuw."
        )


def _admin_connection() -> tuple[Any, str]:
    from meldcode.store.postgres_connect import connect, database_url

    url = database_url()
    if url is None:
        raise NoDatabaseUrl
    return connect(url), url


def _admin(action: Any) -> Any:
    """Run `action(conn)` as the administrator; psycopg errors become Dutch StoreErrors."""
    conn, url = _admin_connection()  # DriverMissing first, when psycopg is not installed
    import psycopg

    from meldcode.store.postgres_connect import describe, store_error

    try:
        return action(conn)
    except psycopg.errors.InsufficientPrivilege:
        raise NoAdminRights(describe(url)) from None
    except psycopg.Error as e:
        raise store_error(e, url) from None
    finally:
        conn.close()


def init(
    eindverantwoordelijke: Annotated[
        str | None,
        typer.Option(
            "--eindverantwoordelijke",
            metavar="TEKST",
            help="Wie eindverantwoordelijk is voor de meldcode (naam of functie); elke nieuwe "
            "casus noemt die.",
        ),
    ] = None,
) -> None:
    """Richt het register in of werk het bij: schema, rollen en rechten (veilig te herhalen)."""
    from meldcode.store.postgres_admin import init_register
    from meldcode.store.postgres_connect import database_url, describe

    naam = eindverantwoordelijke.strip() if eindverantwoordelijke else None
    result = _admin(lambda conn: init_register(conn, eindverantwoordelijke=naam))
    if result.eindverantwoordelijke is None and sys.stdin.isatty():
        # Asked once: the first set-up without the option.
        gevraagd = input(
            "Wie is in uw organisatie eindverantwoordelijk voor de meldcode (naam of functie)? "
        ).strip()
        if gevraagd:
            result = _admin(lambda conn: init_register(conn, eindverantwoordelijke=gevraagd))
    waar = describe(database_url() or "")
    if result.van == result.naar:
        typer.echo(f"Het register ({waar}) was al bij: schemaversie {result.naar}.")
    else:
        typer.echo(
            f"Het register ({waar}) staat klaar: schemaversie {result.naar}"
            + (f" (was {result.van})." if result.van else ".")
            + " Voeg gebruikers toe met 'meldcode register gebruiker NAAM'."
        )
    if result.eindverantwoordelijke is None:
        typer.echo(
            "Er is nog geen eindverantwoordelijke vastgelegd; doe dat met 'meldcode register "
            'init --eindverantwoordelijke "naam of functie"\'.'
        )
    else:
        typer.echo(f"Eindverantwoordelijke: {result.eindverantwoordelijke}.")


def gebruiker(
    naam: Annotated[
        str,
        typer.Argument(metavar="NAAM", help="De gebruikersnaam (databaserol), bijv. j_devries."),
    ],
    coordinator: Annotated[
        bool,
        typer.Option(
            "--coordinator",
            help="Een coördinator: ziet alleen aantallen en termijnen, nooit de inhoud.",
        ),
    ] = False,
    wachtwoord: Annotated[
        bool,
        typer.Option(
            "--wachtwoord",
            help="Stel een wachtwoord in (gevraagd, of één regel van stdin; nooit als argument).",
        ),
    ] = False,
) -> None:
    """Maak een professional (of coördinator) aan in het register, of geef een rol toegang."""
    from meldcode.store.postgres_admin import add_user, check_role_name

    check_role_name(naam)
    geheim = _read_password() if wachtwoord else None
    nieuw = _admin(
        lambda conn: add_user(conn, naam, coordinator=coordinator, wachtwoord=geheim)
    )
    rol = "coördinator" if coordinator else "professional"
    hoe = (
        ""
        if geheim or not nieuw
        else " Stel de aanmelding in (wachtwoord met --wachtwoord, of certificaat) zoals "
        "docs/register.md beschrijft."
    )
    wat = "aangemaakt" if nieuw else "bijgewerkt"
    typer.echo(f"Gebruiker {naam} is {wat}: {rol} in het register.{hoe}")


def _read_password() -> str:
    """A new password: asked twice without echo on a terminal, else one line of stdin."""
    if sys.stdin.isatty():
        import getpass

        eerste = getpass.getpass("Nieuw wachtwoord: ")
        if eerste != getpass.getpass("Nogmaals: "):
            raise PasswordMismatch
        return eerste
    return sys.stdin.readline().rstrip("\r\n")


class NoSourceStore(MeldcodeError):
    """`register importeer` of a file that is no store (exit 2)."""

    def __init__(self, pad: str) -> None:
        super().__init__(
            f"Er is geen meldcode-opslag in {pad}; er is niets geïmporteerd. Geef het pad van "
            "uw meldcode.db (standaard in uw gegevensmap, zie MELDCODE_HOME)."
        )


class EmptyReason(MeldcodeError):
    """`overdragen --reden ''` (exit 2)."""

    def __init__(self) -> None:
        super().__init__(
            "Geef bij het overdragen een reden met --reden (bijvoorbeeld 'verlof' of 'andere "
            "school'); die komt in het logboek van de casus. Er is niets overgedragen."
        )


def _register_store() -> Any:
    """The register as the user's own role (MELDCODE_DATABASE), or NotInRegister."""
    from meldcode.store.postgres_connect import database_url
    from meldcode.store.postgres_moves import NotInRegister

    url = database_url()
    if url is None or not url.lower().startswith(("postgresql:", "postgres:")):
        raise NotInRegister
    from meldcode.store.postgres import PostgresStore

    return PostgresStore(url)


def overdragen(
    casus_id: Annotated[
        str, typer.Argument(metavar="ID", help="Het id van de casus, bijv. mc-k7q3-x9p2.")
    ],
    aan: Annotated[
        str, typer.Option("--aan", metavar="ROL", help="De gebruikersnaam van de collega.")
    ],
    reden: Annotated[
        str, typer.Option("--reden", metavar="TEKST", help="Waarom; komt in het logboek.")
    ],
    medelezer: Annotated[
        bool,
        typer.Option("--blijf-medelezer", help="Blijf de casus lezen (niet meer wijzigen)."),
    ] = False,
) -> None:
    """Draag een casus over aan een collega in het gedeelde register (een gebeurtenis in het
    logboek); u verliest de toegang, tenzij u medelezer blijft."""
    from meldcode.store.postgres_moves import handover

    if not reden.strip():
        raise EmptyReason
    store = _register_store()
    try:
        handover(store, casus_id, aan=aan, reden=reden.strip(), medelezer=medelezer)
    finally:
        store.close()
    blijft = " U blijft medelezer." if medelezer else " U hebt er geen toegang meer toe."
    typer.echo(f"Casus {casus_id} is overgedragen aan {aan}.{blijft}")


def importeer(
    pad: Annotated[
        Path | None,
        typer.Argument(
            metavar="PAD", help="De eigen opslag (standaard: meldcode.db in de gegevensmap)."
        ),
    ] = None,
) -> None:
    """Kopieer uw eigen casussen (SQLite) naar het register; elke keten wordt vóór en na
    gecontroleerd, een gebroken keten geweigerd. Een tweede keer kopieert niets."""
    from meldcode.commands.home import data_dir
    from meldcode.commands.output import err
    from meldcode.store.postgres_moves import import_cases
    from meldcode.store.sqlite import open_sqlite

    bron_pad = pad or data_dir() / "meldcode.db"
    if not bron_pad.is_file():
        raise NoSourceStore(str(bron_pad))
    doel = _register_store()
    try:
        bron = open_sqlite(bron_pad, lezen=True)
        try:
            result = import_cases(bron, doel)
        finally:
            bron.close()
    finally:
        doel.close()
    for casus_id, waarom in result.geweigerd:
        err(f"Casus {casus_id} is niet gekopieerd: {waarom}.")
    typer.echo(
        f"{len(result.gekopieerd)} casussen gekopieerd naar het register, "
        f"{len(result.al_aanwezig)} stonden er al in, {len(result.geweigerd)} geweigerd."
    )
    if result.geweigerd:
        raise typer.Exit(2)


def termijnen(
    json_uit: Annotated[
        bool, typer.Option("--json", help="Uitvoer als JSON, voor scripts.")
    ] = False,
) -> None:
    """Voor de coördinator: de openstaande vervolgstappen van de hele organisatie (casus-id,
    van wie, wat, vanaf welke datum); nooit de inhoud."""
    import json

    store = _register_store()
    try:
        rijen = store.termijnen()
    finally:
        store.close()
    if json_uit:
        sleutels = ("casus", "eigenaar", "soort", "datum")
        typer.echo(json.dumps([dict(zip(sleutels, r, strict=True)) for r in rijen], indent=2))
        return
    if not rijen:
        typer.echo("Er staan geen vervolgstappen open.")
    for casus_id, eigenaar, soort, datum in rijen:
        typer.echo(f"{casus_id}  {eigenaar:<20}  {soort:<15}  {datum}")
