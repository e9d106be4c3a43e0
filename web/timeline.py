"""The per-year timeline as SVG geometry: bars, labels and ticks, computed on the server."""
from __future__ import annotations

WIDTH, HEIGHT = 720, 124
TOP, BOTTOM, LEFT, RIGHT = 18, 24, 4, 4
MAX_LABELS = 12


def chart(points: list[dict], selected: list) -> dict:
    """Bars for [{year, count}] scaled into a WIDTH×HEIGHT viewBox; selected years flagged."""
    if not points:
        return {"bars": [], "width": WIDTH, "height": HEIGHT}
    peak = max(p["count"] for p in points) or 1
    slot = (WIDTH - LEFT - RIGHT) / len(points)
    gap = min(6.0, slot * 0.2)
    plot = HEIGHT - TOP - BOTTOM
    every = max(1, -(-len(points) // MAX_LABELS))
    chosen = {int(y) for y in selected if str(y).isdigit()}
    bars = []
    for i, p in enumerate(points):
        h = round(plot * p["count"] / peak, 1) if p["count"] else 0
        x = LEFT + i * slot
        bars.append({
            **p,
            "x": round(x + gap / 2, 1), "w": round(slot - gap, 1),
            "y": round(TOP + plot - h, 1), "h": h,
            "cx": round(x + slot / 2, 1),
            "label": i % every == 0 or i == len(points) - 1 and (len(points) - 1) % every >= every / 2,
            "selected": p["year"] in chosen,
        })
    return {"bars": bars, "width": WIDTH, "height": HEIGHT, "base": TOP + plot,
            "label_y": HEIGHT - 6, "peak": peak, "show_counts": slot >= 24}
