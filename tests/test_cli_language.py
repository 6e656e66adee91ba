"""The command line in Simplified Chinese: chosen by ``--lang`` or the locale (as gettext
reads it), the same numbers as in English, the same exit codes, ``--json`` unchanged."""

import json
import os
import subprocess
import sys

import pytest

from cli import language
from engine.text import reference_count
from support import ROOT

FAST = ["--heartbeat", "0.2", "--dead-after", "1.0"]


def run_cli(*args, env=None, timeout=120):
    base = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={**base, **(env or {})})


@pytest.mark.parametrize("environ, expected", [
    ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    ({"LANG": "zh_TW.UTF-8"}, "zh_CN"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, "en"),
    ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL decides before LANG
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
    ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh_CN"),  # gettext reads LANGUAGE first
    ({"LANGUAGE": "fr:zh_CN", "LANG": "en_US.UTF-8"}, "zh_CN"),
    ({"LANGUAGE": "", "LANG": "zh_CN.GB18030"}, "zh_CN"),
])
def test_the_locale_chooses_the_language_as_gettext_would(environ, expected):
    assert language.system_language(environ) == expected


@pytest.mark.parametrize("argv, expected", [
    (["--lang", "zh_CN", "count", "x"], "zh_CN"),
    (["count", "x", "--lang=zh"], "zh_CN"),
    (["count", "x", "--lang", "en"], "en"),
    (["count", "x", "--lang", "fr"], "zh_CN"),  # refused later, by the parser, in the locale's words
    (["count", "--", "--lang", "en"], "zh_CN"),  # after --, a word, not an option
])
def test_lang_beats_the_locale(argv, expected):
    assert language.choose(argv, {"LANG": "zh_CN.UTF-8"}) == expected


def test_a_count_in_chinese_gives_the_same_number_and_status(small_corpus):
    text = open(small_corpus, encoding="utf-8").read()
    zh = run_cli("count", "the", "--input", small_corpus, "--kill", "1@0.05", *FAST, env={"LANG": "zh_CN.UTF-8"})
    assert zh.returncode == 0, zh.stderr
    first = zh.stdout.splitlines()[0]
    assert first == f"small.txt 中 'the' 的次数：{reference_count(text, 'the')}"
    assert "状态：正常，精确" in zh.stdout and "故障：节点 1 在" in zh.stdout
    assert "status:" not in zh.stdout and "timings" not in zh.stdout


def test_json_stays_the_same_in_chinese(small_corpus):
    out = run_cli("count", "the", "--input", small_corpus, "--json", "--lang", "zh_CN")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["status"] == "ok" and report["word"] == "the"


def test_a_bad_input_is_one_chinese_line_with_the_documented_exit_code(small_corpus):
    out = run_cli("count", "the", "--input", small_corpus, "--kill", "9@1", env={"LANG": "zh_CN.UTF-8"})
    assert out.returncode == 2
    assert out.stderr.strip() == "clusterscope：错误：--kill 9@1：没有节点 9（节点为 0..5）"
    assert out.stdout == ""


def test_help_in_chinese():
    out = run_cli("--lang", "zh_CN", "wordcount", "--help")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("用法：clusterscope wordcount")
    assert "显示此帮助信息并退出" in out.stdout and "要存储并统计的 UTF-8 文本文件" in out.stdout
    english = run_cli("wordcount", "--help", "--lang", "en")
    assert english.stdout.startswith("usage: clusterscope wordcount") and "options" in english.stdout


def test_an_unknown_language_is_refused_in_the_locales_words():
    out = run_cli("demo", "--lang", "fr", env={"LANG": "zh_CN.UTF-8"})
    assert out.returncode == 2
    assert out.stderr.startswith("clusterscope：错误：") and "'fr'" in out.stderr and "zh_CN" in out.stderr


def test_without_qt_the_command_line_speaks_english(small_corpus, tmp_path):
    blocker = tmp_path / "sitecustomize.py"  # PySide6 unimportable in the child
    blocker.write_text("import sys\nsys.modules['PySide6'] = None\n")
    env = {"LANG": "zh_CN.UTF-8", "PYTHONPATH": str(tmp_path)}
    out = run_cli("count", "the", "--input", small_corpus, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("count 'the' in small.txt: ")
