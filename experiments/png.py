"""The one PNG path of reports and benchmarks: a white pyqtgraph figure drawn offscreen
(black, 11 pt axes: readable printed or projected) and its export at the figure's own size.
``experiments/plots.py`` and ``bench/plots.py`` both draw through it."""

from __future__ import annotations

import os


def offscreen_app():
    """The QApplication to draw with (created offscreen when there is no display)."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    return QApplication.instance() or QApplication([])


def png_bytes(plot_widget, name: str) -> tuple[str, bytes]:
    """Lay the plot out at its widget's size, then render it as PNG bytes. A widget that is
    never shown never gets its resize event, so its items stay laid out at a default 640 x 480
    (and the export would scale that up) unless told. The bytes are written by the caller,
    because QImage.save only says False where a file write fails, never why."""
    import pyqtgraph.exporters as exporters
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    width, height = plot_widget.width(), plot_widget.height()
    plot_widget.plotItem.setGeometry(QRectF(0, 0, width, height))
    offscreen_app().processEvents()
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


def export_png(plot_widget, path: str) -> str:
    """Write the plot as a PNG file at ``path``; returns its base name."""
    name, data = png_bytes(plot_widget, os.path.basename(path))
    with open(path, "wb") as f:
        f.write(data)
    return name


def figure(title: str, ylabel: str, height: int, legend: bool = True, width: int = 1400):
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
