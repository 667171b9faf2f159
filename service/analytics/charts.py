"""Charts drawn on the server as SVG with matplotlib (already a dependency of the `ml` extra).

Server-side SVG serves the analytics page and `shoptalk report` with the same pictures: the report
is one self-contained HTML file with the SVG inline, the page works offline, and there is no
vendored JavaScript bundle to keep current. Each function returns SVG text."""
from __future__ import annotations

import io

COLOURS = {"reached": "#2b6cb0", "cancelled": "#dd6b20", "handed_off": "#805ad5", "abandoned": "#a0aec0",
           "failed": "#c53030", "policy_failed": "#d69e2e"}


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=96)
    fig.set_layout_engine("constrained")
    return fig


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()


def _empty(ax, what: str) -> None:
    ax.text(0.5, 0.5, f"No {what} in this range yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def funnels(funnels: list) -> str:
    """One horizontal funnel per flow: tasks reaching each stage, and where the others stopped."""
    rows = max(1, len(funnels))
    fig = _figure(9, 1.2 + sum(0.32 * len(f.stages) + 0.6 for f in funnels) if funnels else 2)
    if not funnels:
        _empty(fig.add_subplot(1, 1, 1), "tasks")
        return _svg(fig)
    axes = fig.subplots(rows, 1, squeeze=False, height_ratios=[len(f.stages) + 1 for f in funnels])
    for ax, f in zip(axes[:, 0], funnels):
        labels = [s.title for s in f.stages][::-1]
        reached = [s.reached for s in f.stages][::-1]
        ax.barh(labels, reached, color=COLOURS["reached"], label="reached")
        left = list(reached)
        for key in ("cancelled", "handed_off", "abandoned", "failed"):
            vals = [getattr(s, key) for s in f.stages][::-1]
            if any(vals):
                ax.barh(labels, vals, left=left, color=COLOURS[key], label=key.replace("_", " "))
                left = [a + b for a, b in zip(left, vals)]
        for y, v in enumerate(reached):
            ax.text(v, y, f" {v}", va="center", fontsize=8)
        ax.set_title(f"{f.title}: {f.done} of {f.started} done", fontsize=10, loc="left")
        ax.tick_params(labelsize=8)
        ax.legend(fontsize=7, loc="lower right")
    return _svg(fig)


def rates(days: list) -> str:
    """Containment and fallback rates by day."""
    fig = _figure(9, 3)
    ax = fig.add_subplot(1, 1, 1)
    if not days:
        _empty(ax, "turns")
        return _svg(fig)
    x = [d.day for d in days]
    for key, colour in (("containment_rate", "#2f855a"), ("fallback_rate", "#c53030")):
        ax.plot(x, [getattr(d, key) if getattr(d, key) is not None else float("nan") for d in days], marker="o",
                color=colour, label=key.replace("_", " "))
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("rate")
    ax.legend(fontsize=8)
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    return _svg(fig)


def csat(days: list) -> str:
    """Mean 1-5 rating by day, with the number of ratings."""
    fig = _figure(9, 3)
    ax = fig.add_subplot(1, 1, 1)
    rated = [d for d in days if d.ratings]
    if not rated:
        _empty(ax, "ratings")
        return _svg(fig)
    ax.bar([d.day for d in rated], [d.csat_mean for d in rated], color="#3182ce")
    for i, d in enumerate(rated):
        ax.text(i, d.csat_mean, f"{d.csat_mean:.2f} (n={d.ratings})", ha="center", va="bottom", fontsize=7)
    ax.set_ylim(0, 5.5)
    ax.set_ylabel("CSAT (1-5)")
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    return _svg(fig)


def unrecognised(groups: list, top: int = 10) -> str:
    """The largest review groups (messages the assistant did not understand), by count."""
    groups = groups[:top]
    fig = _figure(9, 1 + 0.35 * max(1, len(groups)))
    ax = fig.add_subplot(1, 1, 1)
    if not groups:
        _empty(ax, "unrecognised messages")
        return _svg(fig)
    labels = [(g.examples[0][:60] + ("..." if len(g.examples[0]) > 60 else "")) for g in groups][::-1]
    ax.barh(labels, [g.count for g in groups][::-1], color="#dd6b20")
    ax.tick_params(labelsize=8)
    ax.set_xlabel("messages")
    return _svg(fig)
