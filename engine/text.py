"""Words: validation, whole-word counting and word frequencies for one block of UTF-8 text.

A word is a maximal run of Python ``\\w`` characters (letters, digits, underscore). On ASCII
text this is exactly GNU grep's word-constituent rule, so ``count_word`` equals
``grep -ow WORD FILE | wc -l``. ASCII blocks take a fast ``bytes`` path; others are decoded.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter

from .errors import UsageError
from .memsearch import Finder

WORD_RE = re.compile(r"\w+")
_BYTES_WORD_RE = re.compile(rb"\w+")

# 1 for ASCII word bytes [A-Za-z0-9_], else 0; used for boundary checks on ASCII data.
_ASCII_WORD = bytes(
    1 if (chr(b).isascii() and (chr(b).isalnum() or chr(b) == "_")) else 0 for b in range(256)
)


def validate_word(word: str) -> str:
    """Return ``word`` if it is one word; raise UsageError naming the problem otherwise."""
    if word is None or word.strip() == "":
        raise UsageError("the word to count is empty: give one word, like 'data'")
    if not WORD_RE.fullmatch(word):
        raise UsageError(
            f"{word!r} is not a single word: use letters, digits or underscore only "
            "(count one word at a time)"
        )
    return word


def fold(word: str) -> str:
    return word.casefold()


def count_word(data, word: str, ignore_case: bool = False) -> int:
    """Whole-word occurrences of ``word`` in the UTF-8 bytes ``data`` (``bytes`` or any
    buffer with ``find``, such as a memory-mapped block)."""
    key = fold(word) if ignore_case else word
    if not ignore_case and key.isascii():
        # Searched in the bytes themselves; only non-ASCII neighbours of a match are decoded.
        return _count_utf8(data, key.encode("ascii"))
    if not isinstance(data, bytes):
        data = bytes(data)
    if data.isascii():  # and so ignore_case, or a non-ASCII word that cannot occur
        return _count_utf8(data.lower(), key.encode("ascii")) if key.isascii() else 0
    total = 0
    for piece in pieces(data):
        text = piece.decode("utf-8")
        if ignore_case:
            total += sum(1 for token in WORD_RE.findall(text) if fold(token) == key)
        else:
            total += _count_str(text, key)
    return total


def _count_utf8(hay, needle: bytes) -> int:
    """An ASCII word in UTF-8 bytes (ASCII or not), without decoding them: a match
    is whole when its neighbours are not word characters, and a non-ASCII neighbour is
    decoded (just that one character) to ask."""
    with Finder(hay) as finder:
        return _count_found(hay, needle, finder)


def _count_found(hay, needle: bytes, finder: Finder) -> int:
    n = len(needle)
    is_word = _ASCII_WORD
    end = len(hay)
    count = 0
    i = finder.find(needle)
    while i >= 0:
        j = i + n
        if i > 0:
            b = hay[i - 1]
            if b < 0x80:
                before = is_word[b]
            else:
                k = i - 1
                while k > 0 and hay[k] & 0xC0 == 0x80:
                    k -= 1
                before = _is_word_char(hay[k:i].decode("utf-8", "replace"))
        else:
            before = False
        if not before:
            if j < end:
                b = hay[j]
                if b < 0x80:
                    after = is_word[b]
                else:
                    width = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
                    after = _is_word_char(hay[j:j + width].decode("utf-8", "replace")[:1])
            else:
                after = False
            if not after:
                count += 1
        i = finder.find(needle, j)
    return count


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _count_str(text: str, needle: str) -> int:
    n = len(needle)
    end = len(text)
    count = 0
    i = text.find(needle)
    while i >= 0:
        j = i + n
        if (i == 0 or not _is_word_char(text[i - 1])) and (j == end or not _is_word_char(text[j])):
            count += 1
        i = text.find(needle, j)
    return count


# Work on a block a piece at a time, cut after ASCII whitespace (never inside a word or a
# character): no single call holds the interpreter for long, so a node's heartbeat thread
# gets its turn within milliseconds even on a loaded machine, whatever the block size.
PIECE = 64 * 1024
_BYTES_SPACE = re.compile(rb"[ \t\n\r\x0b\x0c]")


def pieces(data):
    """Consecutive slices of ``data`` of about ``PIECE`` bytes, each ending just after ASCII
    whitespace (the last one where ``data`` ends)."""
    size = len(data)
    start = 0
    while start < size:
        end = start + PIECE
        if end >= size:
            yield data[start:]
            return
        match = _BYTES_SPACE.search(data, end - 1)
        end = size if match is None else match.end()
        yield data[start:end]
        start = end


# Maps every ASCII non-word byte to a space and keeps the rest (ASCII word bytes, and every
# byte of a non-ASCII character), so that ``split()`` yields runs that hold every word whole.
_TO_SPACES_KEEP_HIGH = bytes(b if (_ASCII_WORD[b] or b >= 0x80) else 0x20 for b in range(256))


def word_frequencies(data) -> Counter:
    """Frequencies of every word in the UTF-8 bytes ``data`` (case-sensitive).

    Counted as bytes: every ASCII non-word byte becomes a space, ``split()`` gives runs of
    ASCII word bytes and non-ASCII characters, and those runs are counted. A run that is all
    ASCII is a word. Only a distinct run that holds a non-ASCII character is decoded and cut
    into its words by ``\\w+`` (a non-ASCII character may or may not be a word character), once
    per distinct run, not once per occurrence. ASCII bytes never occur inside a multi-byte
    character, so every run decodes on its own, and every word of the text lies in one run."""
    runs: Counter = Counter()
    for piece in pieces(data):
        runs.update(piece.translate(_TO_SPACES_KEEP_HIGH).split())
    counts: Counter = Counter()
    unicode_runs = []
    for run, n in runs.items():
        if run.isascii():
            counts[run.decode("ascii")] = n  # each ASCII run is a distinct word: no clash yet
        else:
            unicode_runs.append((run, n))
    for run, n in unicode_runs:
        for word in WORD_RE.findall(run.decode("utf-8")):
            counts[word] += n
    return counts


def partition_of(word: str, partitions: int) -> int:
    """Stable hash partition of a word (the same in every process and every run)."""
    return zlib.crc32(word.encode("utf-8")) % partitions


def partition_counts(counts: Counter, partitions: int) -> list[dict[str, int]]:
    parts: list[dict[str, int]] = [{} for _ in range(partitions)]
    for word, n in counts.items():
        parts[partition_of(word, partitions)][word] = n
    return parts


def top_k(counts: dict[str, int] | Counter, k: int) -> list[tuple[str, int]]:
    """The k most frequent words, ties broken alphabetically."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:k]


# -- single-process references, independent of the block path, for verdicts and tests --

def reference_count(text: str, word: str, ignore_case: bool = False) -> int:
    if ignore_case:
        key = fold(word)
        return sum(1 for token in WORD_RE.findall(text) if fold(token) == key)
    return sum(1 for token in WORD_RE.findall(text) if token == word)


def reference_wordcount(text: str, k: int) -> list[tuple[str, int]]:
    return top_k(Counter(WORD_RE.findall(text)), k)
