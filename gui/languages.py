"""The app's languages, without Qt (the command line checks ``--lang`` before Qt is loaded)."""

from __future__ import annotations

import os

CATALOGUES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "assets", "i18n")
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}  # code -> its own name
SOURCE_LANGUAGE = "en"


def normalise(lang: str) -> str | None:
    """'zh_CN', 'zh-cn', 'zh', 'zh_CN.UTF-8' -> 'zh_CN'; 'en_GB' -> 'en'; unknown -> None."""
    code = lang.split(".")[0].replace("-", "_").strip()
    for known in LANGUAGES:
        if code.lower() == known.lower():
            return known
    base = code.split("_")[0].lower()
    if base == "zh":
        return "zh_CN"
    if base == "en":
        return "en"
    return None


def catalogue_path(lang: str) -> str:
    """The compiled catalogue (.qm) of ``lang``."""
    return os.path.join(CATALOGUES, f"clusterscope_{lang}.qm")
