"""Time-series plots over the cluster's event stream: read throughput per node and block health.

Both plots draw from ``bridge.state`` (a ``ClusterState``) only. Plot items are created once
and refreshed with ``setData`` from numpy arrays on ``bridge.updated`` (at most 25 times a
second, and not at all while the widget is hidden; the throughput curves only when new
samples arrived, the x range and the shading every time), with operator faults shaded
(``live_plot.TimePlot`` and ``live_plot.FaultShading``).

Tests assert on the items' data (``curve_data``, ``total_data``, ``fault_regions``), never
on pixels.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from . import theme as th
from .live_plot import FaultShading, TimePlot, as_arrays, step_xy, window_slice  # noqa: F401  (FaultShading: tests)
from .plot_style import Swatch, amber, nice_ceiling, style_legend

MB = 10 ** 6
LEGEND_NODES = 8  # beyond this many nodes, one legend entry stands for every node's line
LEGEND_NODES_LECTURE = 3  # in lecture mode's large type, beyond this many


class ThroughputPlot(TimePlot):
    """MB/s read per node (one curve per node, in its node colour) and the cluster total,
    over the last ``window_s`` seconds of cluster time, with fault intervals shaded."""

    def __init__(self, bridge, window_s: float = 60.0, parent=None, theme: th.Theme | None = None):
        super().__init__(bridge, window_s, parent, theme)
        self.title.setText(self.tr("Read throughput"))
        self.curves: dict[int, pg.PlotDataItem] = {}
        self._data_key = None  # which samples the curves hold (see ``refresh``)
        self._peak = 0.0
        self.total_curve = pg.PlotDataItem(connect="finite")
        self.total_curve.setZValue(10)
        self._nodes_proxy = pg.PlotDataItem(pen=pg.mkPen("#888888", width=2))  # legend only, never plotted
        # Beyond LEGEND_NODES nodes: the nodes as one band (lowest to highest MB/s at each
        # moment) and lines only for the nodes a fault hit; every node's data is kept.
        self.band_lo = pg.PlotDataItem(connect="finite")
        self.band_hi = pg.PlotDataItem(connect="finite")
        self.band = pg.FillBetweenItem(self.band_lo, self.band_hi)
        for item in (self.band_lo, self.band_hi, self.band):
            item.setVisible(False)
            self.plot_item.addItem(item)
        self._values: dict[int, tuple] = {}  # node -> (t, MB/s): what each node's line would show
        self._shown: set[int] = set()
        # A sample's column of MB/s (one value per node, in ``_column_nodes`` order), computed
        # once per sample: a refresh converts only the samples that arrived since the last one.
        self._columns: dict[float, np.ndarray] = {}
        self._column_nodes: tuple = ()
        self._column_state = None
        self._cleared: set[int] = set()  # curves already holding no data
        self.plot_item.addItem(self.total_curve)
        self.legend.addItem(self.total_curve, self.tr("Total"))
        self.set_theme(self.theme)

    def axis_labels(self) -> dict:
        return {"left": self.tr("MB/s read"), "bottom": self.tr("cluster time (s)")}

    def _limit(self) -> int:
        """How many nodes get a line and a legend entry each (fewer in lecture mode's large
        type); beyond it, the band."""
        return LEGEND_NODES_LECTURE if self.theme.name == "lecture" else LEGEND_NODES

    def _many(self) -> bool:
        return len(self.curves) > self._limit()

    def _node_pen(self, node: int, theme: th.Theme):
        if len(self.curves) > LEGEND_NODES:  # many thin lines under a bold total
            return pg.mkPen(th.node_colour(node), width=1)
        return pg.mkPen(th.node_colour(node), width=3 if theme.name == "lecture" else 2)

    def _band_style(self, theme: th.Theme) -> None:
        colour = QtGui.QColor(theme.muted)
        colour.setAlpha(90)
        self.band.setBrush(pg.mkBrush(colour))
        edge = QtGui.QColor(theme.muted)
        edge.setAlpha(160)
        for item in (self.band_lo, self.band_hi):
            item.setPen(pg.mkPen(edge, width=1))
        self._nodes_proxy.setPen(pg.mkPen(edge, width=8))

    def apply_series_theme(self, theme: th.Theme) -> None:
        self._band_style(theme)
        if self.curves:
            self._data_key = None  # lecture mode folds the nodes into the band sooner
            self._rebuild_legend()
        for node, curve in self.curves.items():
            curve.setPen(self._node_pen(node, theme))
        self.total_curve.setPen(pg.mkPen(theme.text, width=5 if theme.name == "lecture" else 4))

    def reset(self) -> None:
        for curve in self.curves.values():
            self.legend.removeItem(curve)
            self.plot_item.removeItem(curve)
        self.curves.clear()
        self._values, self._shown = {}, set()
        self._columns, self._column_nodes, self._cleared = {}, (), set()
        for item in (self.band_lo, self.band_hi):
            item.setData([], [])
        self.legend.removeItem(self._nodes_proxy)
        self.total_curve.setData([], [])
        self._data_key = None

    def _curve(self, node: int) -> pg.PlotDataItem:
        curve = self.curves.get(node)
        if curve is None:
            curve = pg.PlotDataItem(connect="finite", pen=self._node_pen(node, self.theme))
            self.curves[node] = curve
            self.plot_item.addItem(curve)
            self._rebuild_legend()
        return curve

    def _rebuild_legend(self) -> None:
        """Legend: nodes in id order (or, beyond ``LEGEND_NODES`` nodes, one entry for them
        all, so the legend stays beside the data instead of over it), then Total, then the
        fault swatches."""
        entries = [(s, l.text) for s, l in self.legend.items]
        self.legend.clear()
        self.legend.removeItem(self._nodes_proxy)
        if self._many():
            lo, hi = min(self.curves), max(self.curves)
            self.legend.addItem(self._nodes_proxy, self.tr("Nodes {0}-{1} (range, lowest to highest)").format(lo, hi))
            for n in sorted(self._shown):
                if n in self.curves:
                    self.legend.addItem(self.curves[n], self.tr("Node {0}").format(n))
        else:
            for n in sorted(self.curves):
                self.legend.addItem(self.curves[n], self.tr("Node {0}").format(n))
        for n, c in self.curves.items():
            c.setPen(self._node_pen(n, self.theme))
        for sample, text in entries:
            if isinstance(sample, Swatch):  # a new one: a sample taken off a legend is not drawn again
                swatch = Swatch(sample.brush, sample.pen)
                swatch.kind = getattr(sample, "kind", None)
                self.legend.addItem(swatch, text)
            elif sample.item is self.total_curve:
                self.legend.addItem(self.total_curve, text)
        self._reorder_legend()
        style_legend(self.legend, self.theme)
        self._fit_legend()

    def _reorder_legend(self) -> None:
        items = list(self.legend.items)
        order = []
        order += [e for e in items if not isinstance(e[0], Swatch) and e[0].item is self._nodes_proxy]
        order += [e for e in items if not isinstance(e[0], Swatch) and e[0].item in self.curves.values()]
        order += [e for e in items if not isinstance(e[0], Swatch) and e[0].item is self.total_curve]
        order += [e for e in items if isinstance(e[0], Swatch)]
        if order != items:
            pairs = [(s if isinstance(s, Swatch) else s.item, l.text) for s, l in order]
            self.legend.clear()
            for item, text in pairs:
                if isinstance(item, Swatch):  # a new one: a sample taken off a legend is not drawn again
                    swatch = Swatch(item.brush, item.pen)
                    swatch.kind = getattr(item, "kind", None)
                    item = swatch
                self.legend.addItem(item, text)

    def refresh(self) -> None:
        lo, now = self.window()
        samples = window_slice(self.bridge.state.metrics, lo)
        # Samples arrive every metrics interval (a quarter second), redraws up to 25 times a
        # second: the curves are rebuilt only when the samples in the window changed.
        key = (id(self.bridge.state), len(samples),
               (samples[0][0], samples[0][0] >= lo, samples[-1][0]) if samples else None)
        if key != self._data_key:
            nodes = sorted({n for _, rates in samples for n in rates} | set(self.curves))
            for n in nodes:
                self._curve(n)
            self._data_key = key
            self._peak = self._set_curves(samples, nodes, lo)
        y_top = nice_ceiling(self._peak * 1.1 if self._peak > 0 else 1.0)
        self._set_ranges(lo, now, y_top, -0.02 * y_top)
        self._shade(lo, now, y_top)

    def _lines_wanted(self, nodes) -> set[int]:
        """Which nodes keep a line of their own: all of them, or beyond the legend's limit
        only those a fault hit (a kill, a pause) in the data's window."""
        if len(nodes) <= self._limit():
            return set(nodes)
        return {f.node for f in self.bridge.state.faults} & set(nodes)

    def _set_curves(self, samples, nodes, lo: float) -> float:
        """Give the curves the ``samples`` (in the window from ``lo``): a line per node, or
        the band and the lines of the nodes that matter; return the peak total."""
        self._values = {}
        many = len(nodes) > self._limit()
        shown = self._lines_wanted(nodes)
        if shown != self._shown:
            self._shown = shown
            if many:
                self._rebuild_legend()
        for n, curve in self.curves.items():
            curve.setVisible(n in shown)
        for item in (self.band_lo, self.band_hi, self.band):
            item.setVisible(many)
        if samples:
            t = np.fromiter((s[0] for s in samples), dtype=float, count=len(samples))
            values = self._sample_columns(samples, nodes)
            for i, n in enumerate(nodes):
                self._values[n] = (t, values[i])
                if n in shown:
                    self.curves[n].setData(t, values[i])
                    self._cleared.discard(n)
                elif n not in self._cleared:
                    self.curves[n].setData([], [])
                    self._cleared.add(n)
            if many:
                with np.errstate(all="ignore"):
                    low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
                self.band_lo.setData(t, low)
                self.band_hi.setData(t, high)
            total = np.nansum(values, axis=0) if nodes else np.zeros(len(samples))
            self.total_curve.setData(t, total)
            visible = t >= lo
            peak = float(np.nanmax(total[visible])) if visible.any() else 0.0
        else:
            for item in (*self.curves.values(), self.band_lo, self.band_hi):
                item.setData([], [])
            self._cleared = set(self.curves)
            self.total_curve.setData([], [])
            peak = 0.0
        return peak

    def _sample_columns(self, samples, nodes) -> np.ndarray:
        """MB/s as a (node, sample) array, NaN where a node has no sample. Each sample's
        column is kept (by its time) while it stays in the window, for as long as the nodes
        are the same, so a refresh converts only the new samples."""
        nodes = tuple(nodes)
        if nodes != self._column_nodes or self._column_state is not self.bridge.state:
            self._columns, self._column_nodes = {}, nodes
            self._column_state = self.bridge.state  # held, so that its id is never another's
        columns = self._columns
        nan = float("nan")
        out = []
        for when, rates in samples:
            column = columns.get(when)
            if column is None:
                column = columns[when] = np.array([rates.get(n, nan) for n in nodes], dtype=float) / MB
            out.append(column)
        first = samples[0][0]
        for when in [w for w in columns if w < first]:
            del columns[when]
        return np.column_stack(out)

    # -- introspection --------------------------------------------------------------------

    def nodes(self) -> list[int]:
        self.flush()
        return sorted(self.curves)

    def curve_data(self, node: int) -> tuple[np.ndarray, np.ndarray]:
        """The node's MB/s in the window (also when only the band shows it)."""
        self.flush()
        if node in self._values and node not in self._shown:
            return as_arrays(*self._values[node])
        x, y = self.curves[node].getData()
        return as_arrays(x, y)

    def lines_shown(self) -> list[int]:
        """The nodes drawn as a line of their own."""
        self.flush()
        return sorted(n for n in self._shown if n in self.curves)

    def band_data(self) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """The band's lower and upper edges (empty while every node has its line)."""
        self.flush()
        return as_arrays(*self.band_lo.getData()), as_arrays(*self.band_hi.getData())

    def total_data(self) -> tuple[np.ndarray, np.ndarray]:
        self.flush()
        return as_arrays(*self.total_curve.getData())

    def legend_labels(self) -> list[str]:
        self.flush()
        return [label.text for _, label in self.legend.items]


