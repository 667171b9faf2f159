"""`shoptalk report --from --to -o report.html`: the analytics page as one self-contained HTML file
(figures, funnels and charts inline as SVG, no script, no external file), read from the same tracker
and analytics database the service uses."""
from __future__ import annotations

import argparse
import asyncio
import html
import time
from pathlib import Path
from types import SimpleNamespace


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", default=None, help="first day, YYYY-MM-DD (UTC, inclusive)")
    parser.add_argument("--to", dest="end", default=None, help="last day, YYYY-MM-DD (UTC, inclusive)")
    parser.add_argument("--flow", default=None, help="only this flow")
    parser.add_argument("-o", "--output", default="report.html", help="the HTML file to write")
    parser.add_argument("--config", default=None, help="YAML settings file (as for `shoptalk serve`)")
    parser.add_argument("--tracker-url", default=None, help="default: the service settings' tracker_url")
    parser.add_argument("--analytics-url", default=None, help="default: the service settings' analytics_url")
    parser.add_argument("--no-groups", action="store_true", help="skip the unrecognised groups (no MiniLM)")


def _pct(v) -> str:
    return "-" if v is None else f"{100 * v:.1f}%"


def _num(v, digits: int = 0) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def render(summary, funnels, groups, charts: dict[str, str], title: str) -> str:
    s = summary
    tiles = [("Tasks started", s.tasks.started), ("Done", s.tasks.done), ("Cancelled", s.tasks.cancelled),
             ("Handed off", s.tasks.handed_off), ("Abandoned", s.tasks.abandoned), ("Failed", s.tasks.failed),
             ("Containment", _pct(s.containment_rate)), ("Fallback", _pct(s.fallback_rate)),
             ("Clarification", _pct(s.clarification_rate)), ("Repair", _pct(s.repair_rate)),
             ("Median messages per finished task", _num(s.median_messages_per_finished_task, 1)),
             (f"CSAT (mean of {s.csat.ratings})", _num(s.csat.mean, 2)), ("Thumbs up", _pct(s.thumbs.up_share)),
             ("Scripted p50 / p95 ms", f"{_num(s.latency_ms.scripted.p50, 1)} / {_num(s.latency_ms.scripted.p95, 1)}"),
             ("Generated p50 / p95 ms",
              f"{_num(s.latency_ms.generated.p50, 1)} / {_num(s.latency_ms.generated.p95, 1)}")]
    tile_html = "".join(f"<div class=tile><b>{html.escape(str(v))}</b>{html.escape(k)}</div>" for k, v in tiles)
    funnel_rows = "".join(
        f"<tr><td>{html.escape(f.flow)}</td><td>{html.escape(st.title)}</td><td>{st.reached}</td><td>{st.cancelled}"
        f"</td><td>{st.handed_off}</td><td>{st.abandoned}</td><td>{st.failed}</td><td>{st.policy_failed}</td></tr>"
        for f in funnels for st in f.stages)
    group_rows = "".join(f"<tr><td>{g.count}</td><td>{html.escape(' | '.join(g.examples[:3]))}</td></tr>"
                         for g in groups[:20])
    day_rows = "".join(f"<tr><td>{d.day}</td><td>{d.turns}</td><td>{d.tasks_started}</td><td>{d.tasks_done}</td>"
                       f"<td>{_pct(d.containment_rate)}</td><td>{_pct(d.fallback_rate)}</td><td>{_num(d.csat_mean, 2)}"
                       f"</td></tr>" for d in s.by_day)
    section = lambda name, head: f"<h2>{head}</h2><div class=chart>{charts[name]}</div>" if name in charts else ""  # noqa: E731
    return f"""<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)}</title><style>
body{{font-family:system-ui,sans-serif;max-width:1100px;margin:0 auto;padding:16px;color:#222}}
.tiles{{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px}}
.tile{{background:#f6f8fa;border-radius:8px;padding:8px}}.tile b{{display:block;font-size:20px}}
table{{border-collapse:collapse;font-size:13px}}td,th{{border-bottom:1px solid #e3e5e8;padding:3px 8px;text-align:left}}
.chart svg{{max-width:100%;height:auto}}</style></head><body>
<h1>{html.escape(title)}</h1><p>Generated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. How each figure is
computed: docs/analytics.md.</p><div class=tiles>{tile_html}</div>
{section('funnels', 'Funnels')}
<table><tr><th>flow</th><th>stage</th><th>reached</th><th>cancelled</th><th>handed off</th><th>abandoned</th>
<th>failed</th><th>policy checks failed</th></tr>{funnel_rows}</table>
{section('rates', 'Containment and fallback by day')}{section('csat', 'CSAT by day')}
<table><tr><th>day</th><th>turns</th><th>tasks</th><th>done</th><th>containment</th><th>fallback</th><th>CSAT</th></tr>
{day_rows}</table>
{section('unrecognised', 'Top unrecognised groups')}
<table><tr><th>messages</th><th>examples (redacted)</th></tr>{group_rows}</table></body></html>"""


async def _collect(args, settings):
    from engine.flows.loader import load_flows
    from service.analytics import charts
    from service.analytics.db import AnalyticsDB
    from service.analytics.ingest import Analytics
    from service.analytics.queries import Filter, Queries
    from service.analytics.setup import default_url
    from service.tracker import open_tracker

    project = Path(settings.project_dir)
    flows = load_flows(project / "flows", root=project)
    tracker = open_tracker(settings.tracker_url, timeout=settings.redis_timeout_seconds)
    db = AnalyticsDB(default_url(settings))
    try:
        analytics = Analytics(db, tracker, SimpleNamespace(flows=flows), settings)
        await analytics.refresh(force=True)
        f = Filter(args.flow, args.start, args.end)
        q = Queries(db, settings, flows)
        summary, funnels = q.summary(f), q.funnels(f)
        groups = []
        if not args.no_groups:
            from engine.router import load_router
            from service.review import Embeddings, Grouping, group, group_labels, open_items

            items = open_items(db, f)
            router = load_router(project, train_if_needed=False, progress=False) if items else None
            groups = group(items, group_labels([i.text for i in items], Embeddings(), router, Grouping.of(settings)))
        svgs = {"funnels": charts.funnels(funnels), "rates": charts.rates(summary.by_day),
                "csat": charts.csat(summary.by_day)}
        if not args.no_groups:
            svgs["unrecognised"] = charts.unrecognised(groups)
        return summary, funnels, groups, svgs
    finally:
        await tracker.aclose()
        db.close()


def run(args: argparse.Namespace) -> int:
    from service.settings import Settings

    project = Path(getattr(args, "project", None) or ".").resolve()
    settings = Settings.load(args.config, project_dir=str(project), tracker_url=args.tracker_url,
                             analytics_url=args.analytics_url)
    if settings.tracker_url.startswith("sqlite:///") and not settings.tracker_url.startswith("sqlite:////"):
        settings.tracker_url = "sqlite:///" + str(project / settings.tracker_url[len("sqlite:///"):])
    summary, funnels, groups, svgs = asyncio.run(_collect(args, settings))
    span = f"{args.start or 'start'} to {args.end or 'today'}" + (f", flow {args.flow}" if args.flow else "")
    Path(args.output).write_text(render(summary, funnels, groups, svgs, f"shoptalk report: {span}"), encoding="utf-8")
    print(f"wrote {args.output}: {summary.tasks.started} tasks, {summary.turns} turns, {len(groups)} review groups")
    return 0
