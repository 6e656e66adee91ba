"""Judging a job's result against a reference computed independently of the cluster.

An exact result must equal the single-process answer over the whole file. An incomplete one
must name every block it could not read (its byte range in the input) and equal the
single-process answer over exactly the other bytes: anything else is wrong. A job that
produced no result (``failed``) is neither exact nor wrong; it says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from collections import Counter

from .blocks import validate_text_file
from .text import WORD_RE, reference_count, top_k

EXACT, INCOMPLETE, WRONG, FAILED = "exact", "incomplete", "wrong", "failed"
VERDICTS = (EXACT, INCOMPLETE, WRONG, FAILED)


@dataclass(frozen=True)
class Verdict:
    verdict: str  # "exact" | "incomplete" | "wrong" | "failed"
    detail: str


def _listed(ids, limit: int = 8) -> str:
    ids = list(ids)
    text = ", ".join(str(b) for b in ids[:limit])
    return text + (f", ... ({len(ids)} in all)" if len(ids) > limit else "")


def remaining_bytes(data: bytes, exclude) -> bytes:
    """``data`` without the byte ranges ``exclude`` ((block, offset, length) or (offset,
    length)), a line break where each was, so no two words are joined. ValueError if a range
    is not inside ``data`` or two overlap: such a claim cannot be right."""
    ranges = sorted((r[-2], r[-1]) for r in exclude)
    pieces, at = [], 0
    for offset, length in ranges:
        if not (isinstance(offset, int) and isinstance(length, int)) or offset < at or length < 0 \
                or offset + length > len(data):
            raise ValueError(f"missing range at byte {offset} (+{length}) is not a separate part of "
                             f"the {len(data)}-byte input")
        pieces.append(data[at:offset])
        at = offset + length
    pieces.append(data[at:])
    return b"\n".join(pieces)


def kept_ranges(size: int, exclude) -> list[tuple[int, int]]:
    """The (start, end) byte ranges of a ``size``-byte input outside the ranges ``exclude``
    ((block, offset, length) or (offset, length)). ValueError if one of those is not inside
    the input or two overlap: such a claim cannot be right."""
    kept, at = [], 0
    for offset, length in sorted((r[-2], r[-1]) for r in exclude):
        if not (isinstance(offset, int) and isinstance(length, int)) or offset < at or length < 0 \
                or offset + length > size:
            raise ValueError(f"missing range at byte {offset} (+{length}) is not a separate part of "
                             f"the {size}-byte input")
        kept.append((at, offset))
        at = offset + length
    kept.append((at, size))
    return kept


REFERENCE_CHUNK = 1 << 20
_SPACES = b" \t\n\r\x0b\x0c"


def text_pieces(path: str, exclude=()):
    """The text of the file at ``path`` (without the byte ranges ``exclude``) as consecutive
    strings of about ``REFERENCE_CHUNK`` bytes, each cut just after ASCII whitespace or where a
    kept range ends, so no word spans two pieces and the file is never held whole."""
    size = validate_text_file(path)
    with open(path, "rb") as f:
        for start, end in kept_ranges(size, exclude):
            f.seek(start)
            left = end - start
            carry = b""
            while left > 0:
                read = f.read(min(REFERENCE_CHUNK, left))
                if not read:
                    raise ValueError(f"{path} ended before byte {end}: it changed while it was read")
                left -= len(read)
                chunk = carry + read
                cut = len(chunk) if left == 0 else max(chunk.rfind(c) for c in _SPACES) + 1
                carry = chunk[cut:]
                if cut:
                    yield chunk[:cut].decode("utf-8")
            if carry:
                yield carry.decode("utf-8")


def reference_for(path: str, kind: str, word: str | None = None, ignore_case: bool = False, top: int = 20,
                  exclude=()):
    """The single-process answer for a job over the file at ``path``, or over it without the
    byte ranges ``exclude`` (slow on purpose: a different code path from the blocks the
    cluster uses; the file is read a piece at a time, so any size fits in memory)."""
    if kind == "count":
        return sum(reference_count(text, word, ignore_case) for text in text_pieces(path, exclude))
    counts: Counter = Counter()
    for text in text_pieces(path, exclude):
        counts.update(WORD_RE.findall(text))
    return [list(x) for x in top_k(counts, top)]


def judge(status: str, missing_blocks, value, reference, missing_ranges=(), failure: str = "") -> Verdict:
    """``value`` is the job's count (or top list). ``reference`` is the independent answer:
    over the whole file for an ok result, over the file without ``missing_ranges`` for an
    incomplete one (the caller computes it for those ranges; see ``judge_file``)."""
    if status == "failed":
        return Verdict(FAILED, f"failed: no result ({failure or 'the job could not finish'})")
    if isinstance(value, (list, tuple)):
        value = [list(x) for x in value]
        reference = [list(x) for x in reference] if reference is not None else None
    if status != "ok":
        blocks = _listed(missing_blocks)
        if not missing_blocks:
            return Verdict(WRONG, "WRONG: incomplete, yet it names no missing block")
        if reference is None:
            return Verdict(INCOMPLETE, f"incomplete: no live replica of block(s) {blocks} "
                                       "(not checked against a reference)")
        if value == reference:
            return Verdict(INCOMPLETE, f"incomplete: block(s) {blocks} unreadable; the rest equals "
                                       "the single-process reference over the other bytes")
        return Verdict(WRONG, f"WRONG: without block(s) {blocks} the cluster said {value!r}, the "
                              f"reference over the other bytes says {reference!r}")
    if value == reference:
        return Verdict(EXACT, "exact: equals the single-process reference")
    return Verdict(WRONG, f"WRONG: the cluster said {value!r}, the reference says {reference!r}")


def judge_file(path: str, kind: str, word, ignore_case: bool, top: int, status: str, value,
               missing_ranges=(), failure: str = "", full_reference=None) -> Verdict:
    """Judge a result against ``path`` itself: the whole-file reference for an ok result
    (``full_reference`` if already computed), the remaining-bytes one for an incomplete one."""
    if status == "failed":
        return judge(status, (), value, None, failure=failure)
    if status == "ok":
        reference = full_reference if full_reference is not None else \
            reference_for(path, kind, word, ignore_case, top)
        return judge(status, (), value, reference)
    blocks = [r[0] for r in missing_ranges]
    if not missing_ranges:
        return judge(status, (), value, None)
    try:
        reference = reference_for(path, kind, word, ignore_case, top, exclude=missing_ranges)
    except ValueError as exc:
        return Verdict(WRONG, f"WRONG: {exc}")
    return judge(status, blocks, value, reference, missing_ranges)
