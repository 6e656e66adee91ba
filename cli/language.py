"""The command line's language: its messages, summaries and help in English or Simplified
Chinese, from the same Qt catalogue as the window (``assets/i18n/clusterscope_<lang>.qm``).

The language is ``--lang`` when given (on any command), else the system locale's, read as
gettext reads it (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, the first one set),
else English. ``--json`` output, file names and the engine's own diagnostics (which name a
file, a line or a key) stay as they are.

Qt's QTranslator reads the catalogue without an application object; English needs no Qt at
all, and a missing Qt or catalogue means English, never an error."""

from __future__ import annotations

import os

from gui.languages import LANGUAGES, SOURCE_LANGUAGE, catalogue_path, normalise

_translator = None  # the loaded QTranslator, or None for English
_language = SOURCE_LANGUAGE

_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def asked_for(argv: list[str]) -> str | None:
    """The value of ``--lang X`` or ``--lang=X`` in ``argv`` (before a ``--``), if any."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def system_language(environ=os.environ) -> str:
    """The locale's language if there is a catalogue for it, else English. ``LANGUAGE`` may
    list several (``zh_CN:en``); ``C`` and ``POSIX`` are English."""
    for variable in _LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if not value:
            continue
        for name in value.split(":"):
            if name and name not in ("C", "POSIX") and not name.startswith("C."):
                lang = normalise(name)
                if lang is not None:
                    return lang
        if variable != "LANGUAGE":  # the first of LC_ALL, LC_MESSAGES, LANG that is set decides
            return SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def choose(argv: list[str], environ=os.environ) -> str:
    """``--lang`` if it names a language we have (a bad one is refused later, by the
    parser, in the language chosen here without it), else the system's."""
    asked = asked_for(argv)
    lang = normalise(asked) if asked else None
    return lang if lang in LANGUAGES else system_language(environ)


def install(lang: str) -> str:
    """Speak ``lang`` from now on; English when its catalogue or Qt cannot be loaded."""
    global _translator, _language
    _translator, _language = None, SOURCE_LANGUAGE
    if lang == SOURCE_LANGUAGE or lang not in LANGUAGES:
        return _language
    try:
        from PySide6.QtCore import QTranslator
    except ImportError:
        return _language
    translator = QTranslator()
    if translator.load(catalogue_path(lang)):
        _translator, _language = translator, lang
    return _language


def current() -> str:
    return _language


def translate(context: str, text: str) -> str:
    """``text`` in the current language (itself when it has no translation)."""
    if _translator is None:
        return text
    return _translator.translate(context, text) or text
