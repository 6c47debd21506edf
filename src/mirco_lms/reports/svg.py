"""Small inline SVG charts (bars and histograms), drawn without any library.

The output is plain SVG markup with escaped text, sized by ``viewBox`` so it scales to the
page and prints crisply. Values of ``None`` are drawn as a gap labelled "–". Bar charts of
more than :data:`HORIZONTAL_FROM` labels (an item analysis of 80 questions) are drawn with
horizontal bars, one row per label, so that every label stays readable.
"""

from __future__ import annotations

from html import escape

from mirco_lms.reports.model import Chart

WIDTH = 640
BAR_AREA = 180
TOP = 20
LEFT = 44
BOTTOM = 70
HORIZONTAL_FROM = 31
"""Bar charts with at least this many labels are drawn horizontally."""
ROW = 16
"""Height of one row of a horizontal bar chart."""
LABEL_WIDTH = 190
"""Room for the labels left of horizontal bars (text shortened to fit)."""


def _scale(chart: Chart) -> tuple[float, float]:
    """(low, high) of the value axis."""
    values = [v for v in chart.values if v is not None]
    if chart.unit == "%":
        return 0.0, 100.0
    if chart.unit == "r":
        return min(-0.2, min(values, default=0.0)), 1.0
    high = max(values, default=0.0)
    return 0.0, float(high if high > 0 else 1)


def _ticks(low: float, high: float, unit: str) -> list[float]:
    if unit == "%":
        return [0, 25, 50, 75, 100]
    if unit == "r":
        return [t for t in (-0.5, 0.0, 0.2, 0.5, 1.0) if low <= t <= high]
    step = max(1, round(high / 4))
    return [float(t) for t in range(0, int(high) + 1, step)]


def _label(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.0f}%"
    if unit == "r":
        return f"{value:.2f}"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def chart_svg(chart: Chart) -> str:
    """The chart as an ``<svg>`` element."""
    if chart.kind == "bars" and len(chart.labels) >= HORIZONTAL_FROM:
        return _horizontal_svg(chart)
    count = max(len(chart.labels), 1)
    plot_width = WIDTH - LEFT - 10
    slot = plot_width / count
    gap = 0 if chart.kind == "histogram" else min(12.0, slot * 0.25)
    low, high = _scale(chart)
    span = (high - low) or 1.0

    def y(value: float) -> float:
        return TOP + BAR_AREA * (1 - (value - low) / span)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {TOP + BAR_AREA + BOTTOM}" role="img" '
        f'aria-label="{escape(chart.title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for tick in _ticks(low, high, chart.unit):
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - 10}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/><text class="tick" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{_label(tick, chart.unit)}</text>'
        )
    zero = y(max(low, 0.0))
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        width = max(slot - gap, 1.0) if chart.kind == "histogram" else min(max(slot - gap, 1.0), 90)
        x = LEFT + index * slot + (slot - width) / 2
        centre = x + width / 2
        if value is None:
            parts.append(f'<text class="value" x="{centre:.1f}" y="{zero - 4:.1f}" '
                         'text-anchor="middle">–</text>')
        else:
            top, bottom = sorted((y(value), zero))
            parts.append(
                f'<rect class="bar{" neg" if value < 0 else ""}" x="{x:.1f}" y="{top:.1f}" '
                f'width="{width:.1f}" height="{max(bottom - top, 0.5):.1f}">'
                f"<title>{escape(label)}: {_label(value, chart.unit)}</title></rect>"
            )
            if count <= 24:
                parts.append(f'<text class="value" x="{centre:.1f}" y="{top - 4:.1f}" '
                             f'text-anchor="middle">{_label(value, chart.unit)}</text>')
        base = TOP + BAR_AREA + 14
        parts.append(
            f'<text class="label" x="{centre:.1f}" y="{base}" text-anchor="end" '
            f'transform="rotate(-35 {centre:.1f} {base})">{escape(_short(label))}</text>'
        )
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - 10}" y1="{zero:.1f}" '
                 f'y2="{zero:.1f}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _horizontal_svg(chart: Chart) -> str:
    """Horizontal bars: a row per label, the value axis along the top."""
    low, high = _scale(chart)
    span = (high - low) or 1.0
    left = LABEL_WIDTH + 8
    plot = WIDTH - left - 44

    def x(value: float) -> float:
        return left + plot * (value - low) / span

    height = TOP + ROW * len(chart.labels) + 10
    parts = [
        f'<svg class="chart horizontal" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(chart.title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for tick in _ticks(low, high, chart.unit):
        parts.append(
            f'<line class="grid" x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{TOP}" '
            f'y2="{height - 10}"/><text class="tick" x="{x(tick):.1f}" y="{TOP - 6}" '
            f'text-anchor="middle">{_label(tick, chart.unit)}</text>'
        )
    zero = x(max(low, 0.0))
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        top = TOP + index * ROW + 2
        middle = top + (ROW - 4) / 2 + 4
        parts.append(f'<text class="label" x="{LABEL_WIDTH}" y="{middle:.1f}" '
                     f'text-anchor="end">{escape(_short(label, 30))}</text>')
        if value is None:
            parts.append(f'<text class="value" x="{zero + 4:.1f}" y="{middle:.1f}">–</text>')
            continue
        start, end = sorted((x(value), zero))
        parts.append(
            f'<rect class="bar{" neg" if value < 0 else ""}" x="{start:.1f}" y="{top:.1f}" '
            f'width="{max(end - start, 0.5):.1f}" height="{ROW - 4}">'
            f"<title>{escape(label)}: {_label(value, chart.unit)}</title></rect>"
            f'<text class="value" x="{max(end, zero) + 4:.1f}" y="{middle:.1f}">'
            f"{_label(value, chart.unit)}</text>"
        )
    parts.append(f'<line class="axis" x1="{zero:.1f}" x2="{zero:.1f}" y1="{TOP}" '
                 f'y2="{height - 10}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
