"""The live-plot base: a widget redrawn from ``bridge.state`` at most 25 times a second and
only while visible (``LiveWidget``), a rolling window of cluster time with a legend under the
x axis (``TimePlot``), and operator faults shaded the way Jepsen shades its performance
plots (``FaultShading``): from the kill or pause until the coordinator declares the node dead
("undetected"), then until the node is back in service ("dead"). With the helpers the plots
share to turn samples into curves (``window_slice``, ``as_arrays``, ``step_xy``)."""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Signal

from . import theme as th
from .i18n import translate
from .plot_style import Swatch, amber, configure_pyqtgraph, make_legend, place_legend, plot_background, \
    style_axes, style_label, style_legend

REFRESH_INTERVAL_S = 0.04  # 25 Hz at most


class FaultShading:
    """Shades operator faults on a plot with a reused pool of ``LinearRegionItem``s:
    ``undetected`` from the kill/pause to the node being declared dead, ``dead`` from then
    until it is back (or until now). Each fault is labelled with its node at the top."""

    KINDS = ("undetected", "dead")

    def __init__(self, plot_item: pg.PlotItem, theme: th.Theme = th.NORMAL, labels: bool = True):
        self.plot = plot_item
        self.theme = theme
        self.labels = labels
        self._regions: list[pg.LinearRegionItem] = []
        self._region_kinds: list[str | None] = []
        self._texts: list[pg.TextItem] = []
        self._brushes = {}
        self._pens = {}
        self.set_theme(theme)

    def colour(self, kind: str) -> QtGui.QColor:
        lecture = self.theme.name == "lecture"
        if kind == "undetected":
            colour = QtGui.QColor(amber(self.theme))
            colour.setAlpha(110 if lecture else 70)
        else:
            colour = QtGui.QColor(self.theme.danger)
            colour.setAlpha(80 if lecture else 45)
        return colour

    def set_theme(self, theme: th.Theme) -> None:
        self.theme = theme
        for kind in self.KINDS:
            colour = self.colour(kind)
            self._brushes[kind] = pg.mkBrush(colour)
            edge = QtGui.QColor(colour)
            edge.setAlpha(min(255, colour.alpha() * 2))
            self._pens[kind] = pg.mkPen(edge, width=1)
        for region, kind in zip(self._regions, self._region_kinds):
            if kind is not None:
                self._style(region, kind)
        font = theme.font(0.9, bold=True)
        for text in self._texts:
            text.setColor(theme.text)
            text.setFont(font)

    def _style(self, region: pg.LinearRegionItem, kind: str) -> None:
        region.setBrush(self._brushes[kind])
        for line in region.lines:
            line.setPen(self._pens[kind])

    def _region(self, i: int) -> pg.LinearRegionItem:
        while len(self._regions) <= i:
            region = pg.LinearRegionItem(values=(0, 0), orientation="vertical", movable=False)
            region.setZValue(-20)
            self.plot.addItem(region, ignoreBounds=True)
            self._regions.append(region)
            self._region_kinds.append(None)
        return self._regions[i]

    def _text(self, i: int) -> pg.TextItem:
        while len(self._texts) <= i:
            text = pg.TextItem(anchor=(0, 0), color=self.theme.text)
            text.setFont(self.theme.font(0.9, bold=True))
            text.setZValue(-5)
            self.plot.addItem(text, ignoreBounds=True)
            self._texts.append(text)
        return self._texts[i]

    def update(self, faults, lo: float, now: float, y_top: float | None = None) -> None:
        spans = []
        starts = []
        for fault in faults:
            end = fault.end if fault.end is not None else now
            end = max(end, fault.start)
            if end < lo or fault.start > now:
                continue
            detected = fault.detected
            if detected is not None:
                detected = min(max(detected, fault.start), end)
            spans.append((fault.start, detected if detected is not None else end, "undetected"))
            if detected is not None:
                spans.append((detected, end, "dead"))
            starts.append(fault)
        for i, (a, b, kind) in enumerate(spans):
            region = self._region(i)
            if self._region_kinds[i] != kind:
                self._style(region, kind)
                self._region_kinds[i] = kind
            if region.getRegion() != (a, b):
                region.setRegion((a, b))
            region.show()
        for region in self._regions[len(spans):]:
            region.hide()
        shown = 0
        if self.labels and y_top is not None:
            # One label per fault at the top of the plot, staggered down a row when it would
            # overlap the previous one.
            px, py = self.plot.getViewBox().viewPixelSize()
            metrics = QtGui.QFontMetricsF(self.theme.font(0.9, bold=True))
            row_ends: list[float] = []
            for fault in starts:
                text = self._text(shown)
                symbol = "✖" if fault.kind == "kill" else "❚❚"
                label = f"{symbol} " + translate("FaultShading", "Node {0}").format(fault.node)
                if text.textItem.toPlainText() != label:
                    text.setText(label)
                x = max(fault.start, lo)
                width = (metrics.horizontalAdvance(label) + 16) * px
                row = next((r for r, end in enumerate(row_ends) if x >= end), len(row_ends))
                if row == len(row_ends):
                    row_ends.append(x + width)
                else:
                    row_ends[row] = x + width
                text.setPos(x, y_top - row * (metrics.height() + 4) * py)
                text.show()
                shown += 1
        for text in self._texts[shown:]:
            text.hide()

    def regions(self) -> list[tuple[float, float, str]]:
        """(start, end, kind) of every region shown, read back from the items."""
        out = []
        for region, kind in zip(self._regions, self._region_kinds):
            if region.isVisible() and kind is not None:
                a, b = region.getRegion()
                out.append((float(a), float(b), kind))
        return out

    def legend_entries(self):
        return [(kind, self._brushes[kind], self._pens[kind]) for kind in self.KINDS]


