"""PNG plots of one trial, drawn with pyqtgraph offscreen from the trial's events alone:
per-node throughput with fault intervals shaded, replication health, and the task timeline."""

from __future__ import annotations


from .png import figure, offscreen_app, png_bytes


def _faults(state):
    out = []
    for f in state.faults:
        detected = f.detected if f.detected is not None else (f.end if f.end is not None else state.t)
        out.append((f.start, detected, "undetected"))
        if f.detected is not None:
            out.append((f.detected, f.end if f.end is not None else state.t, "dead"))
    return out


def _shade(plot, faults):
    import pyqtgraph as pg
    from PySide6.QtGui import QColor
    colours = {"undetected": QColor(230, 159, 0, 70), "dead": QColor(200, 40, 40, 50)}
    for start, end, kind in faults:
        if end > start:
            region = pg.LinearRegionItem((start, end), movable=False, brush=colours[kind])
            region.setZValue(-10)
            for line in region.lines:
                line.setPen(pg.mkPen(None))
            plot.addItem(region)


def render_trial_plots(run) -> list[tuple[str, bytes]]:
    """throughput.png, health.png and tasks.png for ``run``: (file name, PNG bytes) each."""
    offscreen_app()
    import numpy as np
    import pyqtgraph as pg

    from engine.palette import FAILED_RGB, UNDER_REPLICATED_RGB, node_colour_hex
    from engine.view import ClusterState

    def node_colour(node):
        return pg.mkColor(node_colour_hex(node))

    state = ClusterState()
    state.apply_all(run.events)
    faults = _faults(state)
    title = f"trial {run.trial} ({run.kind}): verdict {run.verdict}"
    written = []

    plot = figure(f"Read throughput per node, {title}", "MB/s read", 600)
    times = np.array([t for t, _ in state.metrics])
    nodes = sorted({n for _, rates in state.metrics for n in rates})
    total = np.zeros(len(times))
    for node in nodes:
        y = np.array([rates.get(node, 0.0) / 1e6 for _, rates in state.metrics])
        total += y
        plot.plot(times, y, pen=pg.mkPen(node_colour(node), width=2), name=f"Node {node}")
    plot.plot(times, total, pen=pg.mkPen("k", width=3), name="Total")
    _shade(plot, faults)
    written.append(png_bytes(plot, "throughput.png"))

    plot = figure(f"Replication health, {title}", "blocks", 500)
    hist = list(state.health_history)
    if hist:
        t = np.array([h[0] for h in hist] + [state.t])
        for index, name, colour in ((1, "under-replicated", UNDER_REPLICATED_RGB), (2, "missing", FAILED_RGB)):
            y = np.array([h[index] for h in hist])
            plot.plot(t, y, stepMode="center", pen=pg.mkPen(colour, width=3), name=name)
    _shade(plot, faults)
    written.append(png_bytes(plot, "health.png"))

    plot = figure(f"Task timeline (one lane per node), {title}", "node", 500, legend=False)
    for job in state.jobs.values():
        for a in job.attempts:
            end = a.ended if a.ended is not None else state.t
            colour = node_colour(a.node) if a.outcome == "done" else pg.mkColor(*FAILED_RGB)
            bar = pg.BarGraphItem(x0=[a.started], x1=[max(end, a.started + 0.002)], y=[a.node], height=0.7,
                                  brush=colour, pen=pg.mkPen("k", width=2 if a.retry else 0.5))
            plot.addItem(bar)
    _shade(plot, faults)
    written.append(png_bytes(plot, "tasks.png"))
    return written
