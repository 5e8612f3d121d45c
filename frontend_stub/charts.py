"""Small bar charts drawn as inline SVG on the server (no JavaScript, no CDN).

Each chart comes with its rows so the template can also print them as a table
(screen readers and printers get the figures, not just the bars).
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#b3261e"
TEXT_COLOUR = "#1f1f1f"
GRID_COLOUR = "#d9d4cf"


@dataclass
class Chart:
    svg: SafeString
    rows: list[tuple[str, int]]

    @property
    def empty(self) -> bool:
        return not self.rows


def bar_chart(rows, *, horizontal: bool = False, label: str = "") -> Chart:
    rows = [(str(name), int(value)) for name, value in rows]
    if not rows:
        return Chart(svg=mark_safe(""), rows=[])
    return Chart(svg=_horizontal(rows, label) if horizontal else _vertical(rows, label), rows=rows)


def _vertical(rows, label) -> SafeString:
    width, height, left, bottom, top = 560, 220, 32, 36, 16
    peak = max(v for _, v in rows) or 1
    slot = (width - left - 8) / len(rows)
    bar = min(40.0, slot * 0.7)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="{GRID_COLOUR}"/>',
    ]
    usable = height - bottom - top
    for i, (name, value) in enumerate(rows):
        h = usable * value / peak
        x = left + i * slot + (slot - bar) / 2
        y = height - bottom - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{BAR_COLOUR}" rx="2">'
                     f'<title>{escape(name)}: {value}</title></rect>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12" '
                     f'fill="{TEXT_COLOUR}">{value}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
                     f'fill="{TEXT_COLOUR}">{escape(name[-5:] if len(rows) > 6 else name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _horizontal(rows, label) -> SafeString:
    row_h, left, right, top = 24, 72, 40, 4
    width = 560
    height = top * 2 + row_h * len(rows)
    peak = max(v for _, v in rows) or 1
    usable = width - left - right
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
    ]
    for i, (name, value) in enumerate(rows):
        y = top + i * row_h
        w = usable * value / peak
        parts.append(f'<text x="{left - 8}" y="{y + row_h * 0.68:.1f}" text-anchor="end" font-size="13" '
                     f'fill="{TEXT_COLOUR}">{escape(name)}</text>')
        parts.append(f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{BAR_COLOUR}" rx="2">'
                     f'<title>{escape(name)}: {value}</title></rect>')
        parts.append(f'<text x="{left + w + 6:.1f}" y="{y + row_h * 0.68:.1f}" font-size="12" '
                     f'fill="{TEXT_COLOUR}">{value}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
