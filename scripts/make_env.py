"""Make `.env` for docker-compose from the committed `.env.example`: every empty value becomes a
random secret, values already in `.env` are kept, and `--rotate NAME` draws a new one for NAME.

    python scripts/make_env.py                 # .env beside docker-compose.yml (`make env`)
    python scripts/make_env.py --rotate REDIS_PASSWORD

The file is written whole, atomically, with mode 0600. Secrets are URL-safe (letters, digits, `-`,
`_`) because some of them go inside URLs (the database and broker URLs).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_LINE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$")


def new_secret() -> str:
    return secrets.token_urlsafe(24)  # 192 bits, 32 characters


def read_env(path: Path) -> dict[str, str]:
    """NAME=value lines of a dotenv file (no quoting, no expansion: the example uses none)."""
    values: dict[str, str] = {}
    if not path.exists():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _LINE.match(line.strip())
        if m:
            values[m.group("name")] = m.group("value").strip()
    return values


def render(example: Path, current: dict[str, str], rotate: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """The example's text with each value filled: kept from `current`, else the example's own
    non-empty value, else a new secret. Returns the text and the names given a new secret."""
    unknown = rotate - set(read_env(example))
    if unknown:
        raise SystemExit(f"make_env: not in {example.name}: {', '.join(sorted(unknown))}")
    out, drawn = [], []
    for line in example.read_text(encoding="utf-8").splitlines():
        m = _LINE.match(line.strip())
        if not m:
            out.append(line)
            continue
        name, default = m.group("name"), m.group("value").strip()
        value = current.get(name, "")
        if name in rotate or not value:
            value = default if (default and name not in rotate) else new_secret()
            if value != default:
                drawn.append(name)
        out.append(f"{name}={value}")
    # Lines of the old .env the example no longer has are kept at the end, not silently dropped.
    extra = [f"{k}={v}" for k, v in current.items() if k not in read_env(example)]
    if extra:
        out += ["", "# Not in .env.example (kept from the previous .env):", *extra]
    return "\n".join(out) + "\n", drawn


def write_private(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--example", type=Path, default=ROOT / ".env.example")
    ap.add_argument("--out", type=Path, default=ROOT / ".env")
    ap.add_argument("--rotate", action="append", default=[], metavar="NAME", help="draw a new secret for NAME")
    args = ap.parse_args(argv)
    text, drawn = render(args.example, read_env(args.out), frozenset(args.rotate))
    write_private(args.out, text)
    print(f"{args.out}: new secrets for {', '.join(drawn) if drawn else 'nothing (all kept)'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