class LiveWidget(QtWidgets.QWidget):
    """A widget redrawn from ``bridge.state`` when the bridge says it changed: at most once
    per ``REFRESH_INTERVAL_S`` slot (a late update is drawn by a single-shot timer, never
    dropped), and only while visible (a hidden widget catches up when shown).

    The slots are a fixed grid rather than "an interval after the last redraw": the bridge
    updates more often than that, a little early or late each time, and measured from the last
    redraw every early update would be deferred, a little more each time, until one in a few
    was merged into the next."""

    refreshed = Signal()  # emitted after each redraw (tests wait on it)

    def __init__(self, bridge, parent=None):
        super().__init__(parent)
        configure_pyqtgraph()
        self.bridge = bridge
        self.min_interval_s = REFRESH_INTERVAL_S
        self._next_slot = -math.inf  # the earliest time of the next redraw
        self._dirty = True
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._refresh_now)
        bridge.updated.connect(self._on_updated)
        reset = getattr(bridge, "cluster_reset", None)
        if reset is not None:
            reset.connect(self._on_reset)

    def _on_updated(self, _events=None) -> None:
        # Never drawn inside the bridge's delivery of events, which every view hears: each
        # view's redraw is an event-loop turn of its own, so no one turn holds the job
        # panel, both plots and the cluster view together.
        self.schedule_refresh(defer=True)

    def _on_reset(self) -> None:
        self.reset()
        self.schedule_refresh()

    def reset(self) -> None:
        """The bridge started a new cluster: forget per-cluster items."""

    def schedule_refresh(self, defer: bool = False) -> None:
        """Redraw now if the last redraw is ``min_interval_s`` old (or, with ``defer``, at
        the next turn of the event loop), else once it is."""
        self._dirty = True
        if not self.isVisible() or self._timer.isActive():
            return
        wait = self._next_slot - time.monotonic()
        if wait > 0:
            self._timer.start(max(1, int(wait * 1000) + 1))
        elif defer:
            self._timer.start(0)
        else:
            self._refresh_now()

    def _refresh_now(self) -> None:
        self._timer.stop()
        now = time.monotonic()
        slot = self._next_slot
        if now - slot >= self.min_interval_s:  # idle for a while: a new grid from now
            slot = now
        self._next_slot = slot + self.min_interval_s
        self._dirty = False
        self.refresh()
        self.refreshed.emit()

    def flush(self) -> None:
        """Draw now if an update is pending (introspection calls this first)."""
        if self._dirty or self._timer.isActive():
            self._refresh_now()

    def showEvent(self, event):
        super().showEvent(event)
        if self._dirty:
            self.schedule_refresh()

    def refresh(self) -> None:
        raise NotImplementedError


