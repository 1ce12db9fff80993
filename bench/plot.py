"""The benchmark's plot: p95 latency and throughput against concurrent visitors.

Readable without colour: every target has its own marker and line style, in black.
"""

from __future__ import annotations

from pathlib import Path

from bench.goals import P95_LIMIT_MS
from bench.results import BenchResult

STYLES = {
    "embedded": {"marker": "o", "linestyle": "-"},
    "production": {"marker": "s", "linestyle": "--"},
    "stock": {"marker": "^", "linestyle": ":"},
    "stock-2w": {"marker": "v", "linestyle": (0, (3, 1, 1, 1))},
}
OTHER = {"marker": "x", "linestyle": "-."}


def plot(result: BenchResult, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display; only a PNG file
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(10, 4.2))
    for target in result.targets:
        visitors = [lvl.visitors for lvl in target.levels]
        style = {**STYLES.get(target.key, OTHER), "color": "black", "label": target.key}
        latency.plot(visitors, [lvl.summary.p95_ms for lvl in target.levels], **style)
        throughput.plot(visitors, [lvl.summary.per_second for lvl in target.levels], **style)
    levels = sorted({lvl.visitors for t in result.targets for lvl in t.levels})
    latency.axhline(P95_LIMIT_MS, color="grey", linewidth=1)
    latency.annotate(
        f"target {P95_LIMIT_MS} ms",
        (levels[-1] if levels else 1, P95_LIMIT_MS),
        textcoords="offset points",
        xytext=(-4, 4),
        horizontalalignment="right",
        color="dimgrey",
    )
    # Latencies span tens of milliseconds to seconds: a log scale shows both.
    latency.set_yscale("log")
    latency.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    latency.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:g}"))
    latency.yaxis.set_minor_formatter(ticker.NullFormatter())
    throughput.set_ylim(bottom=0)
    for axes, title, unit in (
        (latency, "p95 latency per message", "milliseconds (log scale)"),
        (throughput, "Throughput", "messages answered per second"),
    ):
        axes.set_xscale("log")
        axes.set_xticks(levels)
        axes.set_xticklabels([str(v) for v in levels])
        axes.set_xlabel("concurrent visitors")
        axes.set_ylabel(unit)
        axes.set_title(title)
        axes.grid(True, color="0.85")
        axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def plot_turns(result: BenchResult, path: Path) -> bool:
    """Latency by turn number in the long conversations; False if none was held."""
    measured = [t for t in result.targets if t.long and t.long.latencies_ms]
    if not measured:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(10, 4.2))
    for target in measured:
        by_turn = target.long.by_turn()
        turns = [n + 1 for n, value in enumerate(by_turn) if value is not None]
        values = [value for value in by_turn if value is not None]
        style = {**STYLES.get(target.key, OTHER), "color": "black", "label": target.key}
        axes.plot(turns, values, markersize=3, markevery=10, linewidth=1, **style)
    axes.set_ylim(bottom=0)
    axes.set_xlabel("turn of the conversation")
    axes.set_ylabel("median latency, milliseconds")
    long = measured[0].long
    axes.set_title(
        f"Latency by turn: {long.visitors} conversations of {long.turns} turns each, "
        f"{long.pause_seconds:g} s between turns"
    )
    axes.grid(True, color="0.85")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True
