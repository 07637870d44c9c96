"""Counters the register keeps itself, so that `statistiek` reads a few hundred rows instead of
scanning every case (schema version 2, issue 15; docs/register.md "Hoe de tellingen werken").

`meldcode.tellingen` holds, per reading role (`lezer`), how many cases fall in each group that
`statistiek` shows: (sector, status, outcome, reason), month started, month of outcome, and
tenths of days to an outcome (`soort` 7, 11, 13, 14: the GROUPING bits of
postgres_queries.OVERZICHT, the full scan the counters must always equal). The readers of a case
are its owner, its co-readers, and `meldcode_coordinator`: the organisation-wide sums, counting
each case once. Practice cases are never counted.

The rules stay in the database:
- triggers keep the counters (SECURITY DEFINER: a professional has no right on them but to read);
- row-level security shows a professional only their own rows (`lezer = current_user`); the
  coordinator reads the view `overzicht`: the organisation-wide rows, no label or free text;
- a statement stages its changes in `tellingen_wachtend` (and its transaction, once, in
  `tellingen_transacties`); a deferred trigger applies a transaction's changes at commit,
  summed and in key order, so concurrent writers lock counter rows in one order (no deadlock)
  and never between their other statements.
"""

from __future__ import annotations

# The rows of a counter in OVERZICHT's columns, so postgres_queries.counts_from reads both.
TELLING_RIJEN = """SELECT
    CASE soort WHEN 7 THEN sleutel[1] END AS sector,
    CASE soort WHEN 7 THEN sleutel[2] END AS status,
    CASE soort WHEN 7 THEN sleutel[3] END AS uitkomst_id,
    CASE soort WHEN 7 THEN sleutel[4] END AS uitkomst_reden,
    CASE soort WHEN 11 THEN sleutel[1] END AS maand_gestart,
    CASE soort WHEN 13 THEN sleutel[1] END AS maand_uitkomst,
    CASE soort WHEN 14 THEN sleutel[1]::integer END AS tienden,
    aantal::integer AS aantal, soort::integer AS soort
FROM meldcode.tellingen"""

# A professional's own counters (row-level security shows no other rows).
EIGEN_TELLINGEN = TELLING_RIJEN + " WHERE lezer = current_user AND aantal <> 0"

# The reader whose rows are the organisation's sums: the coordinators' group role.
ORGANISATIE = "meldcode_coordinator"

_TABELLEN = """
LOCK TABLE meldcode.casussen, meldcode.medelezers IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE meldcode.tellingen (
    lezer name NOT NULL,
    soort smallint NOT NULL CHECK (soort IN (7, 11, 13, 14)),
    sleutel text[] NOT NULL,
    aantal bigint NOT NULL,
    PRIMARY KEY (lezer, soort, sleutel)
);
-- What the statements of running transactions changed, applied at their commit.
CREATE TABLE meldcode.tellingen_wachtend (
    xact xid8 NOT NULL DEFAULT pg_current_xact_id(),
    lezer name NOT NULL,
    soort smallint NOT NULL,
    sleutel text[] NOT NULL,
    delta bigint NOT NULL
);
CREATE INDEX tellingen_wachtend_xact ON meldcode.tellingen_wachtend (xact);
-- The transactions with staged changes: one row each, so the changes are applied once.
CREATE TABLE meldcode.tellingen_transacties (xact xid8 PRIMARY KEY);
"""

# Row-level security, forced: meldcode_systeem (the triggers) sees every row; a professional
# reads only their own counters, and nothing of what is staged.
_BEVEILIGING = (
    "".join(
        f"ALTER TABLE meldcode.{tabel} ENABLE ROW LEVEL SECURITY;\n"
        f"ALTER TABLE meldcode.{tabel} FORCE ROW LEVEL SECURITY;\n"
        f"CREATE POLICY systeem ON meldcode.{tabel} TO meldcode_systeem\n"
        "    USING (true) WITH CHECK (true);\n"
        for tabel in ("tellingen", "tellingen_wachtend", "tellingen_transacties")
    )
    + """CREATE POLICY lezen ON meldcode.tellingen FOR SELECT TO meldcode_professional
    USING (lezer = current_user);
"""
)

