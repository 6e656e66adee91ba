"""Converters for the command line's values (argparse ``type=`` functions).

Each refuses a bad value with one line that argparse prefixes with the option, like
``argument --timeout: must be a finite number (got inf)``: every number must be finite
(``float()`` reads ``nan`` and ``inf``), and every value within the bounds of
``engine.values`` (times at most ``MAX_SECONDS``, at most ``MAX_TRIALS`` trials, ...).
Settings of the cluster itself are checked again, with the rest, by ``ClusterConfig.validate``.
"""

from __future__ import annotations

import argparse
import functools

from engine.errors import UsageError
from engine.sizes import parse_size
from engine.values import MAX_DATA_SIZE, BadValue, number, seconds

from .jobrun import KillPlan


def _checked(check):
    """An argparse type from ``check(text)``, which raises UsageError or BadValue."""
    @functools.wraps(check)
    def convert(text: str):
        try:
            return check(text)
        except (UsageError, BadValue) as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return convert


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise BadValue(f"{text!r} is not a number") from None


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise BadValue(f"{text!r} is not a whole number") from None


@_checked
def block_size(text: str) -> int:
    """A size like 64KiB (ClusterConfig.validate bounds it)."""
    return parse_size(text)


@_checked
def data_size(text: str) -> int:
    """The size of a corpus to generate: 1 B to MAX_DATA_SIZE."""
    return parse_size(text, maximum=MAX_DATA_SIZE)


@_checked
def positive_seconds(text: str) -> float:
    return seconds(_float(text), positive=True)


@_checked
def seconds_from_start(text: str) -> float:
    return seconds(_float(text))


@_checked
def speed(text: str) -> float:
    """MB/s: a finite number above 0."""
    return number(_float(text), above=0)


def count(maximum: int):
    """A whole number from 1 to ``maximum``."""
    def whole(text: str) -> int:
        return number(_int(text), whole=True, minimum=1, maximum=maximum)
    return _checked(whole)


@_checked
def corpus_seed(text: str) -> int:
    """A corpus seed: a whole number >= 0 (numpy's generator takes no negative seed)."""
    return number(_int(text), whole=True, minimum=0)


@_checked
def kill(text: str) -> KillPlan:
    return KillPlan.parse(text)


@_checked
def language(text: str) -> str:
    """A language of the window: en or zh_CN (zh, zh-CN, zh_CN.UTF-8 are zh_CN)."""
    from gui.languages import LANGUAGES, normalise
    code = text.split(".")[0].replace("-", "_").lower()
    lang = normalise(text) if code in ("en", "zh", "zh_cn", "zh_hans") or code.startswith("en_") else None
    if lang is None:
        raise BadValue(f"no translation for {text!r} (choose from {', '.join(LANGUAGES)})")
    return lang
