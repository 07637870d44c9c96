"""The shared register's PostgreSQL schema: tables, row-level security, the coordinator's views,
the roles and their grants, and the forward migrations (issue 15, docs/register.md).

Every rule is the database's own, not a filter in Python:
- each professional is a login role in `meldcode_professional`; row-level security (forced, so
  the tables' owner obeys it too) lets them read and write only the cases they own, and read
  those handed to them as co-reader (`medelezers`);
- a coordinator (a login role in `meldcode_coordinator`) has no right on any table: only on the
  aggregate views below, which hold counts and due dates, never a label, answer or free text;
- `meldcode_systeem` (no login) owns the tables and views; the views and the two SECURITY
  DEFINER functions (register entry, handover) run with its rights.
"""

from __future__ import annotations

from typing import Any

from meldcode.store.postgres_counts import MIGRATION_2
from meldcode.store.postgres_queries import OVERZICHT

# 1: tables, row-level security, views; 2: counters kept by the database (postgres_counts.py).
SCHEMA_VERSION = 2

SYSTEEM = "meldcode_systeem"
PROFESSIONAL = "meldcode_professional"
COORDINATOR = "meldcode_coordinator"
GROEPSROLLEN = (SYSTEEM, PROFESSIONAL, COORDINATOR)

# The coordinator's views: nothing in them names a client or says what was answered.
VIEWS = (
    "telling", "gestart_per_maand", "uitkomst_per_maand", "doorlooptijd", "termijnen", "overzicht",
)  # fmt: skip

_TABELLEN = """
CREATE TABLE meldcode.schema_versie (versie integer NOT NULL);
INSERT INTO meldcode.schema_versie VALUES (0);

CREATE TABLE meldcode.casussen (
    id text PRIMARY KEY CHECK (id ~ '^[!-~]{1,64}$'),
    sector text NOT NULL,
    status text NOT NULL,
    label text,
    oefening boolean NOT NULL DEFAULT false,
    aangemaakt text NOT NULL,
    bijgewerkt text NOT NULL,
    uitkomst_id text,
    uitkomst_reden text,
    meldnorm integer,
    uitkomst_tijd text,
    evaluatiedatum text,
    flow_versie text NOT NULL,
    flow_hash text NOT NULL,
    laatste_hash text NOT NULL,
    aantal_events integer NOT NULL DEFAULT 0,
    vervolg_open text,
    eigenaar name NOT NULL DEFAULT current_user,
    eindverantwoordelijke text,
    -- The texts above as instants (set by a trigger), for ordering and durations.
    moment timestamptz NOT NULL,
    uitkomst_moment timestamptz,
    volgorde bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX casussen_eigenaar ON meldcode.casussen (eigenaar, moment DESC, volgorde DESC);
CREATE INDEX casussen_lijst ON meldcode.casussen (moment DESC, volgorde DESC);
CREATE INDEX casussen_status ON meldcode.casussen (status, sector);
CREATE INDEX casussen_evaluatie ON meldcode.casussen (evaluatiedatum)
    WHERE evaluatiedatum IS NOT NULL;
CREATE INDEX casussen_vervolg_open ON meldcode.casussen (vervolg_open)
    WHERE vervolg_open IS NOT NULL;

-- The organisation's eindverantwoordelijke (Besluit verplichte meldcode, art. 2): set once
-- by `register init`, named in each case made after that (it stays with the case).
CREATE TABLE meldcode.organisatie (eindverantwoordelijke text);
INSERT INTO meldcode.organisatie VALUES (NULL);

CREATE FUNCTION meldcode.momenten() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.eindverantwoordelijke IS NULL THEN
        NEW.eindverantwoordelijke := (SELECT eindverantwoordelijke FROM meldcode.organisatie);
    END IF;
    NEW.moment := NEW.aangemaakt::timestamptz;
    NEW.uitkomst_moment := NEW.uitkomst_tijd::timestamptz;
    RETURN NEW;
END $$;
CREATE TRIGGER casussen_momenten BEFORE INSERT OR UPDATE ON meldcode.casussen
    FOR EACH ROW EXECUTE FUNCTION meldcode.momenten();

CREATE TABLE meldcode.events (
    casus_id text NOT NULL REFERENCES meldcode.casussen (id) ON DELETE CASCADE,
    volgnummer integer NOT NULL,
    tijd text NOT NULL,
    soort text NOT NULL,
    stap text,
    vraag text,
    antwoord text,
    toelichting text,
    vorige_hash text NOT NULL,
    hash text NOT NULL,
    PRIMARY KEY (casus_id, volgnummer)
);

-- The register: a chain over the case heads as SQLite's `register` table, one chain per role
-- (`eigenaar`: whose transactions it records), so that each professional can verify a whole
-- chain while seeing only their own cases. Written only through meldcode.registreer();
-- `nummer` orders the entries of one case across chains (after a handover).
CREATE TABLE meldcode.register (
    eigenaar name NOT NULL DEFAULT session_user,
    volgnummer bigint NOT NULL,
    casus_id text NOT NULL,
    soort text NOT NULL,
    kop text NOT NULL,
    aantal integer NOT NULL,
    vorige_hash text NOT NULL,
    hash text NOT NULL,
    nummer bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (eigenaar, volgnummer)
);
CREATE INDEX register_casus ON meldcode.register (casus_id, nummer);

-- Handovers: who gave which case to whom, and when (the reason is in the case's chain).
CREATE TABLE meldcode.overdrachten (
    nummer bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    casus_id text NOT NULL REFERENCES meldcode.casussen (id) ON DELETE CASCADE,
    tijd timestamptz NOT NULL DEFAULT now(),
    van name NOT NULL,
    aan name NOT NULL,
    van_blijft_lezer boolean NOT NULL
);
CREATE TABLE meldcode.medelezers (
    casus_id text NOT NULL REFERENCES meldcode.casussen (id) ON DELETE CASCADE,
    rol name NOT NULL,
    PRIMARY KEY (casus_id, rol)
);
"""

