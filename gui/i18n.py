"""Translation helpers. Every user-visible string goes through Qt's translation functions:
``self.tr()`` inside QObject subclasses, ``translate(context, text)`` elsewhere, so English
and Simplified Chinese catalogues can be added without touching the widgets."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate(context, text, disambiguation, n)
