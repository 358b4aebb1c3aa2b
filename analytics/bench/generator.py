"""Deterministic sample data at portfolio scale, generated in DuckDB SQL (no Python row loops).

Scales (issue 8): S = 10 projects, 10k activity rows, 1k companies; M = 200 projects, 200k rows,
20k companies; L = 1,000 projects, 1M rows, 100k companies. "Activity rows" are the exchanges,
trainings, check-ins and expenses together: 1,000 per project at every scale (500 expenses, 200
exchanges, 200 trainings, 100 check-ins), so a project page has the same amount of data at S and
at L and only the portfolio grows. Companies hold competences in 2 to 14 of the 40 sectors (8 on
average), as a Business Competency Matrix does.

Every pseudo-random choice is ``hash(seed, tag, row numbers) % n``: DuckDB's hash is a pure
function, so the same seed gives the same data on any number of threads (``random()`` would not).
All rows are flagged ``is_sample``. The rows have the same shapes as real imports and validate
with the pydantic models (tests/analytics/test_bench_generator.py checks a sample of each table).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from analytics import facts, kpi_history, partner_facts, store, supply_facts, warning_facts


@dataclass(frozen=True)
class Scale:
    name: str
    projects: int
    companies: int
    # Per project: 500 + 200 + 200 + 100 = 1,000 activity rows.
    expenses: int = 500
    exchanges: int = 200
    trainings: int = 200
    checkins: int = 100

    @property
    def activity_rows(self) -> int:
        return self.projects * (self.expenses + self.exchanges + self.trainings + self.checkins)


SCALES = {
    "S": Scale("S", projects=10, companies=1_000),
    "M": Scale("M", projects=200, companies=20_000),
    "L": Scale("L", projects=1_000, companies=100_000),
}
DEFAULT_SEED = 8
# The date the benchmark evaluates at: projects start 2018-2022 and run 24-36 months, so on this
# date some have finished, most are running and a few have not started. The day before a month
# end: the most days after the last monthly checkpoint (analytics.facts), the slowest case.
BENCH_AS_OF = date(2022, 6, 29)

COUNTRIES = ["DE", "FR", "IT", "ES", "PL", "NL", "BE", "SE", "DK", "FI", "AT", "CZ", "PT", "LT",
             "LV", "EE", "SI", "SK", "HU", "RO", "BG", "HR", "IE", "EL", "NO", "CH"]
PLACES = ["Nordic", "Baltic", "Alpine", "Danube", "Atlantic", "Hanse", "Rhine", "Vistula",
          "Iberian", "Tuscan", "Flemish", "Bohemian", "Carpathian", "Adriatic", "Pannonian", "Celtic"]
FIELDS = ["Photonics", "Magnets", "Cryo", "Vacuum", "Optics", "Robotics", "Medtech", "Data",
          "Space", "Energy", "Materials", "Electronics", "Precision", "Biotech", "Sensors", "Water"]
FORMS = ["GmbH", "SAS", "SRL", "Sp. z o.o.", "AB", "A/S", "Oy", "BV", "SL", "s.r.o."]
FIRST = ["Anna", "Jonas", "Marta", "Lukas", "Sofia", "Mateo", "Ewa", "Piet", "Ingrid", "Tomas",
         "Elena", "Marco", "Agnė", "Rasmus", "Clara", "Jan", "Lea", "Nikos", "Ana", "Oskar"]
LAST = ["Novak", "Müller", "García", "Rossi", "Kowalski", "Jansen", "Dubois", "Nielsen",
        "Virtanen", "Horvat", "Silva", "Petrauskas", "Berg", "Costa", "Lambert", "Svoboda",
        "Schmidt", "Wiśniewska", "Martín", "Papadopoulos"]
TOP_SECTORS = [("ELEC", "High-end electrical and electronic engineering", 1),
               ("MECH", "Mechanical engineering", 2), ("ENER", "Energy", 3),
               ("ICT", "ICT and data", 4), ("SPACE", "Space", 5)]
SUB_SECTORS = {
    "ELEC": ["RF systems", "Power converters", "Beam instrumentation", "Controls", "Cables",
             "Detectors electronics", "Superconducting magnets"],
    "MECH": ["Precision machining", "Vacuum systems", "Cryogenics", "Metal structures",
             "Welding and joining", "Remote handling", "Radiation shielding"],
    "ENER": ["Power distribution", "Cooling and ventilation", "Heating systems", "Fuel cycle",
             "Energy storage", "High-voltage", "Thermal engineering"],
    "ICT": ["Networking", "HPC", "Control software", "Data storage", "Cybersecurity", "AI and analytics",
            "Simulation"],
    "SPACE": ["Earth observation", "Navigation", "Launchers", "Satellite platforms", "Ground segment",
              "Space science payloads", "Optical instruments"],
}
BSOS = [("CERN", "European Organization for Nuclear Research", "accelerator", "CH", 1.25e9),
        ("F4E", "Fusion for Energy (ITER)", "fusion", "ES", 4.5e8),
        ("ESS", "European Spallation Source", "neutron source", "SE", 1.9e8),
        ("ELI", "Extreme Light Infrastructure", "laser", "CZ", 6.0e7),
        ("ESA", "European Space Agency", "space", "FR", 7.79e9),
        ("ESO", "European Southern Observatory", "astronomy", "DE", 2.0e8),
        ("ESRF", "European Synchrotron Radiation Facility", "synchrotron", "FR", 1.1e8),
        ("ILL", "Institut Laue-Langevin", "neutron source", "FR", 1.0e8),
        ("XFEL", "European XFEL", "laser", "DE", 1.5e8),
        ("FAIR", "Facility for Antiproton and Ion Research", "accelerator", "DE", 2.5e8),
        ("EMBL", "European Molecular Biology Laboratory", "life science", "DE", 2.9e8),
        ("EUROFUSION", "EUROfusion", "fusion", "DE", 1.4e8)]
YEARS = list(range(2016, 2026))
# KPI plan of every generated project: (code, name, unit, measure, direction, interpolation,
# min label level). Targets are set per project from the generated activity.
KPI_PLAN = [
    ("LAB", "Clusters awarded a Cluster Management Excellence label", "clusters", "labels_awarded", "increase", "linear", "bronze"),
    ("TRN", "Cluster managers trained", "managers", "managers_trained", "increase", "linear", None),
    ("XCH", "Organisations taking part in ClusterXchange", "organisations", "organisations_exchanged", "increase", "step", None),
    ("XCP", "ClusterXchange participations", "stays", "exchanges", "increase", "linear", None),
    ("C2C", "Cluster-to-cluster missions", "missions", "missions", "increase", "linear", None),
    ("PAR", "Mission participants", "participants", "mission_participants", "increase", "linear", None),
    ("BUD", "Budget spent", "EUR", "budget_spent", "increase", "linear", None),
    ("DEL", "Deliverables submitted", "deliverables", "deliverables_submitted", "increase", "linear", None),
    ("SPL", "Strategic plans taken to the next level", "plans", "manual", "increase", "linear", None),
    ("RSK", "Open risks in the risk register", "risks", "manual", "stay_below", "linear", None),
]
MANUAL_CODES = [k[0] for k in KPI_PLAN if k[3] == "manual"]
# Cost category mix of a budget (direct costs; E is 7 % of A + C1 + C2 + C3 on top).
CATEGORY_WEIGHTS = [("A", 0.55), ("B", 0.08), ("C1", 0.12), ("C2", 0.03), ("C3", 0.10), ("D1", 0.12)]

# Macros shared by the statements: r(k) is a pseudo-random integer of the keys k; u(k) in [0, 1).
_MACROS = """
CREATE OR REPLACE TEMP MACRO r(k) AS hash(getvariable('bench_seed'), k);
CREATE OR REPLACE TEMP MACRO u(k) AS (hash(getvariable('bench_seed'), k) % 1000003) / 1000003.0;
CREATE OR REPLACE TEMP MACRO pick(xs, k) AS xs[1 + CAST(r(k) % len(xs) AS INTEGER)];
"""


def _words() -> dict:
    return {"countries": COUNTRIES, "places": PLACES, "fields": FIELDS, "forms": FORMS,
            "first": FIRST, "last": LAST}


STATEMENTS: list[tuple[str, str]] = [
    ("projects", """
    INSERT INTO projects (project_id, title, programme, call_id, grant_agreement, start_date, end_date,
                          total_budget, eu_rate, indirect_rate, source, is_sample)
    SELECT printf('PRJ%04d', i + 1),
           pick($places, ('pt', i)) || ' ' || pick($fields, ('pf', i)) || ' cluster partnership ' || (i + 1),
           'COSME', 'COS-CLUSTER-2020-3-03-1', CAST(101000000 + i AS VARCHAR),
           s, CAST(s + to_months(m) - INTERVAL 1 DAY AS DATE),
           1, 0.75, 0.07, 'benchmark generator (sample)', TRUE
    FROM (SELECT i, CAST(date_trunc('month', DATE '2018-01-01' + CAST(r(('ps', i)) % 1826 AS INTEGER)) AS DATE) AS s,
                 24 + 6 * CAST(r(('pm', i)) % 3 AS INTEGER) AS m
          FROM range($projects) t(i))
    """),
    # A cluster organisation belongs to several projects now and then (index modulo the pool).
    ("partners", """
    INSERT INTO partners (project_id, organisation, country, org_type, role, budget_share, source, is_sample)
    SELECT printf('PRJ%04d', i + 1), org_name(o), pick($countries, ('oc', o)),
           CASE WHEN j = 0 OR r(('ot', i, j)) % 5 > 0 THEN 'cluster' ELSE 'support_org' END,
           CASE WHEN j = 0 THEN 'coordinator' ELSE 'partner' END,
           round(1.0 / n, 4), 'benchmark generator (sample)', TRUE
    FROM (SELECT i, 3 + CAST(r(('np', i)) % 4 AS INTEGER) AS n FROM range($projects) t(i)) p,
         LATERAL (SELECT j, (i * 4 + j) % ($projects * 3 + 10) AS o FROM range(n) u(j))
    """),
    ("kpis", """
    INSERT INTO kpis (project_id, code, name, unit, measure, target, baseline, direction, interpolation,
                      min_label_level, owner, is_placeholder, source, is_sample)
    SELECT p.project_id, k.code, k.name, k.unit, k.measure,
           CASE k.code WHEN 'LAB' THEN (SELECT count(*) FROM partners x WHERE x.project_id = p.project_id)
                       WHEN 'TRN' THEN 70 + r(('tt', p.project_id)) % 60
                       WHEN 'XCH' THEN 120 + r(('tx', p.project_id)) % 100
                       WHEN 'XCP' THEN 150 + r(('tp', p.project_id)) % 100
                       WHEN 'C2C' THEN 6 + r(('tc', p.project_id)) % 8
                       WHEN 'PAR' THEN 120 + r(('tq', p.project_id)) % 160
                       WHEN 'BUD' THEN 1   -- set to the planned budget below
                       WHEN 'DEL' THEN 12 + r(('td', p.project_id)) % 6
                       WHEN 'SPL' THEN 3 + r(('ts', p.project_id)) % 3
                       WHEN 'RSK' THEN 8 END,
           0, k.direction, k.interpolation, k.min_level,
           (SELECT organisation FROM partners x WHERE x.project_id = p.project_id AND x.role = 'coordinator'),
           k.code = 'PAR' AND r(('ph', p.project_id)) % 4 = 0, 'benchmark generator (sample)', TRUE
    FROM projects p CROSS JOIN (SELECT unnest($kpi_plan, recursive := true)) k
    """),
    ("kpi_milestones", """
    INSERT INTO kpi_milestones (project_id, code, month, on_date, expected, is_sample)
    SELECT k.project_id, k.code, mo, CAST(p.start_date + to_months(mo) - INTERVAL 1 DAY AS DATE),
           round(k.target * f, 0), TRUE
    FROM kpis k JOIN projects p USING (project_id),
         (VALUES (6, 0.15), (12, 0.45), (18, 0.75)) AS m(mo, f)
    WHERE k.code = 'XCH'
    """),
    ("budget_lines", """
    INSERT INTO budget_lines (project_id, partner, category, amount, is_sample)
    WITH base AS (
        SELECT pa.project_id, pa.organisation,
               (280000 + r(('pb', pa.project_id)) % 200000) * pa.budget_share AS partner_budget
        FROM partners pa
    ), direct AS (
        SELECT project_id, organisation, c.cat, round(partner_budget * c.w * (0.8 + 0.4 * u(('bw', project_id, organisation, c.cat))), 2) AS amount
        FROM base CROSS JOIN (SELECT unnest($categories, recursive := true)) c
    )
    SELECT project_id, organisation, cat, amount, TRUE FROM direct
    UNION ALL
    SELECT project_id, organisation, 'E', round(0.07 * sum(amount) FILTER (WHERE cat IN ('A', 'C1', 'C2', 'C3')), 2), TRUE
    FROM direct GROUP BY project_id, organisation
    """),
    ("expenses", """
    INSERT INTO expenses (expense_id, project_id, partner, category, amount, spent_on, description, is_sample)
    WITH pl AS (
        SELECT b.project_id, b.partner, b.category, b.amount, p.start_date, p.end_date,
               sum(b.amount) OVER (PARTITION BY b.project_id) AS project_direct
        FROM budget_lines b JOIN projects p USING (project_id) WHERE b.category <> 'E'
    ), pick AS (
        -- Each expense falls on a budget line with the probability of that line's share.
        SELECT p.project_id, k, u(('ek', p.project_id, k)) * p.project_direct AS x
        FROM (SELECT DISTINCT project_id, project_direct FROM pl) p, range($expenses) t(k)
    ), lines AS (
        SELECT *, sum(amount) OVER (PARTITION BY project_id ORDER BY partner, category
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS upto
        FROM pl
    )
    SELECT printf('%s-E%05d', k.project_id, k.k + 1), k.project_id, l.partner, l.category,
           CAST(round(CASE WHEN r(('en', k.project_id, k.k)) % 100 = 0 THEN -0.1 ELSE 1.0 END
                      * l.project_direct / $expenses * (0.3 + 1.4 * u(('ea', k.project_id, k.k))), 2) AS DECIMAL(14, 2)),
           CAST(l.start_date + CAST(r(('ed', k.project_id, k.k)) % (l.end_date - l.start_date + 1) AS INTEGER) AS DATE),
           l.category || ' costs', TRUE
    FROM pick k JOIN lines l ON l.project_id = k.project_id
         AND k.x < l.upto AND k.x >= l.upto - l.amount
    """),
    # Visitors come from a pool of 250 organisations per project, so some visit twice and the
    # distinct count is below the number of stays.
    ("exchanges", """
    INSERT INTO exchanges (exchange_id, project_id, partner, visitor_org, visitor_country, visitor_type,
                           host_org, host_country, start_date, end_date, working_days, distance_km,
                           is_virtual, lump_sum, bso_id, is_sample)
    WITH x AS (
        SELECT p.project_id, p.start_date, p.end_date, k,
               CAST(r(('xv', p.project_id, k)) % 250 AS INTEGER) + CAST(substr(p.project_id, 4) AS INTEGER) * 37 AS v,
               3 + CAST(r(('xw', p.project_id, k)) % 18 AS INTEGER) AS wd,
               100 + CAST(r(('xk', p.project_id, k)) % 2400 AS INTEGER) AS km,
               (SELECT list(organisation ORDER BY organisation) FROM partners pa WHERE pa.project_id = p.project_id) AS orgs
        FROM projects p, range($exchanges) t(k)
    ), d AS (
        SELECT *, CAST(start_date + CAST(r(('xs', project_id, k)) % (end_date - start_date - 40) AS INTEGER) AS DATE) AS s
        FROM x
    )
    SELECT printf('%s-X%05d', project_id, k + 1), project_id, pick(orgs, ('xp', project_id, k)),
           org_name(v + 100000), pick($countries, ('oc', v + 100000)),
           CASE WHEN r(('xt', v)) % 10 < 7 THEN 'sme' WHEN r(('xt', v)) % 10 < 9 THEN 'cluster' ELSE 'research' END,
           org_name(v + 200000), pick($countries, ('oc', v + 200000)),
           s, CAST(s + (wd + 2 * (wd // 5)) - 1 AS DATE), wd, km,
           r(('xi', project_id, k)) % 10 = 0,
           CAST(CASE WHEN r(('xi', project_id, k)) % 10 = 0 THEN 0
                     ELSE least(1100, 78 * wd) * CASE WHEN wd < 5 OR km < 200 THEN 0.5 ELSE 1 END END AS DECIMAL(10, 2)),
           CASE WHEN r(('xb', project_id, k)) % 10 = 0 THEN pick($bsos, ('xb2', project_id, k)) END, TRUE
    FROM d
    """),
    # 120 people per project, trained in up to two courses each: distinct people < trainings.
    ("trainings", """
    INSERT INTO trainings (project_id, partner, person, organisation, course, trained_on, hours, evidence_url, is_sample)
    SELECT p.project_id, pick(orgs, ('tp', p.project_id, k % 120)),
           pick($first, ('tf', p.project_id, k % 120)) || ' ' || pick($last, ('tl', p.project_id, k % 120)) || ' ' || (k % 120 + 1),
           pick(orgs, ('to', p.project_id, k % 120)),
           'Course ' || (k // 120 + 1) || ': ' || pick($fields, ('tc', k // 120)),
           CAST(p.start_date + CAST(r(('td', p.project_id, k)) % (p.end_date - p.start_date + 1) AS INTEGER) AS DATE),
           2 + r(('th', p.project_id, k)) % 22, NULL, TRUE
    FROM (SELECT p.*, (SELECT list(organisation ORDER BY organisation) FROM partners pa WHERE pa.project_id = p.project_id) AS orgs
          FROM projects p) p, range($trainings) t(k)
    """),
    # Evenly spaced check-ins, shared out over the manual KPIs; values climb towards the target.
    ("checkins", """
    INSERT INTO checkins (project_id, code, checked_on, value, confidence, note, evidence_url, author, is_sample)
    SELECT p.project_id, code, d, v, pick(['on_track', 'on_track', 'at_risk', 'off_track'], ('cc', p.project_id, code, n)),
           'Update ' || (n + 1), NULL, coordinator, TRUE
    FROM (
        SELECT p.project_id, p.start_date, p.end_date, k.code, k.target, k.direction, n,
               CAST(p.start_date + CAST((n + 1) * (p.end_date - p.start_date) / ($checkins // $manual + 1) AS INTEGER) AS DATE) AS d,
               CASE WHEN k.direction = 'stay_below' THEN CAST(r(('cv', p.project_id, n)) % 11 AS DOUBLE)
                    ELSE floor(k.target * (n + 1) / ($checkins // $manual) * (0.6 + 0.6 * u(('cf', p.project_id)))) END AS v,
               k.owner AS coordinator
        FROM projects p JOIN kpis k USING (project_id), range($checkins // $manual) t(n)
        WHERE k.measure = 'manual'
    ) p
    """),
    ("label_awards", """
    INSERT INTO label_awards (organisation, level, assessed_on, valid_until, score_pct, source, is_sample)
    SELECT org_name(o), ['bronze', 'silver', 'gold'][lv + 1], d, CAST(d + INTERVAL 2 YEAR - INTERVAL 1 DAY AS DATE),
           60 + r(('ls', o, lv)) % 40, 'benchmark generator (sample)', TRUE
    FROM (SELECT o, lv, CAST(DATE '2016-01-01' + CAST(r(('ld', o)) % 1800 AS INTEGER) + CAST(lv * (550 + r(('lg', o, lv)) % 200) AS INTEGER) AS DATE) AS d
          FROM (SELECT DISTINCT (i * 4 + j) % ($projects * 3 + 10) AS o FROM range($projects) t(i), range(6) u(j)),
               range(3) l(lv)
          WHERE lv < r(('ln', o)) % 4)
    """),
    ("missions", """
    INSERT INTO missions (mission_id, project_id, partner, title, kind, destination_country, start_date, end_date,
                          participants, sme_participants, bso_id, is_sample)
    SELECT printf('%s-M%02d', project_id, k + 1), project_id, pick(orgs, ('mp', project_id, k)),
           'Mission ' || (k + 1) || ' to ' || pick($places, ('mt', project_id, k)) || ' ' || pick($fields, ('mf', project_id, k)),
           kind, pick($countries, ('mc', project_id, k)), s, CAST(s + CAST(1 + r(('ml', project_id, k)) % 3 AS INTEGER) AS DATE),
           n, CAST(n * (0.4 + 0.5 * u(('mq', project_id, k))) AS INTEGER),
           CASE WHEN kind = 'bso_visit' THEN pick($bsos, ('mb', project_id, k)) END, TRUE
    FROM (SELECT p.project_id, k, ['c2c', 'b2b', 'bso_visit'][1 + CAST(r(('mk', p.project_id, k)) % 3 AS INTEGER)] AS kind,
                 CAST(p.start_date + CAST(r(('ms', p.project_id, k)) % (p.end_date - p.start_date - 5) AS INTEGER) AS DATE) AS s,
                 5 + CAST(r(('mn', p.project_id, k)) % 26 AS INTEGER) AS n,
                 (SELECT list(organisation ORDER BY organisation) FROM partners pa WHERE pa.project_id = p.project_id) AS orgs
          FROM projects p, range(6 + CAST(r(('mm', p.project_id)) % 10 AS INTEGER)) t(k))
    """),
    ("deliverables", """
    INSERT INTO deliverables (project_id, code, title, work_package, kind, due_month, submitted_on, status,
                              late_justification, is_sample)
    SELECT project_id, CASE WHEN ms THEN printf('MS%d', k + 1) ELSE printf('D%d.%d', wp, k + 1) END,
           CASE WHEN ms THEN 'Milestone ' ELSE 'Deliverable ' END || (k + 1) || ' of WP' || wp,
           'WP' || wp, CASE WHEN ms THEN 'milestone' ELSE 'deliverable' END, due,
           CASE WHEN late < 90 THEN sub END, CASE WHEN late < 90 THEN 'submitted' ELSE 'pending' END,
           CASE WHEN late BETWEEN 30 AND 89 THEN 'Partner input delayed' END, TRUE
    FROM (SELECT p.project_id, k, 1 + k % 5 AS wp, k % 6 = 5 AS ms, due, CAST(r(('dl', p.project_id, k)) % 100 AS INTEGER) AS late,
                 least(p.end_date, CAST(p.start_date + to_months(due) - INTERVAL 10 DAY
                                        + to_days(CAST(r(('dl', p.project_id, k)) % 100 AS INTEGER) - 10) AS DATE)) AS sub
          FROM projects p, range(18) t(k),
               LATERAL (SELECT 1 + CAST(r(('dd', p.project_id, k)) % (date_sub('month', p.start_date, p.end_date) + 1) AS INTEGER) AS due))
    """),
    ("bsos", """
    INSERT INTO bsos (bso_id, name, kind, site_country, yearly_budget_eur, budget_note, source, is_sample)
    SELECT b.bso_id, b.name, b.kind, b.site_country, b.budget, 'order of magnitude, EUR per year', 'benchmark generator (sample)', TRUE
    FROM (SELECT unnest($bso_rows, recursive := true)) b
    """),
    ("sectors", """
    INSERT INTO sectors (sector_id, name, parent_id, enriitc_rank, source, is_sample)
    SELECT s.sector_id, s.name, s.parent_id, s.enriitc_rank, 'benchmark generator (sample)', TRUE
    FROM (SELECT unnest($sector_rows, recursive := true)) s
    """),
    ("bso_demand", """
    INSERT INTO bso_demand (bso_id, sector_id, year, demand_eur, tender_count, source, is_estimate, is_sample)
    SELECT b.bso_id, s.sector_id, y, round(b.yearly_budget_eur * 0.3 * pow(u(('dv', b.bso_id, s.sector_id)), 3) / 8
                                          * (0.8 + 0.4 * u(('dy', b.bso_id, s.sector_id, y))), 0),
           CAST(r(('dt', b.bso_id, s.sector_id, y)) % 200 AS INTEGER), 'benchmark generator (sample)', TRUE, TRUE
    FROM bsos b, sectors s, unnest($years) y(y)
    WHERE r(('dp', b.bso_id, s.sector_id)) % 3 > 0
    """),
    ("companies", """
    INSERT INTO companies (company_id, name, country, cluster, company_type, employees, prior_bso_supplier, is_sample)
    SELECT printf('C%06d', i + 1), org_name(i + 300000) || ' ' || (i + 1), pick($countries, ('cc', i)),
           CASE WHEN r(('cl', i)) % 10 < 8 THEN org_name(CAST(r(('co', i)) % ($projects * 3 + 10) AS INTEGER)) END,
           CASE WHEN r(('ct', i)) % 20 < 16 THEN 'sme' WHEN r(('ct', i)) % 20 < 19 THEN 'large' ELSE 'research' END,
           CAST(5 + pow(u(('ce', i)), 3) * 2000 AS INTEGER), r(('cp', i)) % 6 = 0, TRUE
    FROM range($companies) t(i)
    """),
    # 2 to 14 distinct sectors per company (step 7 is prime to 40, so the picks never repeat).
    ("competencies", """
    INSERT INTO competencies (company_id, sector_id, level, evidence, is_sample)
    SELECT printf('C%06d', i + 1), $sector_ids[1 + CAST((r(('ks', i)) % 40 + 7 * j) % 40 AS INTEGER)],
           CAST(least(3, r(('kl', i, j)) % 4 + r(('kq', i, j)) % 2) AS INTEGER),
           CASE WHEN r(('kv', i, j)) % 3 = 0 THEN 'reference contract' END, TRUE
    FROM range($companies) t(i), range(2 + CAST(r(('kn', i)) % 13 AS INTEGER)) u(j)
    """),
    ("contributions", """
    INSERT INTO contributions (bso_id, country, year, share, source, is_sample)
    SELECT bso_id, c, y, round(w / sum(w) OVER (PARTITION BY bso_id, y), 6), 'benchmark generator (sample)', TRUE
    FROM (SELECT b.bso_id, c, y, 0.05 + pow(u(('cw', b.bso_id, c)), 2) AS w
          FROM bsos b, unnest($countries) cs(c), unnest($years) ys(y))
    """),
    ("awards", """
    INSERT INTO awards (bso_id, country, sector_id, year, value_eur, source, is_sample)
    SELECT d.bso_id, c, d.sector_id, d.year, round(d.demand_eur * pow(u(('aw', d.bso_id, c, d.sector_id, d.year)), 2) / 6, 0),
           'benchmark generator (sample)', TRUE
    FROM bso_demand d, unnest($countries) cs(c)
    WHERE r(('ap', d.bso_id, c, d.sector_id)) % 4 = 0
    """),
]


def _sector_rows() -> list[dict]:
    rows = [{"sector_id": sid, "name": name, "parent_id": None, "enriitc_rank": rank} for sid, name, rank in TOP_SECTORS]
    for parent, names in SUB_SECTORS.items():
        rows += [{"sector_id": f"{parent}.{n + 1:02d}", "name": name, "parent_id": parent, "enriitc_rank": None}
                 for n, name in enumerate(names)]
    return rows


def _params(scale: Scale) -> dict:
    """Every named list and number the statements use; DuckDB ignores none, so each is passed
    only to the statements that name it."""
    return _words() | {
        "projects": scale.projects, "companies": scale.companies, "expenses": scale.expenses,
        "exchanges": scale.exchanges, "trainings": scale.trainings, "checkins": scale.checkins,
        "manual": len(MANUAL_CODES), "years": YEARS, "sector_ids": [r["sector_id"] for r in _sector_rows()],
        "bsos": [b[0] for b in BSOS],
        "bso_rows": [{"bso_id": b, "name": n, "kind": k, "site_country": c, "budget": v} for b, n, k, c, v in BSOS],
        "sector_rows": _sector_rows(),
        "categories": [{"cat": c, "w": w} for c, w in CATEGORY_WEIGHTS],
        "kpi_plan": [{"code": c, "name": n, "unit": u, "measure": m, "direction": d, "interpolation": i, "min_level": lv}
                     for c, n, u, m, d, i, lv in KPI_PLAN],
    }


def _used(sql: str, params: dict) -> dict:
    import re

    names = set(re.findall(r"\$([a-z_]+)", sql))
    return {k: v for k, v in params.items() if k in names}


def generate(con: duckdb.DuckDBPyConnection, scale: str | Scale, *, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Fill an empty, migrated database with the scale's data; returns rows per table.

    Writes with plain INSERTs in one transaction (a bulk load, not an import: the loader's per-row
    validation is measured separately), then rebuilds the derived tables the analytics read.
    """
    spec = SCALES[scale] if isinstance(scale, str) else scale
    store.migrate(con)
    if con.execute("SELECT count(*) FROM projects").fetchone()[0]:
        raise ValueError("generate() needs an empty database")
    params = _params(spec)
    con.execute("SET VARIABLE bench_seed = ?", [int(seed)])
    con.execute(_MACROS)
    _org_macro(con)
    counts = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for table, sql in STATEMENTS:
            con.execute(sql, _used(sql, params))
            counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # names from STATEMENTS
        # Budgets and the budget KPI follow the budget lines, as in a real grant.
        con.execute("UPDATE projects p SET total_budget = b.total FROM "
                    "(SELECT project_id, sum(amount) AS total FROM budget_lines GROUP BY project_id) b "
                    "WHERE b.project_id = p.project_id")
        con.execute("UPDATE kpis k SET target = CAST(p.total_budget AS DOUBLE) FROM projects p "
                    "WHERE p.project_id = k.project_id AND k.code = 'BUD'")
        facts.rebuild(con)
        supply_facts.rebuild(con)
        partner_facts.rebuild(con)
        warning_facts.rebuild(con)
        kpi_history.rebuild(con)  # evaluated from the facts: after them
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return counts


def _org_macro(con: duckdb.DuckDBPyConnection) -> None:
    """org_name(o): a readable, stable organisation name for pool index o (clusters below 100,000)."""
    lists = {k: "[" + ", ".join("'" + w.replace("'", "''") + "'" for w in v) + "]"  # constants from this module
             for k, v in (("places", PLACES), ("fields", FIELDS), ("forms", FORMS))}
    con.execute(
        "CREATE OR REPLACE TEMP MACRO org_name(o) AS "
        f"pick({lists['places']}, ('on', o)) || ' ' || pick({lists['fields']}, ('of', o)) || ' ' || "
        f"CASE WHEN o < 100000 THEN 'Cluster' ELSE pick({lists['forms']}, ('om', o)) END || ' ' || (o % 100000 + 1)"
    )


def fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """An order-independent hash of every row of every generated table: equal data, equal prints."""
    out = {}
    for table, _ in STATEMENTS:
        n, h = con.execute(f"SELECT count(*), bit_xor(hash(CAST(t AS VARCHAR))) FROM {table} t").fetchone()
        out[table] = f"{n}:{h}"
    return out
