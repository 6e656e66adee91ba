"""Words: validation, whole-word counting and word frequencies for one block of UTF-8 text.

A word is a maximal run of Python ``\\w`` characters (letters, digits, underscore). On ASCII
text this is exactly GNU grep's word-constituent rule, so ``count_word`` equals
``grep -ow WORD FILE | wc -l``. ASCII blocks take a fast ``bytes`` path; others are decoded.
"""

from __future__ import annotations

import functools
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
    decoded (just that one character) to ask.

    The block is taken a piece at a time. Where matches are sparse, each is found by
    ``Finder`` and its neighbours checked one by one; a piece with more than
    ``DENSE_PER_PIECE`` matches (a frequent word) makes the next pieces counted whole in C
    (``_count_dense_piece``), until a piece has fewer than a quarter of that whole ones."""
    count = 0
    dense = False
    n = len(needle)
    size = len(hay)
    is_word = _ASCII_WORD
    with Finder(hay) as finder:
        i = finder.find(needle)  # the next match not yet looked at (sparse pieces)
        for start, end in piece_bounds(hay):
            if dense:
                found = _count_dense_piece(hay[start:end], needle)
                count += found
                if found < DENSE_PER_PIECE // 4:  # whole matches only: a lower bar to leave by
                    dense = False
                    i = finder.find(needle, end)
                continue
            found = 0
            while 0 <= i < end:
                j = i + n
                found += 1
                b = hay[i - 1] if i else _SPACE  # ASCII neighbours are looked up inline
                if not (is_word[b] if b < 0x80 else _before_is_word(hay, i)):
                    b = hay[j] if j < size else _SPACE
                    if not (is_word[b] if b < 0x80 else _after_is_word(hay, j)):
                        count += 1
                i = finder.find(needle, j)
            dense = found > DENSE_PER_PIECE
    return count


# More matches than this in one piece: the next piece is counted by ``_count_dense_piece``
# (a whole piece in C costs about as much as this many matches checked one by one).
DENSE_PER_PIECE = 128

_SPACE = 0x20


def _before_is_word(hay, i: int) -> bool:
    """Whether the character just before byte ``i`` of the UTF-8 ``hay`` is a word character."""
    if i == 0:
        return False
    b = hay[i - 1]
    if b < 0x80:
        return bool(_ASCII_WORD[b])
    k = i - 1
    while k > 0 and hay[k] & 0xC0 == 0x80:
        k -= 1
    return _is_word_char(hay[k:i].decode("utf-8", "replace"))


def _after_is_word(hay, j: int) -> bool:
    """Whether the character starting at byte ``j`` of the UTF-8 ``hay`` is a word character."""
    if j >= len(hay):
        return False
    b = hay[j]
    if b < 0x80:
        return bool(_ASCII_WORD[b])
    width = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
    return _is_word_char(hay[j:j + width].decode("utf-8", "replace")[:1])


@functools.lru_cache(maxsize=64)
def _dense_patterns(needle: bytes):
    """For one ASCII word, on a piece whose ASCII non-word bytes are spaces (non-ASCII bytes
    kept): ``any_match`` finds every match with a space or a non-ASCII byte on each side; its
    group is empty for a match with a space on both sides (whole), and one byte long for a
    match beside a non-ASCII byte (to be checked, found again by ``beside_non_ascii``). Both
    begin with the word itself, so the search looks for it in C and tries the neighbours only
    there; and ``findall`` gives back only empty and one-byte strings, which the interpreter
    keeps ready made."""
    word = re.escape(needle)
    non_ascii_before = b"(?<=[\x80-\xbf]" + word + b")"
    any_match = re.compile(word + b"(?:(?<= " + word + b")(?= )|(?=([\x80-\xff]|"
                           + non_ascii_before + b".)))")
    beside_non_ascii = re.compile(word + b"(?:" + non_ascii_before + b"|(?=[\x80-\xff]))")
    return any_match, beside_non_ascii


def _count_dense_piece(piece: bytes, needle: bytes) -> int:
    """Whole-word matches of ``needle`` in one piece (it begins at the block's start or just
    after ASCII whitespace, and ends at the block's end or just after ASCII whitespace). Every
    ASCII non-word byte becomes a space, and a space is put at both ends: a match with a
    space on both sides is whole; one beside a non-ASCII byte is whole when that character is
    not a word character (asked of the piece itself)."""
    any_match, beside_non_ascii = _dense_patterns(needle)
    marked = b" " + piece.translate(_TO_SPACES_KEEP_HIGH) + b" "
    found = any_match.findall(marked)
    count = found.count(b"")
    if count < len(found):
        n = len(needle)
        for match in beside_non_ascii.finditer(marked):
            at = match.start() - 1  # in the piece (the marked piece has one byte more in front)
            if not _before_is_word(piece, at) and not _after_is_word(piece, at + n):
                count += 1
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


def piece_bounds(data):
    """(start, end) of consecutive pieces of ``data`` of about ``PIECE`` bytes, each ending
    just after ASCII whitespace (the last one where ``data`` ends)."""
    size = len(data)
    start = 0
    while start < size:
        end = start + PIECE
        if end >= size:
            yield start, size
            return
        match = _BYTES_SPACE.search(data, end - 1)
        end = size if match is None else match.end()
        yield start, end
        start = end


def pieces(data):
    """Consecutive slices of ``data`` of about ``PIECE`` bytes, each ending just after ASCII
    whitespace (the last one where ``data`` ends)."""
    for start, end in piece_bounds(data):
        yield data[start:end]


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
