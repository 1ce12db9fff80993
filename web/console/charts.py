"""A bar chart drawn on the server as SVG: no script, no colour needed to read it.

:func:`bar_chart` works out the geometry; ``templates/insights.html`` draws it. One
series, in the page's text colour, with its scale written on the axis and each bar's
value in its tooltip; the same numbers are always in a table on the page as well.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 720, 240  # the viewBox; the SVG scales to the page's width
LEFT, BOTTOM, TOP = 60, 28, 12  # room for the scale and the first and last day


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the day or week
    value: float | None  # None: no data (no bar)


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    largest: float
    first: str
    last: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM
    top: int = TOP


def bar_chart(
    points: list[tuple[str, float | None]], largest: float | None = None
) -> BarChart:
    """Bars for ``(label, value)`` points, in order (the template words them), scaled to
    ``largest`` (a rate's 1.0) or to the largest value."""
    if largest is None:
        largest = max((value for _, value in points if value is not None), default=0)
    plot_width, plot_height = WIDTH - LEFT, HEIGHT - BOTTOM - TOP
    step = plot_width / max(len(points), 1)
    bars = []
    for number, (label, value) in enumerate(points):
        height = plot_height * min(value, largest) / largest if largest and value else 0
        bars.append(
            Bar(
                x=round(LEFT + number * step + step * 0.1, 2),
                y=round(HEIGHT - BOTTOM - height, 2),
                width=round(step * 0.8, 2),
                height=round(height, 2),
                label=label,
                value=value,
            )
        )
    first = points[0][0] if points else ""
    last = points[-1][0] if points else ""
    return BarChart(bars, largest, first, last)
