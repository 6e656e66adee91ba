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
