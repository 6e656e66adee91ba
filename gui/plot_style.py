"""How the plots look: pyqtgraph's options, the amber of undetected faults, colour mixing,
point sizes, a stable axis top, label and axis styling, and legends under the x axis (with
``Swatch``, a plain box as a legend sample). Shared by the time-series plots and the job
panel's task stream."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

from . import theme as th

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


def _entry_sizes(legend: pg.LegendItem) -> tuple[list[float], float]:
    gap = 2 * legend.layout.horizontalSpacing() + 8
    widths = [sample.boundingRect().width() + label.item.boundingRect().width() + gap
              for sample, label in legend.items]
    row = max(max(sample.boundingRect().height(), label.item.boundingRect().height())
              for sample, label in legend.items) + legend.layout.verticalSpacing()
    return widths, row


def place_legend(plot_item: pg.PlotItem, legend: pg.LegendItem, width: float, height: float) -> bool:
    """Under the x axis (as many columns as fit) or, when that leaves the data less room,
    beside the data in one column (a short, wide plot: lecture mode's large type at 720
    lines). Either way never over the data. Returns whether it is beside."""
    if not legend.items:
        return False
    widths, row = _entry_sizes(legend)
    under_rows = -(-len(widths) // max(1, _columns(widths, width)))
    under_area = width * max(0.0, height - under_rows * row - 60)
    beside_width = max(widths) + 16
    beside_area = max(0.0, width - beside_width) * max(0.0, height - 60) if len(widths) * row <= height - 40 else 0.0
    beside = beside_area > under_area * 1.15
    layout = plot_item.layout
    where = (2, 3) if beside else (4, 1)
    if getattr(legend, "_clusterscope_place", (4, 1)) != where:
        layout.removeItem(legend)
        layout.addItem(legend, *where)
        layout.setAlignment(legend, Qt.AlignmentFlag.AlignVCenter if beside else Qt.AlignmentFlag.AlignHCenter)
        legend._clusterscope_place = where
    if beside:
        if legend.columnCount != 1:
            legend.setColumnCount(1)
        legend.updateSize()
        relayout_legend(legend)
    else:
        fit_legend(legend, width)
    return beside


def _columns(widths: list[float], width: float) -> int:
    for n in range(len(widths), 0, -1):  # entries fill rows left to right
        if sum(max(widths[c::n]) for c in range(n)) <= width - 20:
            return n
    return 1


def fit_legend(legend: pg.LegendItem, width: float) -> None:
    """As many legend columns as fit in ``width`` pixels (entries wrap onto more rows
    instead of widening the plot past its widget)."""
    if not legend.items:
        return
    widths, _ = _entry_sizes(legend)
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

