"""Translations. Every user-visible string goes through Qt's translation functions:
``self.tr()`` inside QObject subclasses, ``translate(context, text)`` elsewhere. The
catalogues are ``assets/i18n/clusterscope_<lang>.ts`` (sources, made and updated by
``scripts/update-translations`` with pyside6-lupdate) compiled to ``.qm`` by pyside6-lrelease.

Languages: English (the source strings) and Simplified Chinese. The language is the one asked
for (``--lang``, View > Language), else the system locale's when a catalogue exists for it,
else English. Chinese text needs a CJK font: on Debian/Ubuntu ``fonts-noto-cjk`` or
``fonts-wqy-microhei`` (without one, Qt draws empty boxes)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from .languages import CATALOGUES, LANGUAGES, SOURCE_LANGUAGE, catalogue_path, normalise  # noqa: F401

_installed: list[QTranslator] = []


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate(context, text, disambiguation, n)


def system_language() -> str:
    """The system locale's language if there is a catalogue for it, else English."""
    for name in QLocale.system().uiLanguages() + [QLocale.system().name()]:
        lang = normalise(name)
        if lang is not None:
            return lang
    return SOURCE_LANGUAGE


def current_language() -> str:
    app = QCoreApplication.instance()
    lang = app.property("clusterscope_language") if app is not None else None
    return lang or SOURCE_LANGUAGE


def install(lang: str) -> str:
    """Make ``lang`` the application's language (replacing the one before); returns it.
    ValueError if there is no catalogue for it."""
    app = QCoreApplication.instance()
    lang = normalise(lang) or lang
    if lang not in LANGUAGES:
        raise ValueError(f"no translation for language {lang!r} (choose from {', '.join(LANGUAGES)})")
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    if lang != SOURCE_LANGUAGE:
        ours = QTranslator()
        if not ours.load(catalogue_path(lang)):
            raise ValueError(f"the catalogue {catalogue_path(lang)} cannot be read")
        qt_own = QTranslator()  # Qt's own words: standard buttons, file dialogs
        if qt_own.load(QLocale(lang), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
            QCoreApplication.installTranslator(qt_own)
            _installed.append(qt_own)
        QCoreApplication.installTranslator(ours)
        _installed.append(ours)
    if app is not None:
        app.setProperty("clusterscope_language", lang)
    return lang
