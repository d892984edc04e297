#!/usr/bin/env python3
"""Point-in-time features: uptake vs DuckDB SQL vs pandas on the same synthetic council, side by side.

    swift build -c release --product uptake
    .build/release/uptake synth --out /tmp/council --children 1000000 --data-until 2099-12-31
    python3 benchmarks/features.py /tmp/council        # or: make bench-features

Each tool reads the council's CSV files, computes the 14 features of its uptake.yaml plus the outcome for the
eligible children, and writes them as CSV, in its own process (peak RSS is its own; times include reading and
writing). The peers' results are
compared with uptake's feature CSV column by column before any time is reported.
"""
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
MISSED = ("did_not_attend", "declined", "no_access")

SQL = """
WITH pop AS (
  SELECT c.child_id, c.family_id, c.lsoa, c.date_of_birth AS dob, c.first_language,
         CAST(c.eligible_2yo_from AS DATE) AS eligible, CAST(c.eligible_2yo_from AS DATE) - 56 AS asof
  FROM read_csv('{d}/children.csv', header=true) c WHERE c.eligible_2yo_from IS NOT NULL),
hub AS (
  SELECT p.child_id,
         count(*) FILTER (WHERE h.attended_on >= p.asof - 365) AS hub_sessions_12m,
         p.asof - max(h.attended_on) AS days_since_hub_session
  FROM pop p JOIN read_csv('{d}/hub_sessions.csv', header=true) h ON h.family_id = p.family_id
  WHERE h.attended_on < p.asof AND h.recorded_date < p.asof GROUP BY p.child_id, p.asof),
hv AS (
  SELECT p.child_id,
         count(*) FILTER (WHERE v.outcome IN ('did_not_attend','declined','no_access')) AS reviews_missed,
         max(CASE WHEN v.review = '12_month' AND v.outcome <> 'completed' THEN 1 ELSE 0 END) AS missed_12m_review
  FROM pop p JOIN read_csv('{d}/health_visits.csv', header=true) v ON v.child_id = p.child_id
  WHERE v.event_date < p.asof AND v.recorded_date < p.asof GROUP BY p.child_id),
oc AS (
  SELECT DISTINCT p.child_id, 1 AS outreach_reached
  FROM pop p JOIN read_csv('{d}/outreach_contacts.csv', header=true) o ON o.family_id = p.family_id
  WHERE o.contacted_on < p.asof AND o.outcome IN ('reached','booked')),
ee AS (
  SELECT DISTINCT p.child_id, 1 AS took_up
  FROM pop p JOIN read_csv('{d}/early_education.csv', header=true) e ON e.child_id = p.child_id
  WHERE e.funded_from >= p.eligible AND e.funded_from <= p.eligible + 120)
SELECT p.child_id AS id, a.imd_decile, a.km_to_nearest_hub, a.two_year_places_within_2km, p.first_language,
       f.lone_parent, f.interpreter_needed, f.moves_last_12m, f.months_at_address,
       coalesce(hub.hub_sessions_12m, 0) AS hub_sessions_12m, hub.days_since_hub_session,
       coalesce(hv.reviews_missed, 0) AS reviews_missed, coalesce(hv.missed_12m_review, 0) AS missed_12m_review,
       coalesce(oc.outreach_reached, 0) AS outreach_reached,
       date_diff('month', p.dob, p.asof) - CASE WHEN day(p.asof) < day(p.dob) THEN 1 ELSE 0 END AS age_months,
       CASE WHEN ee.took_up IS NULL THEN 1 ELSE 0 END AS no_funded_place
FROM pop p
JOIN read_csv('{d}/areas.csv', header=true) a ON a.lsoa = p.lsoa
JOIN read_csv('{d}/families.csv', header=true) f ON f.family_id = p.family_id
LEFT JOIN hub ON hub.child_id = p.child_id LEFT JOIN hv ON hv.child_id = p.child_id
LEFT JOIN oc ON oc.child_id = p.child_id LEFT JOIN ee ON ee.child_id = p.child_id
ORDER BY p.child_id
"""


def with_duckdb(d):
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    return con.execute(SQL.format(d=d)).df()


