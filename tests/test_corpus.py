import os

from engine.corpus import NON_ASCII, generate_corpus_bytes, write_corpus


def test_corpus_is_seeded_and_sized(tmp_path):
    a = generate_corpus_bytes(300_000, seed=3)
    assert a == generate_corpus_bytes(300_000, seed=3)
    assert a != generate_corpus_bytes(300_000, seed=4)
    assert 299_000 < len(a) <= 300_000
    text = a.decode("utf-8")
    assert sum(text.count(w) for w in NON_ASCII) > 0
    assert text.split()[0]
    path = tmp_path / "c.txt"
    assert write_corpus(str(path), 10_000, seed=1) == path.stat().st_size


def test_corpus_is_zipf_like():
    words = generate_corpus_bytes(500_000, seed=1).decode().split()
    from collections import Counter
    counts = [n for _, n in Counter(words).most_common(10)]
    assert counts[0] > 1.5 * counts[1] > 0  # a heavy head, as in natural text


def test_every_size_is_exact_text_ending_in_a_newline():
    for size in (1, 2, 3, 7, 10, 99, 1000, 4096, 100_000, 300_001):
        data = generate_corpus_bytes(size, seed=2)
        assert len(data) == size, size
        assert data.decode("utf-8").endswith("\n"), size


def test_a_smaller_corpus_has_the_first_words_of_a_larger_one():
    # The size only decides where the words stop: whole words, then blanks to the size.
    small, large = generate_corpus_bytes(1000, seed=3).split(), generate_corpus_bytes(50_000, seed=3).split()
    assert small and small == large[:len(small)]


def test_a_write_that_fails_removes_the_partial_file(tmp_path, monkeypatch):
    import builtins
    import errno

    import pytest

    from engine.errors import OutputError
    real_open = builtins.open

    class FillsUp:
        def __init__(self, f):
            self.f = f

        def write(self, data):
            self.f.write(data[:100])
            self.f.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name):
            return getattr(self.f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

    monkeypatch.setattr(builtins, "open", lambda *a, **k: FillsUp(real_open(*a, **k)))
    path = tmp_path / "c.txt"
    with pytest.raises(OutputError) as info:
        write_corpus(str(path), 10_000, seed=1)
    assert str(info.value) == f"{path}: cannot write (No space left on device); the partial file is removed"
    assert not path.exists()


def test_the_mixed_corpus_is_exact_in_size_seeded_and_full_of_unicode_and_punctuation():
    from engine.corpus import generate_mixed_bytes
    from engine.text import WORD_RE
    data = generate_mixed_bytes(300_000, seed=4)
    assert len(data) == 300_000 and data.endswith(b"\n")
    assert generate_mixed_bytes(300_000, seed=4) == data != generate_mixed_bytes(300_000, seed=5)
    text = data.decode("utf-8")
    words = WORD_RE.findall(text)
    assert sum(not w.isascii() for w in words) / len(words) > 0.1  # many words outside ASCII
    for mark in ("«", "»", "—", "…", "。", "、", "(", "'s"):
        assert mark in text
