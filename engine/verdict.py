"""Judging a job's result against a reference computed independently of the cluster."""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import read_text_file
from .text import reference_count, reference_wordcount


@dataclass(frozen=True)
class Verdict:
    verdict: str  # "exact" | "incomplete" | "wrong"
    detail: str


def reference_for(path: str, kind: str, word: str | None = None, ignore_case: bool = False, top: int = 20):
    """The single-process answer for a job over the file at ``path`` (slow on purpose: a
    different code path from the blocks the cluster uses)."""
    text = read_text_file(path).decode("utf-8")
    if kind == "count":
        return reference_count(text, word, ignore_case)
    return [list(x) for x in reference_wordcount(text, top)]


def judge(status: str, missing_blocks, value, reference) -> Verdict:
    """``value`` is the job's count (or top list); ``reference`` the independent answer."""
    if status != "ok":
        blocks = ", ".join(str(b) for b in missing_blocks) or "?"
        return Verdict("incomplete", f"incomplete: no live replica of block(s) {blocks}")
    if isinstance(value, (list, tuple)):
        value = [list(x) for x in value]
        reference = [list(x) for x in reference]
    if value == reference:
        return Verdict("exact", "exact: equals the single-process reference")
    return Verdict("wrong", f"WRONG: the cluster said {value!r}, the reference says {reference!r}")
