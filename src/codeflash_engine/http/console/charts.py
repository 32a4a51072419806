"""Charts as inline SVG drawn on the server: geometry here, markup in the templates."""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from attrs import frozen

from codeflash_engine.db.rows import UsageRow

WIDTH = 720
HEIGHT = 220
AXIS = 28  # room under the bars for the day labels
TOP = 22  # room above them for the scale


@frozen
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    cost: Decimal
    calls: int


@frozen
class BarChart:
    width: int
    height: int
    baseline: float
    bars: tuple[Bar, ...]
    maximum: Decimal
    # Every n-th bar is labelled, so labels never overlap.
    label_every: int


def every_day(rows: Sequence[UsageRow], first: date, count: int) -> list[UsageRow]:
    """``rows`` (labelled ``YYYY-MM-DD``) with a zero row for each day of the range that has none."""
    by_day = {row.label: row for row in rows}
    days = [(first + timedelta(days=offset)).isoformat() for offset in range(count)]
    return [
        by_day.get(day, UsageRow(label=day, calls=0, failed_calls=0, cost_usd=Decimal(0))) for day in days
    ]


def daily_cost_chart(days: Sequence[UsageRow]) -> BarChart:
    """One bar per day, its height the day's cost relative to the costliest day."""
    maximum = max((day.cost_usd for day in days), default=Decimal(0))
    plot = HEIGHT - AXIS
    slot = WIDTH / max(len(days), 1)
    bars = []
    for index, day in enumerate(days):
        share = float(day.cost_usd / maximum) if maximum > 0 else 0.0
        height = max(share * (plot - TOP), 1.0 if day.calls else 0.0)
        bars.append(
            Bar(
                x=round(index * slot + slot * 0.1, 1),
                y=round(plot - height, 1),
                width=round(slot * 0.8, 1),
                height=round(height, 1),
                label=day.label,
                cost=day.cost_usd,
                calls=day.calls,
            )
        )
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        baseline=plot,
        bars=tuple(bars),
        maximum=maximum,
        label_every=max(1, len(days) // 8),
    )
