"""Where the cluster view puts things: the grid of node tiles, their fonts, the band at the
top (the client and a summary), the strip at the bottom (missing blocks) and each tile's area
for its replica squares. Geometry only: computed from a rectangle, the node ids, the theme's
fonts and the texts whose width matters; no widget, no painting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QFontMetrics

from .i18n import translate

MARGIN = 10
GAP = 14  # between tiles: leaves room for the selection ring
MAX_ASPECT = 1.8  # a tile is never more than this much wider than tall (or taller than wide)
FONT_STEPS = (1.5, 1.35, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5)
MAX_SQUARE = 26  # largest replica square, in pixels


def choose_columns(n: int, width: int, height: int, gap: int = GAP) -> int:
    """Columns for ``n`` tiles in width x height: the largest square-ish tiles, then the
    fewest empty cells."""
    best, best_score = 1, None
    for cols in range(1, max(1, n) + 1):
        rows = math.ceil(n / cols)
        w = (width - gap * (cols - 1)) / cols
        h = (height - gap * (rows - 1)) / rows
        score = (int(min(w, h)), -(cols * rows - n))
        if best_score is None or score > best_score:
            best, best_score = cols, score
    return best


def fit_squares(count: int, width: int, height: int, largest: int = MAX_SQUARE) -> tuple[int, int, int]:
    """(size, pitch, columns) of the largest squares that fit ``count`` of them in a
    width x height area, wrapping in rows."""
    for size in range(largest, 2, -1):
        pitch = size + max(1, size // 5)
        cols = max(1, (width + pitch - size) // pitch)
        rows = math.ceil(count / cols)
        if rows * pitch - (pitch - size) <= height:
            return size, pitch, cols
    return 2, 3, max(1, width // 3)


def square_rect(area: QRect, i: int, squares: tuple[int, int, int]) -> QRect:
    """The ``i``-th replica square of a tile whose squares go in ``area``; ``squares`` is
    what ``fit_squares`` chose."""
    size, pitch, cols = squares
    return QRect(area.x() + (i % cols) * pitch, area.y() + (i // cols) * pitch, size, size)


@dataclass
class Layout:
    order: tuple
    cols: int
    tiles: dict  # node id -> QRect
    areas: dict  # node id -> QRect where its replica squares go
    client: QRect
    band: QRect
    strip: QRect
    title_font: QFont
    body_font: QFont
    bold_font: QFont
    band_font: QFont
    strip_font: QFont
    pad: int


def compute_layout(rect: QRect, order: tuple, theme, restarting: str) -> Layout:
    """The layout of tiles for the nodes ``order`` in ``rect``, with ``theme``'s fonts as
    large as the tiles allow; ``restarting`` is the widest state word a tile shows."""
    band_font, strip_font = theme.font(1.15, bold=True), theme.font(1.4, bold=True)
    band_h = QFontMetrics(band_font).height() + 14
    strip_h = QFontMetrics(strip_font).height() + 14
    full = rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
    band = QRect(full.x(), full.y(), full.width(), band_h)
    strip = QRect(full.x(), full.bottom() - strip_h + 1, full.width(), strip_h)
    grid = QRect(full.x(), band.bottom() + 1 + GAP // 2, full.width(),
                 strip.top() - band.bottom() - 1 - GAP)
    client_w = QFontMetrics(band_font).horizontalAdvance(translate("ClusterView", "Client")) + 28
    client = QRect(band.x(), band.y() + 2, client_w, band_h - 4)
    cols, tiles = grid_tiles(order, grid)
    tile = next(iter(tiles.values()), QRect(0, 0, grid.width(), grid.height()))
    title, body, bold, pad = fit_fonts(theme, tile.width(), tile.height(), restarting)
    areas = {n: replica_area(r, title, bold, pad) for n, r in tiles.items()}
    return Layout(order, cols, tiles, areas, client, band, strip, title, body, bold, band_font,
                  strip_font, pad)


def grid_tiles(order: tuple, grid: QRect) -> tuple[int, dict]:
    """(columns, node id -> tile rectangle) of the nodes ``order`` centred in ``grid``."""
    n = len(order)
    if n == 0:
        return 1, {}
    cols = choose_columns(n, grid.width(), grid.height())
    rows = math.ceil(n / cols)
    w = (grid.width() - GAP * (cols - 1)) // cols
    h = (grid.height() - GAP * (rows - 1)) // rows
    w, h = max(1, min(w, int(h * MAX_ASPECT))), max(1, min(h, int(w * MAX_ASPECT)))
    x0 = grid.x() + (grid.width() - (cols * w + GAP * (cols - 1))) // 2
    y0 = grid.y() + (grid.height() - (rows * h + GAP * (rows - 1))) // 2
    tiles = {node: QRect(x0 + (i % cols) * (w + GAP), y0 + (i // cols) * (h + GAP), w, h)
             for i, node in enumerate(order)}
    return cols, tiles


def fit_fonts(theme, w: int, h: int, restarting: str) -> tuple:
    """Fonts as large as the tile allows (up to 1.5x the theme's), leaving the lower
    half of the tile to the replica squares."""
    pad = max(4, min(14, w // 22))
    sample_title = translate("ClusterView", "Node {0}").format(88) + "  ▶ 8"
    sample_state = "↻ " + restarting
    for step in FONT_STEPS:
        title, body, bold = theme.font(1.5 * step, True), theme.font(step), theme.font(step, True)
        ft, fb = QFontMetrics(title), QFontMetrics(bold)
        text_h = 2 * pad + ft.height() + 2 * fb.height() + 12
        wide = max(ft.horizontalAdvance(sample_title), fb.horizontalAdvance(sample_state) + 16)
        if text_h <= 0.55 * h and wide <= w - 2 * pad:
            break
    return title, body, bold, pad


def replica_area(tile: QRect, title: QFont, bold: QFont, pad: int) -> QRect:
    """Where a tile's replica squares go: below its name, state and PID lines."""
    top = tile.y() + pad + QFontMetrics(title).height() + 2 * QFontMetrics(bold).height() + 12 + pad // 2
    return QRect(tile.x() + pad, top, tile.width() - 2 * pad, max(1, tile.bottom() - pad - top))