class TimePlot(LiveWidget):
    """A rolling-window plot of cluster time, with fault shading and a legend underneath."""

    TITLE = ""

    def __init__(self, bridge, window_s: float = 60.0, parent=None, theme: th.Theme | None = None):
        super().__init__(bridge, parent)
        self.window_s = float(window_s)
        self.theme = theme or th.NORMAL
        self._y_top = None

        self.title = QtWidgets.QLabel(self)
        self.plot_widget = pg.PlotWidget(self)
        self.plot_widget.setMinimumHeight(160)
        self.plot_item: pg.PlotItem = self.plot_widget.getPlotItem()
        self.plot_item.setMenuEnabled(False)
        self.plot_item.setMouseEnabled(x=False, y=False)
        self.plot_item.hideButtons()
        self.plot_item.showGrid(x=True, y=True, alpha=0.25)
        self.plot_item.getViewBox().setDefaultPadding(0.0)
        self.legend = make_legend(self.plot_item)
        self.shading = FaultShading(self.plot_item, self.theme)
        self._fault_legend = False

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.plot_widget, 1)

        # Cluster time runs whether or not events arrive: over a live cluster the window
        # scrolls on its own clock, at the redraw rate, as a live plot should.
        self._scroll_timer = QtCore.QTimer(self)
        self._scroll_timer.setTimerType(QtCore.Qt.PreciseTimer)
        self._scroll_timer.setInterval(int(REFRESH_INTERVAL_S * 1000))
        self._scroll_timer.timeout.connect(self._scroll)
        self._scroll_timer.start()

    def _scroll(self) -> None:
        if getattr(self.bridge, "backend", None) is not None and self.isVisible():
            self.schedule_refresh()

    # -- public ---------------------------------------------------------------------------

    def set_window(self, seconds: float) -> None:
        self.window_s = max(1.0, float(seconds))
        self.schedule_refresh()

    def set_theme(self, theme: th.Theme) -> None:
        self.theme = theme
        self.plot_widget.setBackground(plot_background(theme))
        style_label(self.title, theme, 1.25, bold=True)
        style_axes(self.plot_item, theme, self.axis_labels())
        self.plot_item.getAxis("left").setGrid(70 if theme.name == "lecture" else 50)
        self.plot_item.getAxis("bottom").setGrid(70 if theme.name == "lecture" else 50)
        self.shading.set_theme(theme)
        styles = {kind: (brush, pen) for kind, brush, pen in self.shading.legend_entries()}
        for swatch in self._fault_swatches():
            swatch.set_style(*styles[swatch.kind])
        self.apply_series_theme(theme)
        style_legend(self.legend, theme)
        self._fit_legend()
        pal = self.palette()
        pal.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(theme.window))
        self.setPalette(pal)
        self.setAutoFillBackground(True)
        self.layout().activate()  # the title's new size, now rather than on the next loop
        self.schedule_refresh()

    def fault_regions(self) -> list[tuple[float, float, str]]:
        self.flush()
        return self.shading.regions()

    def x_range(self) -> tuple[float, float]:
        self.flush()
        lo, hi = self.plot_item.getViewBox().viewRange()[0]
        return float(lo), float(hi)

    def y_range(self) -> tuple[float, float]:
        self.flush()
        lo, hi = self.plot_item.getViewBox().viewRange()[1]
        return float(lo), float(hi)

    # -- for subclasses -------------------------------------------------------------------

    def axis_labels(self) -> dict:
        return {}

    def apply_series_theme(self, theme: th.Theme) -> None:
        pass

    def _fault_swatches(self):
        return [sample for sample, _ in self.legend.items if isinstance(sample, Swatch)
                and getattr(sample, "kind", None) in FaultShading.KINDS]

    def _add_fault_legend(self) -> None:
        if self._fault_legend:
            return
        self._fault_legend = True
        names = {"undetected": self.tr("fault, undetected"), "dead": self.tr("declared dead")}
        for kind, brush, pen in self.shading.legend_entries():
            swatch = Swatch(brush, pen)
            swatch.kind = kind
            self.legend.addItem(swatch, names[kind])
        style_legend(self.legend, self.theme)
        self._fit_legend()

    def window(self) -> tuple[float, float]:
        now = float(self.bridge.clock())
        return now - self.window_s, now

    def _set_ranges(self, lo: float, now: float, y_top: float, y_bottom: float = 0.0) -> None:
        """x: the last ``window_s`` seconds up to now; in the first ``window_s`` seconds of a
        cluster, 0..window_s (no negative times; the data grows from the left)."""
        if lo < 0:
            lo, now = 0.0, max(now, self.window_s)
        vb = self.plot_item.getViewBox()
        vb.setRange(xRange=(lo, now), yRange=(y_bottom, y_top), padding=0.0, update=True)
        self._y_top = y_top

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_legend()

    def _fit_legend(self) -> None:
        """The legend sits under the x axis, in the data's column (the y axis's width is
        not its to use), or beside the data when the plot is too short for it underneath."""
        self.legend_beside = place_legend(self.plot_item, self.legend,
                                          self.plot_widget.width() - self.plot_item.getAxis("left").width(),
                                          self.plot_widget.height())

    def _shade(self, lo: float, now: float, y_top: float) -> None:
        faults = self.bridge.state.faults
        self.shading.update(faults, lo, now, y_top=y_top)
        if self.shading.regions():
            self._add_fault_legend()


def window_slice(samples, lo: float) -> list:
    """The samples with t >= lo, plus the one just before (so a line enters from the left
    edge); ``samples`` is a deque of tuples ordered by time."""
    out = []
    for sample in reversed(samples):
        out.append(sample)
        if sample[0] < lo:
            break
    out.reverse()
    return out


def as_arrays(x, y):
    if x is None:
        return np.array([]), np.array([])
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def step_xy(t: np.ndarray, v: np.ndarray, now: float) -> tuple[np.ndarray, np.ndarray]:
    """A step curve as explicit points: each value holds from its time until the next
    sample, the last until ``now``."""
    if len(t) == 0:
        return np.array([]), np.array([])
    end = max(float(now), float(t[-1]))
    x = np.append(np.repeat(t, 2)[1:], end)
    y = np.repeat(v, 2)
    return x, y.astype(float)


