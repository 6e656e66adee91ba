"""Check a Qt translation catalogue (.ts): every message finished and non-empty, the same
{placeholders} as its source (each as many times), and the same number of '&' mnemonics.

    python assets/i18n/check_catalogue.py [assets/i18n/clusterscope_zh_CN.ts ...]

Exits 1, listing the faulty messages, if any is wrong. Obsolete/vanished messages are skipped."""

from __future__ import annotations

import glob
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# A mnemonic is a single '&' before a character other than '&' or a space ('&&' is a literal '&').
MNEMONIC = re.compile(r"(?<!&)&(?![&\s])")
SKIPPED = {"obsolete", "vanished"}


def problems(path: str) -> list[str]:
    out = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else None
            if kind in SKIPPED:
                continue
            where = f"[{name}] {source!r}"
            if translation is None or kind == "unfinished":
                out.append(f"{where}: unfinished")
                continue
            forms = [n.text or "" for n in translation.iter("numerusform")] or [translation.text or ""]
            for text in forms:
                if not text.strip():
                    out.append(f"{where}: empty translation")
                    continue
                if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(text)):
                    out.append(f"{where}: placeholders {sorted(PLACEHOLDER.findall(source))} became "
                               f"{sorted(PLACEHOLDER.findall(text))} in {text!r}")
                if len(MNEMONIC.findall(source)) != len(MNEMONIC.findall(text)):
                    out.append(f"{where}: {len(MNEMONIC.findall(source))} '&' mnemonic(s) became "
                               f"{len(MNEMONIC.findall(text))} in {text!r}")
    return out


def main(argv: list[str]) -> int:
    paths = argv or sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "*.ts")))
    if not paths:
        print("no .ts catalogue found", file=sys.stderr)
        return 2
    bad = 0
    for path in paths:
        found = problems(path)
        bad += len(found)
        for line in found:
            print(f"{os.path.basename(path)}: {line}")
        print(f"{path}: {'OK' if not found else f'{len(found)} problem(s)'}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
