"""Plot time against the number of entries from bench/run.py's measurements.

    python bench/plot.py [RUN_JSON] [--out docs/benchmarks.png]

Medians, log-log, one line per tool; the floor, validate and build solid, the peers dashed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

REPO = Path(__file__).resolve().parent.parent
STYLE = {
    "floor": {
        "color": "#555555",
        "linestyle": "-",
        "marker": "o",
        "label": "floor (CSafeLoader only)",
    },
    "validate": {
        "color": "#1f77b4",
        "linestyle": "-",
        "marker": "o",
        "label": "paradecat validate",
    },
    "build": {"color": "#d62728", "linestyle": "-", "marker": "o", "label": "paradecat build"},
    "baseline validate": {
        "color": "#1f77b4",
        "linestyle": ":",
        "marker": "x",
        "label": "validate before issue 6",
    },
    "baseline build": {
        "color": "#d62728",
        "linestyle": ":",
        "marker": "x",
        "label": "build before issue 6",
    },
    "check-jsonschema": {
        "color": "#2ca02c",
        "linestyle": "--",
        "marker": "s",
        "label": "check-jsonschema",
    },
    "yaml-to-sqlite": {
        "color": "#9467bd",
        "linestyle": "--",
        "marker": "s",
        "label": "yaml-to-sqlite",
    },
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = REPO / ".bench" / "run.json"
    parser.add_argument("run", type=Path, nargs="?", default=default)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.png")
    args = parser.parse_args(argv)
    results = json.loads(args.run.read_text(encoding="utf-8"))
    sizes = sorted(int(n) for n in results["sizes"])
    fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
    for tool, style in STYLE.items():
        points = [
            (n, statistics.median(results["sizes"][str(n)]["tools"][tool]["times"]))
            for n in sizes
            if tool in results["sizes"][str(n)]["tools"]
        ]
        if points:
            ax.plot(*zip(*points, strict=True), **style)  # type: ignore[arg-type]
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(sizes, [f"{n:,}" for n in sizes])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    # label 2 and 5 between the powers of ten, not every minor tick
    ax.yaxis.set_minor_formatter(
        FuncFormatter(lambda value, _: f"{value:g}" if f"{value:.0e}"[0] in "25" else "")
    )
    ax.set_xlabel("entries (about 44 lines each)")
    ax.set_ylabel("seconds, whole process (median)")
    machine = results["machine"]
    ax.set_title(
        f"paradecat against its floor and peers — {machine['cores']} cores, {machine['date']}"
    )
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")
    fig.tight_layout()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
