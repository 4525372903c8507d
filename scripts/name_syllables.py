"""Make pipeline/vn/name_syllables.txt: how often each syllable occurs in Vietnamese personal names.

    python3 scripts/name_syllables.py GIT_DIR [COMMIT]

GIT_DIR is a clone of github.com/duyet/vietnamese-namedb (MIT licence, © 2016 Van-Duyet Le): its
uit_member.json (8,757 full names: family, middle and given names as they occur together) and its
boy.txt / girl.txt (2,552 given names with their middle names). Only the syllable counts are kept, not
a single name, so the file holds no one's personal data.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "vn" / "name_syllables.txt"
SOURCE = "github.com/duyet/vietnamese-namedb"


def syllables(name: str) -> list[str]:
    # Ð (U+00D0, Icelandic eth) stands in for Đ in some of the source's names.
    name = unicodedata.normalize("NFC", name.replace("Ð", "Đ").replace("ð", "đ"))
    return [w.capitalize() for w in name.split() if w.isalpha()]


def main() -> None:
    git_dir, commit = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "HEAD")

    def show(path: str) -> str:
        return subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"], check=True,
                              capture_output=True, text=True).stdout

    sha = subprocess.run(["git", "--git-dir", git_dir, "rev-parse", commit], check=True, capture_output=True,
                         text=True).stdout.strip()
    counts: Counter[str] = Counter()
    for person in json.loads(show("uit_member.json")):
        counts.update(syllables(person["full_name"]))
    for path in ("boy.txt", "girl.txt"):
        for line in show(path).splitlines():
            counts.update(syllables(line))
    head = [f"# Syllables of Vietnamese personal names and how often each occurs, from {SOURCE} at {sha}",
            "# (MIT licence, (c) 2016 Van-Duyet Le): uit_member.json, boy.txt, girl.txt. Counts only, no names.",
            "# Made by scripts/name_syllables.py; read by pipeline/vn/names.py."]
    rows = [f"{s}\t{n}" for s, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    OUT.write_text("\n".join(head + rows) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(rows)} syllables")


if __name__ == "__main__":
    main()