_BEVEILIGING = """
ALTER TABLE meldcode.casussen ENABLE ROW LEVEL SECURITY;
ALTER TABLE meldcode.casussen FORCE ROW LEVEL SECURITY;
ALTER TABLE meldcode.events ENABLE ROW LEVEL SECURITY;
ALTER TABLE meldcode.events FORCE ROW LEVEL SECURITY;
ALTER TABLE meldcode.register ENABLE ROW LEVEL SECURITY;
ALTER TABLE meldcode.register FORCE ROW LEVEL SECURITY;
ALTER TABLE meldcode.overdrachten ENABLE ROW LEVEL SECURITY;
ALTER TABLE meldcode.overdrachten FORCE ROW LEVEL SECURITY;
ALTER TABLE meldcode.medelezers ENABLE ROW LEVEL SECURITY;
ALTER TABLE meldcode.medelezers FORCE ROW LEVEL SECURITY;

CREATE POLICY systeem ON meldcode.casussen TO meldcode_systeem USING (true) WITH CHECK (true);
CREATE POLICY systeem ON meldcode.events TO meldcode_systeem USING (true) WITH CHECK (true);
CREATE POLICY systeem ON meldcode.register TO meldcode_systeem USING (true) WITH CHECK (true);
CREATE POLICY systeem ON meldcode.overdrachten TO meldcode_systeem
    USING (true) WITH CHECK (true);
CREATE POLICY systeem ON meldcode.medelezers TO meldcode_systeem USING (true) WITH CHECK (true);

CREATE POLICY lezen ON meldcode.medelezers FOR SELECT TO meldcode_professional
    USING (rol = current_user);
CREATE POLICY lezen ON meldcode.casussen FOR SELECT TO meldcode_professional
    USING (eigenaar = current_user OR EXISTS (
        SELECT 1 FROM meldcode.medelezers m WHERE m.casus_id = id AND m.rol = current_user));
CREATE POLICY nieuw ON meldcode.casussen FOR INSERT TO meldcode_professional
    WITH CHECK (eigenaar = current_user);
CREATE POLICY wijzigen ON meldcode.casussen FOR UPDATE TO meldcode_professional
    USING (eigenaar = current_user) WITH CHECK (eigenaar = current_user);
CREATE POLICY verwijderen ON meldcode.casussen FOR DELETE TO meldcode_professional
    USING (eigenaar = current_user);
-- Events follow their case: the subqueries read casussen under its own policies.
CREATE POLICY lezen ON meldcode.events FOR SELECT TO meldcode_professional
    USING (EXISTS (SELECT 1 FROM meldcode.casussen c WHERE c.id = casus_id));
CREATE POLICY nieuw ON meldcode.events FOR INSERT TO meldcode_professional
    WITH CHECK (EXISTS (
        SELECT 1 FROM meldcode.casussen c WHERE c.id = casus_id AND c.eigenaar = current_user));
CREATE POLICY verwijderen ON meldcode.events FOR DELETE TO meldcode_professional
    USING (EXISTS (
        SELECT 1 FROM meldcode.casussen c WHERE c.id = casus_id AND c.eigenaar = current_user));
-- A professional reads their own register chain, and the entries of the cases they can read
-- (verifieer checks those against the cases' chains); handovers of cases they can read or
-- gave away.
CREATE POLICY lezen ON meldcode.register FOR SELECT TO meldcode_professional
    USING (eigenaar = current_user
           OR EXISTS (SELECT 1 FROM meldcode.casussen c WHERE c.id = casus_id));
CREATE POLICY lezen ON meldcode.overdrachten FOR SELECT TO meldcode_professional
    USING (van = current_user
           OR EXISTS (SELECT 1 FROM meldcode.casussen c WHERE c.id = casus_id));
"""

