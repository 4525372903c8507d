#!/usr/bin/env bash
# One idempotent set-up for `make demo` and `make test` on a fresh Debian machine:
# system packages that are missing, then a virtualenv with the project.
#   scripts/setup.sh           everything, with the development and test tools (`make test`): about 1.1 GB
#   scripts/setup.sh runtime   what running sohoa needs, no test tools and no browser (`make demo`)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-dev}

# fonts-dejavu-*, fonts-freefont-ttf, fonts-noto-core: the typefaces of sample family B, all with Vietnamese
# glyphs (fonts-urw-base35 has none, so it is not used); a model trained at first use needs them too.
APT_PACKAGES=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd redis-server fonts-liberation2 fonts-dejavu-core
              fonts-dejavu-extra fonts-freefont-ttf fonts-noto-core poppler-utils)
# The browser tests drive Debian's chromium; running sohoa needs no browser. fonts-kaushanscript: a brush
# hand for the handwritten-number tests (tests/test_slots.py), which would otherwise skip.
[ "$MODE" = dev ] && APT_PACKAGES+=(chromium fonts-kaushanscript)
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
# Reinstall only when the declared dependencies changed, or the dev tools are wanted and missing
# (a dev install serves a runtime run too).
stamp=.venv/.sohoa-deps
hash=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
have=$(cat "$stamp" 2>/dev/null || true)
if [ "$have" != "$hash dev" ] && { [ "$MODE" = dev ] || [ "$have" != "$hash runtime" ]; }; then
  if [ "$MODE" = dev ]; then
    echo "setup: installing the project with its development and test tools into .venv"
    .venv/bin/pip install -q -c requirements.lock -e '.[dev]'
  else
    echo "setup: installing the project into .venv (runtime only)"
    .venv/bin/pip install -q -c requirements.lock -e .
  fi
  echo "$hash $MODE" > "$stamp"
fi
