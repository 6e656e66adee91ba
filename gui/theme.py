"""Colours, fonts and the stylesheet, in one place. Two themes: the normal one and the
high-contrast lecture theme (large fonts, legible from the back row of a lecture hall)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6 import QtGui

from engine.palette import NODE_COLOURS, STATE_STYLE, block_hue, node_colour_hex  # noqa: F401


def node_colour(node_id: int) -> QtGui.QColor:
    return QtGui.QColor(node_colour_hex(node_id))


def block_colour(block_id: int) -> QtGui.QColor:
    """Every replica of a block has this colour: hues spread by the golden angle."""
    return QtGui.QColor.fromHsv(block_hue(block_id), 150, 225)


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    panel: str
    text: str
    muted: str
    accent: str
    danger: str
    ok: str
    grid: str
    base_pt: int

    def font(self, scale: float = 1.0, bold: bool = False) -> QtGui.QFont:
        font = QtGui.QFont()
        font.setPointSizeF(self.base_pt * scale)
        font.setBold(bold)
        return font

    def stylesheet(self) -> str:
        return f"""
        QWidget {{ background: {self.window}; color: {self.text}; font-size: {self.base_pt}pt; }}
        QFrame#panel, QGroupBox {{ background: {self.panel}; border: 1px solid {self.grid};
                                   border-radius: 6px; }}
        QGroupBox {{ margin-top: 1.2em; padding-top: 0.4em; font-weight: bold; }}
        QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; }}
        QToolBar {{ background: {self.panel}; border-bottom: 1px solid {self.grid}; spacing: 4px; }}
        QToolButton {{ padding: 4px 8px; border-radius: 4px; }}
        QToolButton:hover {{ background: {self.grid}; }}
        QStatusBar {{ background: {self.panel}; border-top: 1px solid {self.grid}; }}
        QProgressBar {{ border: 1px solid {self.grid}; border-radius: 4px; text-align: center;
                        background: {self.window}; min-height: 1.4em; }}
        QProgressBar::chunk {{ background: {self.accent}; border-radius: 3px; }}
        QTableView, QListView, QPlainTextEdit, QTextEdit {{ background: {self.panel};
                        alternate-background-color: {self.window}; gridline-color: {self.grid}; }}
        QHeaderView::section {{ background: {self.window}; color: {self.muted}; border: none;
                                padding: 3px; }}
        QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox {{ background: {self.panel};
                        border: 1px solid {self.grid}; border-radius: 4px; padding: 2px 6px; }}
        QMenu {{ background: {self.panel}; border: 1px solid {self.grid}; }}
        QMenu::item:selected {{ background: {self.accent}; color: white; }}
        QToolTip {{ background: {self.panel}; color: {self.text}; border: 1px solid {self.grid}; }}
        """


NORMAL = Theme("normal", window="#F4F6F8", panel="#FFFFFF", text="#1B1F24", muted="#5B6570",
               accent="#0B6BCB", danger="#C62828", ok="#1E8E3E", grid="#D5DAE0", base_pt=10)
LECTURE = Theme("lecture", window="#000000", panel="#111417", text="#FFFFFF", muted="#C8D0D8",
                accent="#3DA5FF", danger="#FF5252", ok="#4CE07A", grid="#3A424A", base_pt=16)
LECTURE_SMALL = replace(LECTURE, base_pt=13)  # a 720-line projector: every panel still whole
LECTURE_SMALL_BELOW = 900  # window height (px) under which lecture mode uses LECTURE_SMALL


def lecture_for(height: int) -> Theme:
    """Lecture mode's theme for a window ``height`` pixels high: 16 pt type from 900 lines
    up (1080p projectors), 13 pt below (720p), so that no panel is cut off."""
    return LECTURE_SMALL if height < LECTURE_SMALL_BELOW else LECTURE
