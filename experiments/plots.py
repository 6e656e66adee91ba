"""PNG plots of one trial, drawn with pyqtgraph offscreen from the trial's events alone:
per-node throughput with fault intervals shaded, replication health, and the task timeline."""

from __future__ import annotations

import os


def _qt():
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    return QApplication.instance() or QApplication([])


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


def _export(plot_widget, name: str) -> tuple[str, bytes]:
    """Lay the plot out at its widget's size, then render it as PNG bytes. A widget that is
    never shown never gets its resize event, so its items stay laid out at a default 640 x 480
    (and the export would scale that up) unless told. The bytes are written by the caller,
    because QImage.save only says False where a file write fails, never why."""
    import pyqtgraph.exporters as exporters
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    width, height = plot_widget.width(), plot_widget.height()
    plot_widget.plotItem.setGeometry(QRectF(0, 0, width, height))
    _qt().processEvents()
    exporter = exporters.ImageExporter(plot_widget.plotItem)
    exporter.parameters()["width"] = width
    image = exporter.export(toBytes=True)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"{name}: Qt could not encode the plot as PNG")
    buffer.close()
    return name, data.data()


def _plot_widget(title: str, ylabel: str, height: int, legend: bool = True, width: int = 1400):
    import pyqtgraph as pg
    plot = pg.PlotWidget(background="w")
    plot.resize(width, height)
    plot.setTitle(title, color="k", size="11pt")
    for side, text in (("left", ylabel), ("bottom", "cluster time (s)")):
        axis = plot.getAxis(side)
        axis.setTextPen("k")  # black on white: readable when printed or projected
        axis.setPen("k")
        plot.setLabel(side, text, color="k", **{"font-size": "11pt"})
    if legend:
        plot.addLegend(offset=(10, 10), labelTextSize="11pt", labelTextColor="k")
    return plot


def render_trial_plots(run) -> list[tuple[str, bytes]]:
    """throughput.png, health.png and tasks.png for ``run``: (file name, PNG bytes) each."""
    _qt()
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

    plot = _plot_widget(f"Read throughput per node, {title}", "MB/s read", 600)
    times = np.array([t for t, _ in state.metrics])
    nodes = sorted({n for _, rates in state.metrics for n in rates})
    total = np.zeros(len(times))
    for node in nodes:
        y = np.array([rates.get(node, 0.0) / 1e6 for _, rates in state.metrics])
        total += y
        plot.plot(times, y, pen=pg.mkPen(node_colour(node), width=2), name=f"Node {node}")
    plot.plot(times, total, pen=pg.mkPen("k", width=3), name="Total")
    _shade(plot, faults)
    written.append(_export(plot, "throughput.png"))

    plot = _plot_widget(f"Replication health, {title}", "blocks", 500)
    hist = list(state.health_history)
    if hist:
        t = np.array([h[0] for h in hist] + [state.t])
        for index, name, colour in ((1, "under-replicated", UNDER_REPLICATED_RGB), (2, "missing", FAILED_RGB)):
            y = np.array([h[index] for h in hist])
            plot.plot(t, y, stepMode="center", pen=pg.mkPen(colour, width=3), name=name)
    _shade(plot, faults)
    written.append(_export(plot, "health.png"))

    plot = _plot_widget(f"Task timeline (one lane per node), {title}", "node", 500, legend=False)
    for job in state.jobs.values():
        for a in job.attempts:
            end = a.ended if a.ended is not None else state.t
            colour = node_colour(a.node) if a.outcome == "done" else pg.mkColor(*FAILED_RGB)
            bar = pg.BarGraphItem(x0=[a.started], x1=[max(end, a.started + 0.002)], y=[a.node], height=0.7,
                                  brush=colour, pen=pg.mkPen("k", width=2 if a.retry else 0.5))
            plot.addItem(bar)
    _shade(plot, faults)
    written.append(_export(plot, "tasks.png"))
    return written
