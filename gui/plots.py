"""Time-series plots over the cluster's event stream: read throughput per node and block health.

Both plots draw from ``bridge.state`` (a ``ClusterState``) only. Plot items are created once
and refreshed with ``setData`` from numpy arrays on ``bridge.updated`` (at most 25 times a
second, and not at all while the widget is hidden; the throughput curves only when new
samples arrived, the x range and the shading every time). Operator faults are shaded the way
Jepsen shades its performance plots: from the kill or pause until the coordinator declares
the node dead ("undetected"), then until the node is back in service ("dead").

Tests assert on the items' data (``curve_data``, ``total_data``, ``fault_regions``), never
on pixels.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal

from . import theme as th
from .i18n import translate

MB = 10 ** 6
REFRESH_INTERVAL_S = 0.04  # 25 Hz at most

# Amber for "something is wrong and nobody knows yet"; darker on the light theme for contrast.
AMBER = {"normal": "#B86E00", "lecture": "#FFC233"}

_PG_CONFIGURED = False


def configure_pyqtgraph() -> None:
    """Global pyqtgraph options, set once per process (never ``pg.mkQApp``)."""
    global _PG_CONFIGURED
    if not _PG_CONFIGURED:
        pg.setConfigOptions(antialias=True)
        _PG_CONFIGURED = True


def amber(theme: th.Theme) -> str:
    return AMBER.get(theme.name, AMBER["normal"])


def plot_background(theme: th.Theme) -> str:
    return theme.window


def mix(a: str, b: str, amount: float) -> str:
    """Colour ``a`` moved ``amount`` (0..1) of the way towards ``b``, as #rrggbb."""
    ca, cb = QtGui.QColor(a), QtGui.QColor(b)
    channels = [round(x + (y - x) * amount) for x, y in
                ((ca.red(), cb.red()), (ca.green(), cb.green()), (ca.blue(), cb.blue()))]
    return "#{:02x}{:02x}{:02x}".format(*channels)


def css_pt(theme: th.Theme, scale: float = 1.0) -> str:
    return f"{theme.base_pt * scale:g}pt"