class HealthPlot(TimePlot):
    """Under-replicated and missing blocks over time (step curves extended to now), as the
    coordinator reports them, and, dashed, the blocks the tiles outline: fewer than R replicas
    within reach by the state's one rule (``ClusterState.marks``). While a failure is being
    detected the dashed line is up and the coordinator's is not yet: the detector's delay."""

    SERIES = ("under_replicated", "missing")
    OUT_OF_REACH = "out_of_reach"

    def __init__(self, bridge, window_s: float = 60.0, parent=None, theme: th.Theme | None = None):
        super().__init__(bridge, window_s, parent, theme)
        self.title.setText(self.tr("Block health"))
        self.curves: dict[str, pg.PlotDataItem] = {}
        names = {"under_replicated": self.tr("under-replicated"), "missing": self.tr("missing")}
        for name in self.SERIES:
            curve = pg.PlotDataItem(connect="finite")
            curve.setZValue(10 if name == "missing" else 5)
            self.plot_item.addItem(curve)
            self.legend.addItem(curve, names[name])
            self.curves[name] = curve
        reach = pg.PlotDataItem(connect="finite")
        reach.setZValue(4)
        self.plot_item.addItem(reach)
        self.legend.addItem(reach, self.tr("outlined (out of reach)"))
        self.curves[self.OUT_OF_REACH] = reach
        self.set_theme(self.theme)

    def axis_labels(self) -> dict:
        return {"left": self.tr("blocks"), "bottom": self.tr("cluster time (s)")}

    def apply_series_theme(self, theme: th.Theme) -> None:
        width = 4 if theme.name == "lecture" else 3
        self.curves["under_replicated"].setPen(pg.mkPen(amber(theme), width=width))
        self.curves["missing"].setPen(pg.mkPen(theme.danger, width=width))
        self.curves[self.OUT_OF_REACH].setPen(pg.mkPen(amber(theme), width=max(2, width - 1),
                                                       style=QtCore.Qt.PenStyle.DashLine))

    def reset(self) -> None:
        for curve in self.curves.values():
            curve.setData([], [])

    def refresh(self) -> None:
        lo, now = self.window()
        samples = window_slice(self.bridge.state.health_history, lo)
        peak = 0.0
        if samples:
            arr = np.asarray(samples, dtype=float)
            t = arr[:, 0]
            for column, name in ((1, "under_replicated"), (2, "missing")):
                x, y = step_xy(t, arr[:, column], now)
                self.curves[name].setData(x, y)
            peak = float(arr[t >= lo, 1:].max()) if (t >= lo).any() else float(arr[-1, 1:].max())
        else:
            for name in self.SERIES:
                self.curves[name].setData([], [])
        marks = window_slice(self.bridge.state.marks_history, lo)
        if marks:
            arr = np.asarray(marks, dtype=float)
            x, y = step_xy(arr[:, 0], arr[:, 1] + arr[:, 2], now)
            self.curves[self.OUT_OF_REACH].setData(x, y)
            peak = max(peak, float(y.max()))
        else:
            self.curves[self.OUT_OF_REACH].setData([], [])
        y_top = max(4.0, math.ceil(peak * 1.2 + 0.5))
        self._set_ranges(lo, now, y_top, -0.04 * y_top)
        self._shade(lo, now, y_top)

    def curve_data(self, series: str) -> tuple[np.ndarray, np.ndarray]:
        """``series`` is 'under_replicated', 'missing' or 'out_of_reach'."""
        self.flush()
        return as_arrays(*self.curves[series].getData())

    def legend_labels(self) -> list[str]:
        self.flush()
        return [label.text for _, label in self.legend.items]