_FUNCTIES = """
-- One entry of the store-wide register, hashed exactly as log.register_hash does (SHA-256 of
-- the compact JSON array; ids, hashes and kinds are printable ASCII, so the bytes agree).
CREATE FUNCTION meldcode.registreer(p_casus text, p_soort text, p_kop text, p_aantal integer)
RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = meldcode, pg_temp AS $$
DECLARE
    n bigint;
    vorige text;
    h text;
BEGIN
    IF p_soort NOT IN ('nieuw', 'bij', 'verwijderd', 'bestaand') THEN
        RAISE EXCEPTION 'onbekende soort' USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM casussen WHERE id = p_casus AND eigenaar = session_user)
       AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
        RAISE EXCEPTION 'geen eigen casus' USING ERRCODE = '42501';
    END IF;
    -- One writer at a time per chain; other roles' chains go on.
    PERFORM pg_advisory_xact_lock(28003, hashtext(session_user));
    SELECT r.volgnummer, r.hash INTO n, vorige FROM register r
        WHERE r.eigenaar = session_user ORDER BY r.volgnummer DESC LIMIT 1;
    IF NOT FOUND THEN
        n := 0;
        vorige := repeat('0', 64);
    END IF;
    h := encode(sha256(convert_to('[' || (n + 1) || ',' || to_json(p_casus)::text || ','
        || to_json(p_soort)::text || ',' || to_json(p_kop)::text || ',' || p_aantal || ','
        || to_json(vorige)::text || ']', 'UTF8')), 'hex');
    INSERT INTO register (eigenaar, volgnummer, casus_id, soort, kop, aantal, vorige_hash, hash)
        VALUES (session_user, n + 1, p_casus, p_soort, p_kop, p_aantal, vorige, h);
    RETURN h;
END $$;

-- A handover: the owner gives the case to another professional (who must be one), optionally
-- staying co-reader. The chain event that records it is written by the caller first.
CREATE FUNCTION meldcode.overdragen(p_casus text, p_aan name, p_blijft_lezer boolean)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = meldcode, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM casussen WHERE id = p_casus AND eigenaar = session_user) THEN
        RAISE EXCEPTION 'geen eigen casus' USING ERRCODE = '42501';
    END IF;
    IF p_aan = session_user OR NOT pg_has_role(p_aan, 'meldcode_professional', 'MEMBER')
       OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_aan AND rolcanlogin) THEN
        RAISE EXCEPTION 'geen professional' USING ERRCODE = '22023';
    END IF;
    UPDATE casussen SET eigenaar = p_aan WHERE id = p_casus;
    DELETE FROM medelezers WHERE casus_id = p_casus AND rol = p_aan;
    INSERT INTO overdrachten (casus_id, van, aan, van_blijft_lezer)
        VALUES (p_casus, session_user, p_aan, p_blijft_lezer);
    IF p_blijft_lezer THEN
        INSERT INTO medelezers VALUES (p_casus, session_user) ON CONFLICT DO NOTHING;
    END IF;
END $$;
"""