_FUNCTIES = """
-- The groups one case counts in (none for a practice case).
CREATE FUNCTION meldcode.groepen(c meldcode.casussen)
RETURNS TABLE (soort smallint, sleutel text[]) LANGUAGE sql STABLE AS $$
    SELECT g.soort, g.sleutel FROM (
        SELECT 7::smallint AS soort,
               ARRAY[c.sector, c.status, c.uitkomst_id, c.uitkomst_reden] AS sleutel
        UNION ALL SELECT 11, ARRAY[left(c.aangemaakt, 7)]
        UNION ALL SELECT 13, ARRAY[left(c.uitkomst_tijd, 7)] WHERE c.uitkomst_tijd IS NOT NULL
        UNION ALL SELECT 14,
            ARRAY[(round(extract(epoch FROM c.uitkomst_moment - c.moment) / 8640))::integer::text]
            WHERE c.uitkomst_moment IS NOT NULL
    ) g WHERE NOT c.oefening
$$;

-- Who reads a case's counts: its owner, its co-readers, and the organisation (each once).
CREATE FUNCTION meldcode.lezers(c meldcode.casussen) RETURNS SETOF name LANGUAGE sql STABLE AS $$
    SELECT c.eigenaar UNION SELECT 'meldcode_coordinator'::name
    UNION SELECT m.rol FROM meldcode.medelezers m WHERE m.casus_id = c.id
$$;

-- Stage the change of cases leaving (`weg`) and arriving (`bij`), summed per counter.
-- (PL/pgSQL, so that a session plans it once.)
CREATE FUNCTION meldcode.tellen(weg meldcode.casussen[], bij meldcode.casussen[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO meldcode.tellingen_wachtend (lezer, soort, sleutel, delta)
    SELECT l.lezer, g.soort, g.sleutel, sum(x.d)
    FROM (SELECT c, -1 AS d FROM unnest(weg) c UNION ALL SELECT c, 1 FROM unnest(bij) c) x
    CROSS JOIN LATERAL meldcode.lezers(x.c) l(lezer)
    CROSS JOIN LATERAL meldcode.groepen(x.c) g
    GROUP BY 1, 2, 3 HAVING sum(x.d) <> 0;
    PERFORM meldcode.na_commit();
END $$;

-- Apply this transaction's staged changes at its commit (once: the trigger fires on a new row).
CREATE FUNCTION meldcode.na_commit() RETURNS void LANGUAGE sql AS $$
    INSERT INTO meldcode.tellingen_transacties VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING
$$;

-- The same for co-readers coming or going: the case's groups, for that reader only (an owner
-- or the organisation already reads the case). The cases are locked first, so a change of one
-- of them in another transaction is either counted here or counts this co-reader itself.
CREATE FUNCTION meldcode.tellen_medelezers(weg meldcode.medelezers[], bij meldcode.medelezers[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM meldcode.casussen c WHERE c.id IN (
        SELECT m.casus_id FROM unnest(weg) m UNION SELECT m.casus_id FROM unnest(bij) m)
    ORDER BY c.id FOR SHARE;
    INSERT INTO meldcode.tellingen_wachtend (lezer, soort, sleutel, delta)
    SELECT x.rol, g.soort, g.sleutel, sum(x.d)
    FROM (SELECT m.casus_id, m.rol, -1 AS d FROM unnest(weg) m
          UNION ALL SELECT m.casus_id, m.rol, 1 FROM unnest(bij) m) x
    JOIN meldcode.casussen c ON c.id = x.casus_id
    CROSS JOIN LATERAL meldcode.groepen(c) g
    WHERE x.rol <> c.eigenaar AND x.rol <> 'meldcode_coordinator'
    GROUP BY 1, 2, 3 HAVING sum(x.d) <> 0;
    PERFORM meldcode.na_commit();
END $$;

CREATE FUNCTION meldcode.casussen_tellen() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = meldcode, pg_temp AS $$
DECLARE
    weg casussen[];
    bij casussen[];
BEGIN
    -- An answer changes nothing that is counted: one comparison, nothing staged.
    IF TG_OP = 'UPDATE' THEN
        IF (SELECT count(*) FROM oud o JOIN nieuw n ON n.id = o.id
            WHERE (o.eigenaar, o.oefening, o.sector, o.status, o.uitkomst_id, o.uitkomst_reden,
                   o.aangemaakt, o.uitkomst_tijd, o.moment, o.uitkomst_moment)
                  IS NOT DISTINCT FROM
                  (n.eigenaar, n.oefening, n.sector, n.status, n.uitkomst_id, n.uitkomst_reden,
                   n.aangemaakt, n.uitkomst_tijd, n.moment, n.uitkomst_moment))
           = (SELECT count(*) FROM oud) THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT array_agg(o) INTO weg FROM oud o;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        SELECT array_agg(n) INTO bij FROM nieuw n;
    END IF;
    PERFORM tellen(weg, bij);
    RETURN NULL;
END $$;

CREATE FUNCTION meldcode.medelezers_tellen() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = meldcode, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM tellen_medelezers(NULL, (SELECT array_agg(n::medelezers) FROM nieuw n));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM tellen_medelezers((SELECT array_agg(o::medelezers) FROM oud o), NULL);
    ELSE
        PERFORM tellen_medelezers((SELECT array_agg(o::medelezers) FROM oud o),
                                  (SELECT array_agg(n::medelezers) FROM nieuw n));
    END IF;
    RETURN NULL;
END $$;

-- A case's co-readers go before the case itself, while it can still be counted for them
-- (the cascade of the foreign key would come after the case is gone).
CREATE FUNCTION meldcode.medelezers_eerst() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = meldcode, pg_temp AS $$
BEGIN
    DELETE FROM medelezers WHERE casus_id = OLD.id;
    RETURN OLD;
END $$;

-- Every counter from the cases themselves (the migration; and after a TRUNCATE). What this
-- transaction staged before is in the recount already, so it is dropped; no other transaction
-- can have staged anything, for a TRUNCATE waits for every writer of the cases.
CREATE FUNCTION meldcode.alles_tellen() RETURNS void LANGUAGE sql AS $$
    DELETE FROM meldcode.tellingen_wachtend WHERE xact = pg_current_xact_id();
    DELETE FROM meldcode.tellingen;
    INSERT INTO meldcode.tellingen (lezer, soort, sleutel, aantal)
        SELECT l.lezer, g.soort, g.sleutel, count(*) FROM meldcode.casussen c
        CROSS JOIN LATERAL meldcode.lezers(c) l(lezer)
        CROSS JOIN LATERAL meldcode.groepen(c) g
        GROUP BY 1, 2, 3;
$$;

-- An administrator's TRUNCATE (of the cases, or of the co-readers) counts everything again.
CREATE FUNCTION meldcode.opnieuw_tellen() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = meldcode, pg_temp AS $$
BEGIN
    PERFORM alles_tellen();
    RETURN NULL;
END $$;

-- At commit: this transaction's staged changes, summed, applied in key order.
CREATE FUNCTION meldcode.tellingen_verwerken() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = meldcode, pg_temp AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT w.lezer, w.soort, w.sleutel, sum(w.delta) AS d FROM tellingen_wachtend w
             WHERE w.xact = pg_current_xact_id() GROUP BY 1, 2, 3
             HAVING sum(w.delta) <> 0 ORDER BY 1, 2, 3 LOOP
        INSERT INTO tellingen AS t VALUES (r.lezer, r.soort, r.sleutel, r.d)
            ON CONFLICT (lezer, soort, sleutel) DO UPDATE SET aantal = t.aantal + EXCLUDED.aantal;
    END LOOP;
    DELETE FROM tellingen_wachtend WHERE xact = pg_current_xact_id();
    DELETE FROM tellingen_transacties WHERE xact = pg_current_xact_id();
    RETURN NULL;
END $$;
"""

