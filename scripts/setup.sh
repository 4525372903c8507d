#!/usr/bin/env bash
# One idempotent set-up for `make demo` and `make test` on a fresh Debian machine:
# system packages that are missing, then a virtualenv with the project.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd redis-server fonts-liberation2 poppler-utils chromium)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
  .venv/bin/pip install -q --upgrade pip
fi
# Reinstall only when the declared dependencies changed.
stamp=.venv/.sohoa-deps
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing the project and its dependencies into .venv"
  .venv/bin/pip install -q -e '.[dev]'
  echo "$want" > "$stamp"
fi
