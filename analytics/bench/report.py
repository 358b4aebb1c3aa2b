"""The benchmark's result as plain tables (terminal, log, README)."""
from __future__ import annotations

from analytics.bench.runner import render_ratios


def lines(r: dict) -> list[str]:
    t = r["targets"]
    out = [f"ClusterBoard benchmark, scale {r['scale']} ({', '.join(f'{k} {v:,}' for k, v in r['rows'].items() if k in ('projects', 'kpis', 'expenses', 'exchanges', 'trainings', 'checkins', 'companies', 'competencies'))})",
           f"as of {r['as_of']}, project {r['project']}; {r['machine']['cpus']} CPUs, load average "
           f"{r['machine']['load_before'][0]:.1f} before, {r['machine']['load_after'][0]:.1f} after; "
           f"generated in {r['generate_s']:.1f} s",
           f"machine speed: count(DISTINCT) over 1,000,000 integers {r['machine'].get('yardstick_ms_before', 0):.0f} ms "
           f"before, {r['machine'].get('yardstick_ms_after', 0):.0f} ms after (the issue: about 40 ms)", "",
           f"{'analytics call':34} {'page':10} {'median ms':>10} {'best ms':>9} {'cpu ms':>8}  < {t['call_ms']:.0f} ms"]
    for name, c in r["calls"].items():
        out.append(f"{name:34} {c['page']:10} {c['ms']:10.1f} {c['best_ms']:9.1f} {c['cpu_ms']:8.1f}  "
                   f"{'yes' if c['ms'] < t['call_ms'] else 'NO'}")
    out += ["", f"{'answer':26} {'ClusterBoard ms':>15} {'pandas ms':>10} {'pandas/CB':>10} {'limit ms':>9} {'CB/limit':>9}"]
    for name, a in r["answers"].items():
        out.append(f"{name:26} {a['clusterboard_ms']:15.1f} {a['pandas_ms']:10.1f} {a['pandas_ratio']:10.1f} "
                   f"{a['limit_ms']:9.1f} {a['limit_ratio']:9.2f}")
    if "import" in r:
        i = r["import"]
        out += ["", f"import of {i['rows']:,} expense rows (CSV, validation included, {i.get('via', '')}): "
                    + (f"{i['seconds']:.1f} s, {i['outcome']}, {i['inserted']:,} inserted, peak {i['peak_mb']:.0f} MB"
                       if "seconds" in i else f"FAILED: {i.get('error', '')[:300]}")]
    renders = r.get("renders", {})
    if renders:
        scales = list(renders)
        ratios = render_ratios(renders["S"], renders[scales[-1]]) if len(scales) > 1 else {}
        out += ["", f"{'page render (s)':22} " + " ".join(f"{s:>7}" for s in scales) + ("   L/S" if ratios else "")]
        for page in renders[scales[-1]]["pages"]:
            cells = [renders[s]["pages"].get(page, {}).get("seconds") for s in scales]
            ratio = ratios.get(page)
            errors = {e for s in scales for e in renders[s]["pages"].get(page, {}).get("errors", [])}
            out.append(f"{page:22} " + " ".join(f"{c:7.2f}" if c else "      -" for c in cells)
                       + (f" {ratio:6.2f}" if ratio else "") + (f"  errors: {'; '.join(errors)[:120]}" if errors else ""))
        for s in scales:
            m = renders[s]["server_memory"]
            out.append(f"server memory at {s}: peak {m['peak_mb']:.0f} MB, at the end {m['rss_mb']:.0f} MB")
    for kind, u in r.get("uploads", {}).items():
        out.append(f"server memory uploading {u['rows']:,} expense rows as {kind}"
                   + (f" ({u['file_mb']:.1f} MB) in the browser: {u['before_mb']['peak_mb']:.0f} MB before, "
                      f"peak {u['server_memory']['peak_mb']:.0f} MB; check {u['check_s']:.1f} s, import {u['import_s']:.1f} s"
                      if "error" not in u else f": FAILED: {u['error'][:300]}"))
    out += ["", "targets (issue 8, at L): " + "; ".join(f"{k}: {'met' if ok else 'NOT met'}"
                                                        for k, ok in r["targets_met"].items())]
    return out