_TRIGGERS = """
CREATE TRIGGER tellen_nieuw AFTER INSERT ON meldcode.casussen
    REFERENCING NEW TABLE AS nieuw FOR EACH STATEMENT EXECUTE FUNCTION meldcode.casussen_tellen();
CREATE TRIGGER tellen_gewijzigd AFTER UPDATE ON meldcode.casussen
    REFERENCING OLD TABLE AS oud NEW TABLE AS nieuw
    FOR EACH STATEMENT EXECUTE FUNCTION meldcode.casussen_tellen();
CREATE TRIGGER tellen_weg AFTER DELETE ON meldcode.casussen
    REFERENCING OLD TABLE AS oud FOR EACH STATEMENT EXECUTE FUNCTION meldcode.casussen_tellen();
CREATE TRIGGER medelezers_eerst BEFORE DELETE ON meldcode.casussen
    FOR EACH ROW EXECUTE FUNCTION meldcode.medelezers_eerst();
CREATE TRIGGER tellen_nieuw AFTER INSERT ON meldcode.medelezers
    REFERENCING NEW TABLE AS nieuw
    FOR EACH STATEMENT EXECUTE FUNCTION meldcode.medelezers_tellen();
CREATE TRIGGER tellen_gewijzigd AFTER UPDATE ON meldcode.medelezers
    REFERENCING OLD TABLE AS oud NEW TABLE AS nieuw
    FOR EACH STATEMENT EXECUTE FUNCTION meldcode.medelezers_tellen();
CREATE TRIGGER tellen_weg AFTER DELETE ON meldcode.medelezers
    REFERENCING OLD TABLE AS oud
    FOR EACH STATEMENT EXECUTE FUNCTION meldcode.medelezers_tellen();
CREATE TRIGGER opnieuw_tellen AFTER TRUNCATE ON meldcode.casussen
    FOR EACH STATEMENT EXECUTE FUNCTION meldcode.opnieuw_tellen();
CREATE TRIGGER opnieuw_tellen AFTER TRUNCATE ON meldcode.medelezers
    FOR EACH STATEMENT EXECUTE FUNCTION meldcode.opnieuw_tellen();
CREATE CONSTRAINT TRIGGER verwerken AFTER INSERT ON meldcode.tellingen_transacties
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION meldcode.tellingen_verwerken();
"""