def nice_ceiling(value: float, minimum: float = 1.0) -> float:
    """The smallest 1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten at or above ``value``
    (a stable axis top: the y range only moves when the data outgrows it)."""
    value = max(float(value), minimum)
    exponent = math.floor(math.log10(value))
    for step in (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        top = step * 10 ** exponent
        if top >= value * (1 - 1e-9):
            return top
    return 10.0 ** (exponent + 1)


def style_label(label: QtWidgets.QLabel, theme: th.Theme, scale: float = 1.0, bold: bool = False,
                colour: str | None = None) -> None:
    """Font and colour through the label's own style sheet, so they win over the
    application style sheet's ``QWidget { font-size }``."""
    label.setFont(theme.font(scale, bold))
    weight = "bold" if bold else "normal"
    label.setStyleSheet(f"QLabel {{ color: {colour or theme.text}; background: transparent; "
                        f"font-size: {theme.base_pt * scale:g}pt; font-weight: {weight}; }}")


def style_axes(plot_item: pg.PlotItem, theme: th.Theme, labels: dict) -> None:
    """Colours and fonts of a PlotItem's axes for ``theme``; ``labels`` maps an axis name
    ('left', 'bottom') to its (already translated) label text."""
    tick_font = theme.font(1.0)
    for name in ("left", "bottom"):
        axis = plot_item.getAxis(name)
        # An axis (with its grid lines across the plot) is redrawn whenever anything under
        # it changes: cached as a pixmap, it is only re-rendered when its range or style does.
        axis.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        axis.setPen(pg.mkPen(theme.muted, width=1))
        axis.setTextPen(pg.mkPen(theme.text))
        axis.setTickFont(tick_font)
        axis.setStyle(tickTextOffset=max(4, theme.base_pt // 2), tickLength=-max(5, theme.base_pt // 2))
        if name in labels:
            axis.setLabel(labels[name], **{"color": theme.text, "font-size": css_pt(theme, 1.1)})


class Swatch(pg.ItemSample):
    """A legend sample that is just a filled box (for shaded regions and bar styles)."""

    def __init__(self, brush, pen=None):
        super().__init__(None)
        self.brush = pg.mkBrush(brush)
        self.pen = pg.mkPen(pen) if pen is not None else QtGui.QPen(Qt.PenStyle.NoPen)

    def set_style(self, brush, pen=None):
        self.brush = pg.mkBrush(brush)
        self.pen = pg.mkPen(pen) if pen is not None else QtGui.QPen(Qt.PenStyle.NoPen)
        self.update()

    def paint(self, p, *args):
        p.setPen(self.pen)
        p.setBrush(self.brush)
        p.drawRect(QtCore.QRectF(2, 3, 16, 14))

    def mouseClickEvent(self, event):
        event.accept()


def make_legend(plot_item: pg.PlotItem, columns: int = 8) -> pg.LegendItem:
    """A horizontal legend in its own row under the x axis, so it never covers the data."""
    legend = pg.LegendItem(offset=None, colCount=columns, horSpacing=14, verSpacing=0)
    plot_item.layout.addItem(legend, 4, 1)
    plot_item.layout.setAlignment(legend, Qt.AlignmentFlag.AlignHCenter)
    for row in range(5):  # only the view box row grows with the widget
        plot_item.layout.setRowStretchFactor(row, 1 if row == 2 else 0)
    return legend


def style_legend(legend: pg.LegendItem, theme: th.Theme) -> None:
    """Colour and size of every legend label, existing ones included (pyqtgraph's setters
    only change the options, the text must be set again to be re-rendered)."""
    legend.opts["labelTextColor"] = pg.mkColor(theme.text)
    legend.opts["labelTextSize"] = css_pt(theme, 1.0)
    for _, label in legend.items:
        label.setText(label.text, color=theme.text, size=css_pt(theme, 1.0))
    legend.setBrush(None)
    legend.setPen(None)
    legend.updateSize()
    relayout_legend(legend)


def relayout_legend(legend: pg.LegendItem) -> None:
    """``LegendItem.updateSize`` moves the legend to (0, 0) of the plot; put it back in its
    row under the x axis (and give that row the legend's new height) at once."""
    legend.updateGeometry()
    layout = legend.parentLayoutItem()
    if layout is not None:
        layout.invalidate()
        layout.activate()


def fit_legend(legend: pg.LegendItem, width: float) -> None:
    """As many legend columns as fit in ``width`` pixels (entries wrap onto more rows
    instead of widening the plot past its widget)."""
    if not legend.items:
        return
    gap = 2 * legend.layout.horizontalSpacing() + 8
    widths = [sample.boundingRect().width() + label.item.boundingRect().width() + gap
              for sample, label in legend.items]
    columns = 1
    for n in range(len(widths), 0, -1):  # entries fill rows left to right
        needed = sum(max(widths[c::n]) for c in range(n))
        if needed <= width - 20:
            columns = n
            break
    if columns != legend.columnCount:
        legend.setColumnCount(columns)
    legend.updateSize()
    relayout_legend(legend)


class GroupedBars(pg.BarGraphItem):
    """A ``BarGraphItem`` for thousands of bars that share a few brushes (the task stream):
    one ``drawRects`` per brush, where pyqtgraph records every bar with its own brush into a
    ``QPicture`` and replays it on every paint, several times slower. Bars with a pen each
    (``pens``) are drawn as pyqtgraph draws them."""

    def setOpts(self, **opts):
        self._groups = None
        super().setOpts(**opts)

    def _grouped(self) -> list:
        groups: dict = {}
        for rect, brush in zip(self._rectarray.instances(), self._brushes):
            entry = groups.get(id(brush))
            if entry is None:
                entry = groups[id(brush)] = (brush, [])
            entry[1].append(rect)
        return list(groups.values())

    def paint(self, p, *args):
        if self._singleColor or self._pens is not None or self._brushes is None:
            super().paint(p, *args)
            return
        if self._groups is None:
            self._groups = self._grouped()
        p.setPen(self._sharedPen)
        for brush, rects in self._groups:
            p.setBrush(brush)
            p.drawRects(rects)


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
        self.schedule_refresh()

    def _on_reset(self) -> None:
        self.reset()
        self.schedule_refresh()

    def reset(self) -> None:
        """The bridge started a new cluster: forget per-cluster items."""

    def schedule_refresh(self) -> None:
        self._dirty = True
        if not self.isVisible() or self._timer.isActive():
            return
        wait = self._next_slot - time.monotonic()
        if wait <= 0:
            self._refresh_now()
        else:
            self._timer.start(max(1, int(wait * 1000) + 1))

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


class _TimePlot(LiveWidget):
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
        """The legend sits under the x axis, in the data's column: the y axis's width is
        not its to use."""
        fit_legend(self.legend, self.plot_widget.width() - self.plot_item.getAxis("left").width())

    def _shade(self, lo: float, now: float, y_top: float) -> None:
        faults = self.bridge.state.faults
        self.shading.update(faults, lo, now, y_top=y_top)
        if self.shading.regions():
            self._add_fault_legend()


def _window_slice(samples, lo: float) -> list:
    """The samples with t >= lo, plus the one just before (so a line enters from the left
    edge); ``samples`` is a deque of tuples ordered by time."""
    out = []
    for sample in reversed(samples):
        out.append(sample)
        if sample[0] < lo:
            break
    out.reverse()
    return out


class ThroughputPlot(_TimePlot):
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
        self.plot_item.addItem(self.total_curve)
        self.legend.addItem(self.total_curve, self.tr("Total"))
        self.set_theme(self.theme)

    def axis_labels(self) -> dict:
        return {"left": self.tr("MB/s read"), "bottom": self.tr("cluster time (s)")}

    def _node_pen(self, node: int, theme: th.Theme):
        return pg.mkPen(th.node_colour(node), width=3 if theme.name == "lecture" else 2)

    def apply_series_theme(self, theme: th.Theme) -> None:
        for node, curve in self.curves.items():
            curve.setPen(self._node_pen(node, theme))
        self.total_curve.setPen(pg.mkPen(theme.text, width=5 if theme.name == "lecture" else 4))

    def reset(self) -> None:
        for curve in self.curves.values():
            self.legend.removeItem(curve)
            self.plot_item.removeItem(curve)
        self.curves.clear()
        self.total_curve.setData([], [])
        self._data_key = None

    def _curve(self, node: int) -> pg.PlotDataItem:
        curve = self.curves.get(node)
        if curve is None:
            curve = pg.PlotDataItem(connect="finite", pen=self._node_pen(node, self.theme))
            self.curves[node] = curve
            self.plot_item.addItem(curve)
            # Legend: nodes in id order, then Total, then the fault swatches.
            entries = [(s, l.text) for s, l in self.legend.items]
            self.legend.clear()
            for n in sorted(self.curves):
                self.legend.addItem(self.curves[n], self.tr("Node {0}").format(n))
            for sample, text in entries:
                if isinstance(sample, Swatch):
                    self.legend.addItem(sample, text)
                elif sample.item is self.total_curve:
                    self.legend.addItem(self.total_curve, text)
            self._reorder_legend()
            style_legend(self.legend, self.theme)
            self._fit_legend()
        return curve

    def _reorder_legend(self) -> None:
        items = list(self.legend.items)
        order = []
        order += [e for e in items if not isinstance(e[0], Swatch) and e[0].item in self.curves.values()]
        order += [e for e in items if not isinstance(e[0], Swatch) and e[0].item is self.total_curve]
        order += [e for e in items if isinstance(e[0], Swatch)]
        if order != items:
            pairs = [(s if isinstance(s, Swatch) else s.item, l.text) for s, l in order]
            self.legend.clear()
            for item, text in pairs:
                self.legend.addItem(item, text)

    def refresh(self) -> None:
        lo, now = self.window()
        samples = _window_slice(self.bridge.state.metrics, lo)
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

    def _set_curves(self, samples, nodes, lo: float) -> float:
        """Give every curve the ``samples`` (in the window from ``lo``); return the peak
        total."""
        if samples:
            t = np.fromiter((s[0] for s in samples), dtype=float, count=len(samples))
            values = np.full((len(nodes), len(samples)), np.nan)
            for j, (_, rates) in enumerate(samples):
                for i, n in enumerate(nodes):
                    v = rates.get(n)
                    if v is not None:
                        values[i, j] = v / MB
            for i, n in enumerate(nodes):
                self.curves[n].setData(t, values[i])
            total = np.nansum(values, axis=0) if nodes else np.zeros(len(samples))
            self.total_curve.setData(t, total)
            visible = t >= lo
            peak = float(np.nanmax(total[visible])) if visible.any() else 0.0
        else:
            for curve in self.curves.values():
                curve.setData([], [])
            self.total_curve.setData([], [])
            peak = 0.0
        return peak

    # -- introspection --------------------------------------------------------------------

    def nodes(self) -> list[int]:
        self.flush()
        return sorted(self.curves)

    def curve_data(self, node: int) -> tuple[np.ndarray, np.ndarray]:
        self.flush()
        x, y = self.curves[node].getData()
        return _arrays(x, y)

    def total_data(self) -> tuple[np.ndarray, np.ndarray]:
        self.flush()
        return _arrays(*self.total_curve.getData())

    def legend_labels(self) -> list[str]:
        self.flush()
        return [label.text for _, label in self.legend.items]


def _arrays(x, y):
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


class HealthPlot(_TimePlot):
    """Under-replicated and missing blocks over time (step curves extended to now)."""

    SERIES = ("under_replicated", "missing")

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
        self.set_theme(self.theme)

    def axis_labels(self) -> dict:
        return {"left": self.tr("blocks"), "bottom": self.tr("cluster time (s)")}

    def apply_series_theme(self, theme: th.Theme) -> None:
        width = 4 if theme.name == "lecture" else 3
        self.curves["under_replicated"].setPen(pg.mkPen(amber(theme), width=width))
        self.curves["missing"].setPen(pg.mkPen(theme.danger, width=width))

    def reset(self) -> None:
        for curve in self.curves.values():
            curve.setData([], [])

    def refresh(self) -> None:
        lo, now = self.window()
        samples = _window_slice(self.bridge.state.health_history, lo)
        peak = 0.0
        if samples:
            arr = np.asarray(samples, dtype=float)
            t = arr[:, 0]
            for column, name in ((1, "under_replicated"), (2, "missing")):
                x, y = step_xy(t, arr[:, column], now)
                self.curves[name].setData(x, y)
            peak = float(arr[t >= lo, 1:].max()) if (t >= lo).any() else float(arr[-1, 1:].max())
        else:
            for curve in self.curves.values():
                curve.setData([], [])
        y_top = max(4.0, math.ceil(peak * 1.2 + 0.5))
        self._set_ranges(lo, now, y_top, -0.04 * y_top)
        self._shade(lo, now, y_top)

    def curve_data(self, series: str) -> tuple[np.ndarray, np.ndarray]:
        """``series`` is 'under_replicated' or 'missing'."""
        self.flush()
        return _arrays(*self.curves[series].getData())

    def legend_labels(self) -> list[str]:
        self.flush()
        return [label.text for _, label in self.legend.items]
