"""Small bar charts as geometry for server-rendered SVG (no script, no inline style).

The templates draw ``<rect>`` elements from these numbers; colours come from CSS classes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[Label]
    title: str
    empty: bool


def stacked(
    columns: list[tuple[str, list[tuple[str, int]]]],
    *,
    title: str,
    width: int = 560,
    height: int = 140,
) -> Chart:
    """One stacked column per ``(label, [(series, value), ...])``, scaled to the tallest."""
    plot_h = height - 22
    peak = max((sum(v for _, v in parts) for _, parts in columns), default=0)
    n = max(1, len(columns))
    slot = width / n
    bar_w = max(2.0, min(40.0, slot * 0.7))
    bars: list[Bar] = []
    labels: list[Label] = []
    for i, (label, parts) in enumerate(columns):
        x = i * slot + (slot - bar_w) / 2
        y = float(plot_h)
        for series, value in parts:
            if value <= 0 or peak <= 0:
                continue
            h = max(1.0, plot_h * value / peak)
            y -= h
            bars.append(Bar(round(x, 1), round(y, 1), round(bar_w, 1), round(h, 1),
                            f"s-{series}", f"{label}: {value} {series}"))  # fmt: skip
        if n <= 16 or i % max(1, n // 8) == 0:
            labels.append(Label(round(x + bar_w / 2, 1), height - 6, label[:12]))
    return Chart(width, height, bars, labels, title, peak == 0)
