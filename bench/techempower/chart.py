"""Bar chart of bench/results/latest-details.json: ``python chart.py DETAILS.json OUT.png``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

SERIES = [
    ("djanco", "Djanco (PostgreSQL)", "#0c7c59"),
    ("djanco-sqlite", "Djanco (SQLite)", "#7fc8a9"),
    ("django-wsgi", "Django 6 WSGI", "#44318d"),
    ("django-asgi", "Django 6 ASGI", "#8f7bd3"),
    ("fastapi", "FastAPI + SQLAlchemy", "#d64161"),
    ("floor", "Starlette + asyncpg (floor)", "#888888"),
]


def draw(details_path: Path, png_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    details = json.loads(details_path.read_text())
    by_server: dict[str, dict[str, float]] = details["rps_by_server"]
    tests = list(details["rps"])
    series = [s for s in SERIES if s[0] in by_server]
    width = 0.8 / max(len(series), 1)
    figure, axes = plt.subplots(figsize=(12, 5.5))
    for index, (key, label, colour) in enumerate(series):
        xs = [t + (index - (len(series) - 1) / 2) * width for t in range(len(tests))]
        values = [by_server[key].get(test, 0.0) for test in tests]
        bars = axes.bar(xs, values, width, label=label, color=colour)
        for bar, value in zip(bars, values, strict=True):
            if value:
                axes.annotate(
                    f"{value:,.0f}",
                    (bar.get_x() + bar.get_width() / 2, value),
                    ha="center",
                    va="bottom",
                    fontsize=6,
                    rotation=90,
                    xytext=(0, 2),
                    textcoords="offset points",
                )
    axes.set_yscale("log")
    axes.set_ylabel("requests/s (log scale)")
    axes.set_xticks(
        range(len(tests)), [f"{t} (N=20)" if t in ("queries", "updates") else t for t in tests]
    )
    axes.set_title(f"TechEmpower-style requests/s, one worker — {details['date']}", fontsize=10)
    axes.legend(fontsize=8, ncols=3, loc="upper right")
    axes.grid(axis="y", alpha=0.3)
    figure.text(0.01, 0.01, details["machine"], fontsize=6, color="#555555")
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    figure.savefig(png_path, dpi=130)


if __name__ == "__main__":
    draw(Path(sys.argv[1]), Path(sys.argv[2]))
