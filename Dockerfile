# The sohoa image: one image for every role (worker, watcher, web, flower); the command picks the role.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OMP_THREAD_LIMIT=1 \
    SOHOA_DATA_DIR=/data

# OCR in Vietnamese plus orientation detection; Liberation fonts for the text layer of the PDFs; the
# typefaces of sample family B, which a model trained at first use (no loadable bundled one) needs.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd fonts-liberation2 poppler-utils \
        fonts-dejavu-core fonts-dejavu-extra fonts-freefont-ttf fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, from pyproject.toml at the versions of requirements.lock (those make test
# passed with), so that a code change does not reinstall them.
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -c requirements.lock -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# A named volume mounted at /data starts as a copy of this directory, owner included: the
# unprivileged user can write to it without a chown at start-up.
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --user-group --create-home --home-dir /home/sohoa sohoa \
    && mkdir -p /data \
    && chown sohoa:sohoa /data

USER sohoa
EXPOSE 8640 5555
ENTRYPOINT ["sohoa"]
CMD ["--help"]