# Aggregates only (security_barrier, owned by meldcode_systeem). Practice cases are left out,
# as `statistiek` does.
_VIEWS = """
CREATE VIEW meldcode.telling WITH (security_barrier) AS
    SELECT sector, status, uitkomst_id, uitkomst_reden, meldnorm, count(*) AS aantal
    FROM meldcode.casussen WHERE NOT oefening GROUP BY 1, 2, 3, 4, 5;
CREATE VIEW meldcode.gestart_per_maand WITH (security_barrier) AS
    SELECT left(aangemaakt, 7) AS maand, count(*) AS aantal
    FROM meldcode.casussen WHERE NOT oefening GROUP BY 1;
CREATE VIEW meldcode.uitkomst_per_maand WITH (security_barrier) AS
    SELECT left(uitkomst_tijd, 7) AS maand, count(*) AS aantal
    FROM meldcode.casussen WHERE NOT oefening AND uitkomst_tijd IS NOT NULL GROUP BY 1;
-- Days from start to outcome in tenths, rounded half away from zero (SQLite's round()).
CREATE VIEW meldcode.doorlooptijd WITH (security_barrier) AS
    SELECT round(extract(epoch FROM uitkomst_moment - moment) / 8640)::integer AS tienden,
           count(*) AS aantal
    FROM meldcode.casussen WHERE NOT oefening AND uitkomst_moment IS NOT NULL GROUP BY 1;
-- Due follow-ups: which case, whose, what is due, and the date it is counted from (the
-- evaluation date; the day of the melding for terugkoppeling and leiding).
CREATE VIEW meldcode.termijnen WITH (security_barrier) AS
    SELECT id AS casus_id, eigenaar, 'evaluatie'::text AS soort, evaluatiedatum AS datum
    FROM meldcode.casussen
    WHERE NOT oefening AND status IN ('wacht-op-evaluatie', 'vervolg')
      AND evaluatiedatum IS NOT NULL
    UNION ALL
    SELECT id, eigenaar, vervolg_open, left(uitkomst_tijd, 10)
    FROM meldcode.casussen
    WHERE NOT oefening AND status = 'vervolg' AND vervolg_open IS NOT NULL;
"""

# `statistiek` for the coordinator: the four figures in one scan (postgres_queries.OVERZICHT).
_OVERZICHT = "CREATE VIEW meldcode.overzicht WITH (security_barrier) AS\n" + OVERZICHT + ";\n"

_RECHTEN = """
GRANT USAGE ON SCHEMA meldcode TO meldcode_professional, meldcode_coordinator;
GRANT SELECT ON meldcode.schema_versie, meldcode.organisatie
    TO meldcode_professional, meldcode_coordinator;
GRANT SELECT, INSERT, DELETE ON meldcode.casussen TO meldcode_professional;
-- Only what a walk changes; never the owner, the eindverantwoordelijke or the particulars.
GRANT UPDATE (status, bijgewerkt, uitkomst_id, uitkomst_reden, meldnorm, uitkomst_tijd,
    evaluatiedatum, laatste_hash, aantal_events, vervolg_open)
    ON meldcode.casussen TO meldcode_professional;
GRANT SELECT, INSERT, DELETE ON meldcode.events TO meldcode_professional;
GRANT SELECT ON meldcode.register, meldcode.overdrachten, meldcode.medelezers
    TO meldcode_professional;
REVOKE ALL ON FUNCTION meldcode.registreer(text, text, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldcode.overdragen(text, name, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meldcode.registreer(text, text, text, integer)
    TO meldcode_professional;
GRANT EXECUTE ON FUNCTION meldcode.overdragen(text, name, boolean) TO meldcode_professional;
GRANT SELECT ON meldcode.telling, meldcode.gestart_per_maand, meldcode.uitkomst_per_maand,
    meldcode.doorlooptijd, meldcode.termijnen, meldcode.overzicht TO meldcode_coordinator;
"""

# Version n's statements; each migration runs as meldcode_systeem in one transaction.
# Version 1 stays as it was made: a register of that version is brought up from it.
MIGRATIONS: dict[int, str] = {
    1: "CREATE SCHEMA meldcode;"
    + _TABELLEN
    + _BEVEILIGING
    + _FUNCTIES
    + _VIEWS
    + _OVERZICHT
    + _RECHTEN,
    2: MIGRATION_2,
}


def statements(script: str) -> list[str]:
    """A migration's statements: split on ';' at line ends outside $$ bodies."""
    result: list[str] = []
    current: list[str] = []
    in_body = False
    for line in script.splitlines():
        if line.strip().startswith("--") and not in_body:
            continue
        current.append(line)
        if line.count("$$") % 2:
            in_body = not in_body
        if not in_body and line.rstrip().endswith(";"):
            statement = "\n".join(current).strip().rstrip(";")
            if statement:
                result.append(statement)
            current = []
    return result


def group_roles_sql() -> list[str]:
    """Create the group roles that are missing (roles belong to the server, not the database)."""
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{rol}') THEN "
        f"CREATE ROLE {rol} NOLOGIN; END IF; END $$"
        for rol in GROEPSROLLEN
    ]


def schema_version(conn: Any) -> int:
    """The register's schema version; 0 when it has none yet."""
    if conn.execute("SELECT to_regclass('meldcode.schema_versie')").fetchone()[0] is None:
        return 0
    row = conn.execute("SELECT max(versie) FROM meldcode.schema_versie").fetchone()
    return int(row[0] or 0)