# The counters of the cases already in the register (the tables are locked above: no writer
# can slip in between the count and the triggers).
_VULLEN = """
SELECT meldcode.alles_tellen();
"""

# The coordinator's `statistiek` now reads the organisation's counters (same columns as before).
_OVERZICHT = f"""
CREATE OR REPLACE VIEW meldcode.overzicht WITH (security_barrier) AS
{TELLING_RIJEN} WHERE lezer = '{ORGANISATIE}' AND aantal <> 0;
"""

_RECHTEN = """
GRANT SELECT ON meldcode.tellingen TO meldcode_professional;
REVOKE ALL ON FUNCTION meldcode.groepen(meldcode.casussen) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldcode.lezers(meldcode.casussen) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldcode.tellen(meldcode.casussen[], meldcode.casussen[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION meldcode.tellen_medelezers(meldcode.medelezers[], meldcode.medelezers[])
    FROM PUBLIC;
REVOKE ALL ON FUNCTION meldcode.na_commit() FROM PUBLIC;
REVOKE ALL ON FUNCTION meldcode.opnieuw_tellen() FROM PUBLIC;
REVOKE ALL ON FUNCTION meldcode.alles_tellen() FROM PUBLIC;
REVOKE ALL ON FUNCTION meldcode.casussen_tellen() FROM PUBLIC;
REVOKE ALL ON FUNCTION meldcode.medelezers_tellen() FROM PUBLIC;
REVOKE ALL ON FUNCTION meldcode.medelezers_eerst() FROM PUBLIC;
REVOKE ALL ON FUNCTION meldcode.tellingen_verwerken() FROM PUBLIC;
"""

# Schema version 2: from version 1 (postgres_schema.MIGRATIONS[1], kept as it was).
MIGRATION_2 = _TABELLEN + _BEVEILIGING + _FUNCTIES + _TRIGGERS + _VULLEN + _OVERZICHT + _RECHTEN
