"""PNG charts of benchmark results, drawn offscreen with pyqtgraph like the experiment plots.

    python bench/plots.py bench/results.json OUT.png            # speedup of the scaling benchmark
    python bench/plots.py --recovery RECOVERY.json OUT.png      # output of bench/recovery.py
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from experiments.png import export_png, figure, offscreen_app  # noqa: E402

SIZE = (900, 600)
MEASURED = (0, 114, 178)  # blue
IDEAL = (120, 120, 120)  # grey
BOUND = (213, 94, 0)  # vermilion
FONT_PT = 11


def _figure(title: str, xlabel: str, ylabel: str):
    """A white plot of SIZE with readable axes (large black tick labels), a light grid and a
    legend in its top-left corner."""
    import pyqtgraph as pg
    plot = figure(title, ylabel, SIZE[1], legend=False, width=SIZE[0])
    plot.setTitle(title, color="k", size=f"{FONT_PT + 2}pt")
    for side, text in (("bottom", xlabel), ("left", ylabel)):
        axis = plot.getAxis(side)
        axis.setTickFont(_font())
        axis.setTextPen("k")
        axis.setPen("k")
        plot.setLabel(side, text, color="k", **{"font-size": f"{FONT_PT + 1}pt"})
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.addLegend(offset=(15, 15), labelTextSize=f"{FONT_PT}pt", labelTextColor="k",
                   brush=pg.mkBrush(255, 255, 255, 230), pen=pg.mkPen(200, 200, 200))
    return plot


def _font():
    from PySide6.QtGui import QFont
    font = QFont()
    font.setPointSize(FONT_PT)
    return font


def speedup_plot(scaling: dict, path: str) -> None:
    """Speedup of the scaling benchmark's job against one node (median, min-max bars) and the
    ideal speedup N, on log2 axes so that the ideal is a straight line.

    ``scaling`` is bench/run.py's ``bench_scaling`` result: bytes, disk_mbps and rows of
    {nodes, job_s {median, min, max}, ideal_s, ratio_to_ideal}."""
    offscreen_app()
    import numpy as np
    import pyqtgraph as pg

    rows = sorted(scaling["rows"], key=lambda r: r["nodes"])
    base = next((r for r in rows if r["nodes"] == 1), None)
    if base is None:
        raise ValueError("the scaling result has no 1-node row to compare with")
    one = base["job_s"]["median"]
    nodes = np.array([r["nodes"] for r in rows], dtype=float)
    speedup = np.array([one / r["job_s"]["median"] for r in rows])
    low = np.array([one / r["job_s"]["max"] for r in rows])
    high = np.array([one / r["job_s"]["min"] for r in rows])
    x, y = np.log2(nodes), np.log2(speedup)

    title = (f"Count job speedup over 1 node: {scaling['bytes'] / 2**20:.0f} MiB, "
             f"every disk at {scaling['disk_mbps']:g} MB/s, R = 1")
    plot = _figure(title, "nodes N", "speedup (job time on 1 node / on N nodes)")
    top = math.ceil(max(np.log2(nodes.max()), y.max()))
    ticks = [(i, str(2 ** i)) for i in range(0, top + 1)]
    plot.getAxis("bottom").setTicks([ticks])
    plot.getAxis("left").setTicks([ticks])
    ideal = plot.plot(x, x, pen=pg.mkPen(IDEAL, width=2, style=pg.QtCore.Qt.PenStyle.DashLine),
                      name="ideal: speedup = N")
    ideal.setZValue(10)  # dashes over the measured line: both stay visible where they meet
    plot.addItem(pg.ErrorBarItem(x=x, y=y, top=np.log2(high) - y, bottom=y - np.log2(low), beam=0.08,
                                 pen=pg.mkPen(MEASURED, width=2)))
    runs = base["job_s"].get("runs")
    label = f"measured (median of {runs} runs, min-max bars)" if runs else "measured"
    plot.plot(x, y, pen=pg.mkPen(MEASURED, width=3), symbol="o", symbolSize=10,
              symbolBrush=pg.mkBrush(MEASURED), symbolPen=pg.mkPen("w"), name=label)
    for xi, yi, s in zip(x, y, speedup):
        _label(plot, f"{s:.1f}x", xi + 0.1, yi - 0.08, anchor=(0, 0))  # below the line, right
    plot.setXRange(-0.2, top + 0.4, padding=0)
    plot.setYRange(-0.45, top + 0.4, padding=0)
    export_png(plot, path)


def recovery_plot(recovery: dict, path: str) -> None:
    """Detection against its bound and, per victim size, recovery against the ideal and the
    target's bound (1.2 x ideal + 1 s); bars are medians with min-max whiskers."""
    offscreen_app()
    import numpy as np
    import pyqtgraph as pg

    groups = [("detection", recovery["detection_s"], None, recovery["detection_bound_s"])]
    for size in recovery["sizes"]:
        label = f"recovery, {size['lost_mib']['median']:g} MiB"
        groups.append((label, size["recovery_s"], size["ideal_s"], size["bound_s"]))
    title = (f"Kill a node: {recovery['nodes']} nodes, R = {recovery['replication']}, "
             f"disks at {recovery['disk_mbps']:g} MB/s")
    plot = _figure(title, "", "seconds")
    plot.showGrid(x=False, y=True, alpha=0.25)
    x = np.arange(len(groups), dtype=float)
    median = np.array([g[1]["median"] for g in groups])
    high = np.array([g[1]["max"] for g in groups])
    low = np.array([g[1]["min"] for g in groups])
    plot.addItem(pg.BarGraphItem(x=x - 0.17, height=median, width=0.3, brush=pg.mkBrush(MEASURED),
                                 pen=None, name="measured (median, min-max)"))
    plot.addItem(pg.ErrorBarItem(x=x - 0.17, y=median, top=high - median, bottom=median - low, beam=0.1,
                                 pen=pg.mkPen("k", width=1.5)))
    ideal_x = [i + 0.17 for i, g in enumerate(groups) if g[2] is not None]
    plot.addItem(pg.BarGraphItem(x=ideal_x, height=[g[2] for g in groups if g[2] is not None], width=0.3,
                                 brush=pg.mkBrush(IDEAL), pen=None, name="ideal for the copy throttle"))
    bound_x = np.repeat(x, 2) + np.tile([-0.38, 0.38], len(groups))
    bound_y = np.repeat([g[3] for g in groups], 2)
    plot.plot(bound_x, bound_y, connect="pairs", pen=pg.mkPen(BOUND, width=3), name="target bound")
    for i, (_, measured, ideal, bound) in enumerate(groups):
        _label(plot, f"{measured['median']:.2f} s", i - 0.17, measured["max"], anchor=(0.5, 1))
        if ideal is not None:
            _label(plot, f"{ideal:.2f} s", i + 0.17, ideal, anchor=(0.5, 1))
        _label(plot, f"{bound:.2f} s", i, bound, anchor=(0.5, 1), colour=BOUND)
    plot.getAxis("bottom").setTicks([[(i, g[0]) for i, g in enumerate(groups)]])
    plot.setXRange(-0.6, len(groups) - 0.4, padding=0)
    plot.setYRange(0, max(max(g[3] for g in groups), high.max()) * 1.45, padding=0)  # room for the legend
    export_png(plot, path)


def _label(plot, text: str, x: float, y: float, anchor, colour="k") -> None:
    """A value written next to a point of the plot, in data coordinates."""
    import pyqtgraph as pg
    item = pg.TextItem(text, color=colour, anchor=anchor)
    item.setFont(_font())
    item.setPos(x, y)
    plot.addItem(item)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="bench/results.json, or with --recovery bench/recovery.py's output")
    parser.add_argument("out", help="PNG file to write")
    parser.add_argument("--recovery", action="store_true", help="plot a recovery result")
    args = parser.parse_args(argv)
    with open(args.results, encoding="utf-8") as f:
        results = json.load(f)
    if args.recovery:
        recovery_plot(results, args.out)
    else:
        speedup_plot(results["scaling"], args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