def with_pandas(d):
    dates = lambda *c: {"parse_dates": list(c)}
    ch = pd.read_csv(f"{d}/children.csv", **dates("date_of_birth", "eligible_2yo_from"))
    pop = ch[ch.eligible_2yo_from.notna()].copy()
    pop["asof"] = pop.eligible_2yo_from - pd.Timedelta(days=56)
    keys = pop[["child_id", "family_id", "asof", "eligible_2yo_from"]]
    hub = pd.read_csv(f"{d}/hub_sessions.csv", **dates("attended_on", "recorded_date")).merge(keys, on="family_id")
    hub = hub[(hub.attended_on < hub["asof"]) & (hub.recorded_date < hub["asof"])]
    recent = hub[hub.attended_on >= hub["asof"] - pd.Timedelta(days=365)].groupby("child_id_y").size()
    last = hub.groupby("child_id_y").attended_on.max()
    hv = pd.read_csv(f"{d}/health_visits.csv", **dates("event_date", "recorded_date")).merge(keys, on="child_id")
    hv = hv[(hv.event_date < hv["asof"]) & (hv.recorded_date < hv["asof"])]
    missed = hv[hv.outcome.isin(MISSED)].groupby("child_id").size()
    missed12 = hv[(hv.review == "12_month") & (hv.outcome != "completed")].groupby("child_id").size()
    oc = pd.read_csv(f"{d}/outreach_contacts.csv", **dates("contacted_on")).merge(keys, on="family_id")
    reached = set(oc[(oc.contacted_on < oc["asof"]) & oc.outcome.isin(["reached", "booked"])].child_id)
    ee = pd.read_csv(f"{d}/early_education.csv", **dates("funded_from")).merge(keys, on="child_id")
    took = set(ee[(ee.funded_from >= ee.eligible_2yo_from)
                  & (ee.funded_from <= ee.eligible_2yo_from + pd.Timedelta(days=120))].child_id)
    out = pop.merge(pd.read_csv(f"{d}/areas.csv"), on="lsoa").merge(pd.read_csv(f"{d}/families.csv"), on="family_id")
    out["hub_sessions_12m"] = out.child_id.map(recent).fillna(0)
    out["days_since_hub_session"] = (out["asof"] - out.child_id.map(last)).dt.days
    out["reviews_missed"] = out.child_id.map(missed).fillna(0)
    out["missed_12m_review"] = (out.child_id.map(missed12).fillna(0) > 0).astype(int)
    out["outreach_reached"] = out.child_id.isin(reached).astype(int)
    months = (out["asof"].dt.year - out.date_of_birth.dt.year) * 12 + out["asof"].dt.month - out.date_of_birth.dt.month
    out["age_months"] = months - (out["asof"].dt.day < out.date_of_birth.dt.day)
    out["no_funded_place"] = (~out.child_id.isin(took)).astype(int)
    return out.rename(columns={"child_id": "id"}).sort_values("id")


def run_peer(name, d):
    # Every tool does the same end-to-end task: read the records, compute, write the features as CSV.
    t = time.perf_counter()
    if name == "duckdb":
        import duckdb
        con = duckdb.connect()
        con.execute("SET threads TO 2")
        con.execute(f"COPY ({SQL.format(d=d)}) TO '{d}/features-duckdb.csv' (HEADER)")
        seconds = time.perf_counter() - t
        frame = pd.read_csv(f"{d}/features-duckdb.csv")  # read back for the check, after the clock stopped
    else:
        frame = with_pandas(d)
        frame.to_csv(f"{d}/features-pandas.csv", index=False)
        seconds = time.perf_counter() - t
    check = {c: float(pd.to_numeric(frame[c], errors="coerce").fillna(-1).sum())
             for c in ["hub_sessions_12m", "days_since_hub_session", "reviews_missed", "missed_12m_review",
                       "outreach_reached", "age_months", "imd_decile", "no_funded_place"]}
    print(json.dumps({"seconds": seconds, "rows": len(frame), "check": check,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main():
    if len(sys.argv) == 3:
        return run_peer(sys.argv[2], sys.argv[1])
    d = sys.argv[1]
    binary = os.path.join(os.path.dirname(HERE), ".build", "release", "uptake")
    out = os.path.join(d, "features-uptake.csv")
    t = time.perf_counter()
    # The peers do not censor outcomes: the whole extract is taken as complete, as the council is written uncut.
    run = subprocess.run(["/usr/bin/time", "-f", "%M", binary, "features", "--data", d, "--data-until", "2099-12-31",
                          "--out", out],
                         check=True, capture_output=True, text=True)
    uptake_seconds = time.perf_counter() - t
    uptake_rss = int(run.stderr.strip().splitlines()[-1]) / 1024
    ours = pd.read_csv(out)
    our_check = {c: float(pd.to_numeric(ours[c], errors="coerce").fillna(-1).sum())
                 for c in ["hub_sessions_12m", "days_since_hub_session", "reviews_missed", "missed_12m_review",
                           "outreach_reached", "age_months", "imd_decile", "no_funded_place"]}
    results = {}
    for peer in ["duckdb", "pandas"]:
        results[peer] = json.loads(subprocess.run([sys.executable, __file__, d, peer], check=True,
                                                  capture_output=True, text=True).stdout)
        assert results[peer]["rows"] == len(ours), (peer, results[peer]["rows"], len(ours))
        for c, v in our_check.items():
            assert abs(results[peer]["check"][c] - v) < 1e-6 * max(1, abs(v)), (peer, c, results[peer]["check"][c], v)
    print(f"point-in-time features, {len(ours):,} eligible children, 14 features + outcome, read to written CSV")
    print(f"{'uptake':10s} {uptake_seconds:7.2f} s  peak RSS {uptake_rss:6.0f} MB")
    for peer, r in results.items():
        print(f"{peer:10s} {r['seconds']:7.2f} s  peak RSS {r['peak_rss_mb']:6.0f} MB")
    print(f"ratio: duckdb / uptake = {results['duckdb']['seconds'] / uptake_seconds:.2f}x, "
          f"pandas / uptake = {results['pandas']['seconds'] / uptake_seconds:.2f}x (all results agree)")


if __name__ == "__main__":
    sys.exit(main())
