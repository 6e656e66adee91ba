import random
import shutil
import subprocess
from collections import Counter

import pytest

from engine.errors import UsageError
from engine.text import (WORD_RE, count_word, reference_count, reference_wordcount, top_k, validate_word,
                         word_frequencies)


@pytest.mark.parametrize("word", ["the", "data", "café", "a", "of", "zzzznotthere", "Data"])
def test_count_word_matches_reference_on_generated_text(small_corpus, word):
    data = open(small_corpus, "rb").read()
    text = data.decode()
    assert count_word(data, word) == reference_count(text, word)
    assert count_word(data, word, ignore_case=True) == reference_count(text, word, ignore_case=True)


@pytest.mark.skipif(shutil.which("grep") is None, reason="grep not installed")
@pytest.mark.parametrize("word", ["the", "other", "data", "a", "1the", "the1"])
def test_count_word_equals_grep_ow_on_ascii(tmp_path, word):
    text = ("the there other the_the the1 1the the. (the) -the- a a-a data data_1 the\n" * 50
            + "nothe athe thea the\tthe\n")
    path = tmp_path / "ascii.txt"
    path.write_text(text)
    out = subprocess.run(["grep", "-ow", word, str(path)], capture_output=True, text=True,
                         env={"LC_ALL": "C"})
    expected = len(out.stdout.splitlines())
    assert count_word(text.encode(), word) == expected


def test_unicode_words_and_case_folding(unicode_corpus):
    data = open(unicode_corpus, "rb").read()
    text = data.decode()
    assert count_word(data, "straße") == 3000
    assert count_word(data, "straße", ignore_case=True) == 4 * 3000  # Straße straße STRASSE strasse
    assert count_word(data, "数据") == 3 * 3000
    assert count_word(data, "data") == 3 * 3000  # "data" and the two halves of "data-data"
    assert count_word(data, "data") == reference_count(text, "data")
    assert count_word(data, "café", ignore_case=True) == 3 * 3000
    assert count_word(data, "ωmega", ignore_case=True) == 3 * 3000
    for word in ["the", "there", "the_the", "1the", "data_1", "résumé", "ǅemal"]:
        for ic in (False, True):
            assert count_word(data, word, ic) == reference_count(text, word, ic), (word, ic)


def test_word_frequencies_match_reference(small_corpus, unicode_corpus):
    for path in (small_corpus, unicode_corpus):
        data = open(path, "rb").read()
        assert top_k(word_frequencies(data), 50) == reference_wordcount(data.decode(), 50)


def test_word_frequencies_equal_the_reference_on_every_kind_of_character():
    # ASCII words and punctuation, non-ASCII letters, digits and marks, non-ASCII punctuation
    # and spaces glued to words, and runs cut across pieces of the block.
    pieces = ["data", "the", " ", "\n", ",", ".", "_", "x1", "café", "数据", "。", "、", "—", "«", "»",
              "\u00a0", "\u3000", "e\u0301", "\u0663", "Ω", "ß", "ǅ", "\u200b", "😀", "½", "-", "'", "\t"]
    rng = random.Random(5)
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 200)))
        assert word_frequencies(text.encode()) == Counter(WORD_RE.findall(text)), text


def test_word_frequencies_count_words_glued_to_non_ascii_punctuation_once(monkeypatch):
    import engine.text as text_module
    monkeypatch.setattr(text_module, "PIECE", 8)
    text = "data。data data。 数据data、data " * 50
    assert word_frequencies(text.encode()) == Counter(WORD_RE.findall(text))


def test_top_k_breaks_ties_alphabetically():
    assert top_k({"b": 2, "a": 2, "c": 3, "d": 1}, 3) == [("c", 3), ("a", 2), ("b", 2)]


@pytest.mark.parametrize("bad", ["", "   ", "two words", "don't", "a-b", "x.", None])
def test_validate_word_rejects_non_words(bad):
    with pytest.raises(UsageError):
        validate_word(bad)


def test_validate_word_accepts_unicode_words():
    assert validate_word("数据") == "数据"
    assert validate_word("data_1") == "data_1"


@pytest.mark.parametrize("text", [
    "café caf caf\u00e9 data dataé édata 数据data data数据 Ωdata dataΩ data—x x—data data\u00a0 \u00a0data",
    "data_é data1 1data ǅdata dataǅ \U0001d400data data\U0001d400 data\U0001f600 \U0001f600data data",
    "data",
])
@pytest.mark.parametrize("word", ["data", "caf", "x"])
def test_ascii_word_in_utf8_text_respects_unicode_neighbours(text, word):
    assert count_word(text.encode(), word) == reference_count(text, word)


_NEIGHBOURS = ["the", "the", "the", " ", "  ", "\n", ",", ".", "_", "-", "x", "1", "é", "数据", "。", "—",
               "\u00a0", "\u3000", "\u0301", "\u0663", "Ω", "ǅ", "\u200b", "😀", "½", "'", "\t", "thé",
               "tthe", "thee", "th", "he"]


@pytest.mark.parametrize("seed", range(6))
def test_a_frequent_word_is_counted_exactly_in_dense_and_sparse_pieces(seed, monkeypatch):
    # Small pieces and a low density bar, so that one text moves between the two ways of
    # counting many times, with every kind of neighbour on both sides of the word.
    import engine.text as text_module
    monkeypatch.setattr(text_module, "PIECE", 16)
    monkeypatch.setattr(text_module, "DENSE_PER_PIECE", 1)
    dense_pieces = []
    counted = text_module._count_dense_piece
    monkeypatch.setattr(text_module, "_count_dense_piece",
                        lambda piece, needle: dense_pieces.append(piece) or counted(piece, needle))
    rng = random.Random(seed)
    for _ in range(200):
        parts = [rng.choice(_NEIGHBOURS) for _ in range(rng.randint(0, 120))]
        if rng.random() < 0.5:
            parts += ["sparse "] * rng.randint(0, 30) + [rng.choice(_NEIGHBOURS) for _ in range(40)]
        text = "".join(parts)
        assert count_word(text.encode(), "the") == reference_count(text, "the"), text
    assert dense_pieces, "no piece was counted the dense way"


@pytest.mark.parametrize("word", ["the", "a", "aa", "e", "_", "1"])
def test_a_frequent_word_in_whole_blocks_equals_the_reference(word):
    rng = random.Random(word)
    words = [word] * 6 + ["the", "aaa", "a_a", "e1", "11", "é" + word, word + "é", word + "。",
                          "—" + word, "数据", word + "\u0301", "x"]
    seps = [" ", " ", "\n", ", ", ". ", "-", "。", "\u00a0", "'"]
    text = "".join(rng.choice(words) + rng.choice(seps) for _ in range(60_000))
    assert count_word(text.encode(), word) == reference_count(text, word)
    ascii_text = "".join(rng.choice([word] * 5 + ["the", "x", "aa", "a1"]) + rng.choice(seps[:6])
                         for _ in range(60_000))
    assert count_word(ascii_text.encode(), word) == reference_count(ascii_text, word)
