"""Seeded sample text with a Zipf-like vocabulary, so demos and tests need no downloads.

The same size and seed always give the same bytes. The text is mostly ASCII English-like
words with punctuation, capitalised forms and line breaks, plus a few non-ASCII words
(accented Latin, Greek, Chinese) so that Unicode paths are exercised too.
"""

from __future__ import annotations

import os
import stat

import numpy as np

from .errors import OutputError, UsageError

COMMON = (
    "the of and to in a is that for it as was with be by on not he this are or his from at "
    "which but have an they you were her she there been one all we their has would when if "
    "so no will more out up into do any can about data node block disk cluster replica "
    "other than then them these some time only could new may"
).split()
NON_ASCII = ["café", "naïve", "straße", "Ωmega", "数据", "集群", "résumé", "Zürich", "ПРИВЕТ", "niño"]
_SYLLABLES = (
    "ka ra to mi lo ne su pa the ri ba de vo an el is or un ex li qu zo fe ta mo "
    "ni sa ge co da ve ma pe lu ro bi ha"
).split()
_ZIPF_EXPONENT = 1.07
_VOCABULARY = 20000
_WORDS_PER_LINE = 12
_CHUNK_WORDS = 1 << 18


def vocabulary(rng: np.random.Generator, size: int = _VOCABULARY) -> list[str]:
    words = list(dict.fromkeys(COMMON))
    seen = set(words) | set(NON_ASCII)
    while len(words) < size - len(NON_ASCII):
        n = int(rng.integers(2, 5))
        word = "".join(_SYLLABLES[int(i)] for i in rng.integers(0, len(_SYLLABLES), n))
        if int(rng.integers(0, 50)) == 0:
            word += str(int(rng.integers(0, 100)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    # Non-ASCII words sit at middle ranks: frequent enough to appear in every block.
    for k, word in enumerate(NON_ASCII):
        words.insert(60 + 15 * k, word)
    return words


def generate_corpus_bytes(size: int, seed: int = 1) -> bytes:
    """Exactly ``size`` bytes of seeded Zipf-like text: whole words, and where the next word
    does not fit, spaces up to the size; the last byte is a newline."""
    if size < 0:
        raise UsageError("corpus size must not be negative")
    rng = np.random.default_rng(seed)
    words = vocabulary(rng)
    # Surface forms: plain, followed by a comma, by a full stop, capitalised.
    forms = [lambda w: w, lambda w: w + ",", lambda w: w + ".", str.capitalize]
    return _zipf_text(rng, size, words, forms, [0.86, 0.07, 0.04, 0.03])


# More words outside ASCII, for the mixed corpus: accented Latin, Greek, Cyrillic, Chinese.
MIXED_WORDS = (
    "été über façade crème brûlée señor año déjà vu göteborg smörgåsbord æble øre ça "
    "άλφα βήτα γάμμα λόγος κόσμος данные узел кластер диск блок копия сеть время "
    "数据 集群 节点 磁盘 副本 计算 存储 网络 时间 机器"
).split()


def generate_mixed_bytes(size: int, seed: int = 1) -> bytes:
    """Like ``generate_corpus_bytes`` but with a quarter of the vocabulary outside ASCII and
    punctuation glued to many words (quotes, brackets, dashes, ellipses, CJK commas and full
    stops, apostrophes): text on which a tokenizer's Unicode path does real work."""
    if size < 0:
        raise UsageError("corpus size must not be negative")
    rng = np.random.default_rng(seed)
    words = vocabulary(rng)
    extra = [f"{w}{i}" if i else w for i in range(40) for w in MIXED_WORDS][: len(words) // 3]
    for k, word in enumerate(extra):
        words.insert(20 + 3 * k, word)
    forms = [lambda w: w, lambda w: w + ",", lambda w: w + ".", str.capitalize, lambda w: "«" + w + "»",
             lambda w: "(" + w + ")", lambda w: w + "—", lambda w: w + "…", lambda w: w + "。",
             lambda w: w + "、", lambda w: w + "'s", lambda w: '"' + w + '";']
    return _zipf_text(rng, size, words, forms,
                      [0.62, 0.07, 0.05, 0.04, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.02, 0.02])


def _zipf_text(rng, size: int, words: list, forms: list, form_weights: list) -> bytes:
    """``size`` bytes of ``words`` drawn by Zipf rank, each in one of ``forms`` (functions of
    the word) drawn by ``form_weights``, twelve to a line."""
    ranks = np.arange(1, len(words) + 1, dtype=np.float64)
    p = 1.0 / ranks**_ZIPF_EXPONENT
    p /= p.sum()
    form_p = np.array(form_weights, dtype=np.float64)
    form_p /= form_p.sum()
    table = np.empty((len(forms) * 2, len(words)), dtype=object)
    for f, form in enumerate(forms):
        table[2 * f, :] = [(form(w) + " ").encode() for w in words]
        table[2 * f + 1, :] = [(form(w) + "\n").encode() for w in words]
    out = bytearray()
    position = 0
    while len(out) < size:
        idx = rng.choice(len(words), size=_CHUNK_WORDS, p=p)
        form = rng.choice(len(forms), size=_CHUNK_WORDS, p=form_p)
        newline = ((np.arange(position, position + _CHUNK_WORDS) % _WORDS_PER_LINE) == _WORDS_PER_LINE - 1)
        position += _CHUNK_WORDS
        out += b"".join(table[2 * form + newline, idx].tolist())
    if len(out) > size:
        # The whole words that fit; where the next one does not, spaces (which change no
        # word's count) up to the final newline.
        cut = max(out.rfind(b" ", 0, size), out.rfind(b"\n", 0, size), 0)
        out[cut:] = b" " * (size - cut - 1) + b"\n"
    elif out[-1:] == b" ":
        out[-1:] = b"\n"
    return bytes(out)


def write_corpus(path: str, size: int, seed: int = 1, mixed: bool = False) -> int:
    """Write a generated corpus of exactly ``size`` bytes to ``path``; return ``size``.

    A file that cannot be opened for writing (a read-only disk, no permission) is bad input,
    UsageError; a write that fails once it has begun (the disk filled) is OutputError, and
    the partial file is removed (a device such as /dev/full is left alone, of course)."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise UsageError(f"{path}: folder {directory} does not exist")
    if os.path.isdir(path):
        raise UsageError(f"{path}: is a directory")
    data = (generate_mixed_bytes if mixed else generate_corpus_bytes)(size, seed)
    try:
        f = open(path, "wb")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write ({exc.strerror})") from None
    regular = False
    try:
        with f:
            regular = stat.S_ISREG(os.fstat(f.fileno()).st_mode)
            f.write(data)
    except BaseException as exc:  # an interrupt too leaves no partial file
        if regular:
            try:
                os.unlink(path)
            except OSError:
                regular = False
        if isinstance(exc, OSError):
            removed = "; the partial file is removed" if regular else ""
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc}){removed}") from None
        raise
    return len(data)
