"""organisation totals kept by the search index (PostgreSQL)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 05:00:00

An organisation's page sums the budgets of its activities by start year and currency and counts them by
country and role. For the largest funder of the 1.1M-activity corpus (340,000 activities) those aggregates
took 3.5 s. On PostgreSQL the index now keeps, per search document, one `search_org_docs` row per organisation
it involves (the page's "latest activities" read that table's index), and triggers on that table keep
`search_org_totals`: rows of deltas (a statement's inserted documents added, its deleted ones subtracted,
whatever deleted them — a re-index, a replaced document, a cascade), compacted now and then
(`search_org_totals.compact`), so the page reads a few dozen rows. Filled here from the index as it is.
"""

from __future__ import annotations

from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return  # SQLite sums an organisation's activities when its page is asked for (fast at its sizes)
    op.execute("""CREATE TABLE search_org_docs (
        doc integer NOT NULL REFERENCES search_docs (doc) ON DELETE CASCADE,
        org varchar(80) NOT NULL,
        roles text[] NOT NULL,
        countries text[] NOT NULL,
        start_date varchar(10),
        currency varchar(3) NOT NULL,
        value double precision,
        eur double precision,
        PRIMARY KEY (doc, org))""")
    op.execute("CREATE INDEX ix_search_org_docs_latest ON search_org_docs (org, start_date DESC, doc DESC)")
    op.execute("""CREATE TABLE search_org_totals (
        org varchar(80) NOT NULL,
        kind smallint NOT NULL,
        key text NOT NULL,
        currency varchar(3) NOT NULL,
        activities integer NOT NULL,
        value double precision NOT NULL,
        eur double precision NOT NULL,
        converted integer NOT NULL)""")
    op.execute("CREATE INDEX ix_search_org_totals_org ON search_org_totals (org)")
    op.execute("""CREATE FUNCTION aidatlas_org_totals() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE sign integer := CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END;
        BEGIN
          INSERT INTO search_org_totals (org, kind, key, currency, activities, value, eur, converted)
          SELECT org, 0, coalesce(substr(start_date, 1, 4), ''), currency, sign * count(*),
                 sign * coalesce(sum(value), 0), sign * coalesce(sum(eur), 0), sign * count(eur)
            FROM changed GROUP BY org, substr(start_date, 1, 4), currency
          UNION ALL
          SELECT org, 1, c.country, '', sign * count(*), 0, 0, 0
            FROM changed, unnest(countries) AS c(country) GROUP BY org, c.country
          UNION ALL
          SELECT org, 2, r.role, '', sign * count(*), 0, 0, 0
            FROM changed, unnest(roles) AS r(role) GROUP BY org, r.role;
          RETURN NULL;
        END $$""")
    op.execute("CREATE TRIGGER search_org_docs_added AFTER INSERT ON search_org_docs REFERENCING NEW TABLE AS changed "
               "FOR EACH STATEMENT EXECUTE FUNCTION aidatlas_org_totals()")
    op.execute("CREATE TRIGGER search_org_docs_removed AFTER DELETE ON search_org_docs "
               "REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION aidatlas_org_totals()")
    # the index as it is: each document's organisations (its duplicates' too), roles, countries and budget
    op.execute("""INSERT INTO search_org_docs (doc, org, roles, countries, start_date, currency, value, eur)
        SELECT d.doc, g.org, g.roles,
               coalesce((SELECT array_agg(DISTINCT t.value ORDER BY t.value) FROM search_facets f,
                         unnest(f.terms) AS u(term) JOIN search_terms t ON t.term = u.term AND t.facet = 'country'
                         WHERE f.doc = d.doc), '{}'),
               d.start_date, coalesce(d.budget_currency, ''), d.budget_value, d.budget_eur
        FROM search_docs d JOIN (
            SELECT coalesce(a.same_as, p.activity_id) AS activity_id, p.organisation_id AS org,
                   array_agg(DISTINCT p.role ORDER BY p.role) AS roles
            FROM participations p JOIN activities a ON a.id = p.activity_id
            GROUP BY coalesce(a.same_as, p.activity_id), p.organisation_id) g ON g.activity_id = d.activity_id""")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP TABLE search_org_docs")
    op.execute("DROP TABLE search_org_totals")
    op.execute("DROP FUNCTION aidatlas_org_totals()")
