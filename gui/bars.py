"""``GroupedBars``: a bar item for thousands of bars that share a few brushes."""

from __future__ import annotations

import pyqtgraph as pg


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

