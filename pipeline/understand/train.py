"""Train the document classifier (pipeline/understand/learned.py) on generated documents and stored corrections.

Seeds are fixed and disjoint: TRAIN_SEED for training, HELDOUT_SEED for the gate that decides
whether a retrained model may replace the one in force; bench/classify.py uses seeds of its own.
Generated texts are what was drawn on the page, i.e. clean; OCR is not, so each training document
also appears in noised copies (marks dropped, O/0 and l/1 confused, words merged and split, lines
lost or merged), which is what keeps the character n-grams useful on scans.
"""

from __future__ import annotations

import random
import tempfile
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.catalogue import DOC_TYPES
from pipeline.understand.learned import Model, cue_matrix, model_text

TRAIN_SEED = 101
HELDOUT_SEED = 202
DEFAULT_PER_CLASS = 24
HELDOUT_PER_CLASS = 4
NOISED_COPIES = 2
CORRECTION_WEIGHT = 3.0  # a clerk's correction is real data: it counts for more than a generated page


# --- data ----------------------------------------------------------------------------------------
def generated_texts(per_class: int, seed: int, doc_types: Sequence[str] = DOC_TYPES) -> list[tuple[str, str]]:
    """(text, doc_type) of born-digital generated documents, `per_class` of each class."""
    from pipeline.samples import generate

    with tempfile.TemporaryDirectory(prefix="sohoa-train-") as tmp:
        labels = generate(Path(tmp), n=per_class * len(doc_types), seed=seed, doc_types=list(doc_types),
                          formats=["pdf-digital"], degradations=["clean"])
    return [(lab.text, lab.doc_type) for lab in labels]


_CONFUSIONS = {"o": "0", "O": "0", "0": "O", "l": "1", "1": "l", "I": "l", "i": "í", "đ": "d", "Đ": "D", "e": "c",
               "rn": "m", "ư": "u", "ơ": "o", "ă": "a"}


def _strip_marks(s: str) -> str:
    d = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(ch for ch in d if not unicodedata.combining(ch)))


def noised(text: str, rng: random.Random, level: float = 1.0) -> str:
    """An OCR-like corruption of `text`; `level` scales every rate."""
    lines = text.split("\n")
    out: list[str] = []
    drop_marks_all = rng.random() < 0.25 * level
    for i, line in enumerate(lines):
        # Lost lines, more often at the top where a title may be the one a bad scan loses.
        if rng.random() < (0.12 if i < 15 else 0.04) * level:
            continue
        if out and rng.random() < 0.08 * level:  # two columns read onto one line
            out[-1] = out[-1] + " " + line
            continue
        words = line.split(" ")
        new: list[str] = []
        for w in words:
            if drop_marks_all or rng.random() < 0.08 * level:
                w = _strip_marks(w)
            if rng.random() < 0.05 * level and w:
                k = rng.randrange(len(w))
                ch = w[k]
                w = w[:k] + _CONFUSIONS.get(ch, ch) + w[k + 1 :]
            if rng.random() < 0.01 * level and len(w) > 1:
                k = rng.randrange(len(w))
                w = w[:k] + w[k + 1 :]
            if rng.random() < 0.02 * level and len(w) > 3:
                k = rng.randrange(1, len(w) - 1)
                w = w[:k] + " " + w[k:]
            if new and rng.random() < 0.03 * level:
                new[-1] += w
            else:
                new.append(w)
        out.append(" ".join(new))
    return "\n".join(out)


def with_noise(pairs: Sequence[tuple[str, str]], copies: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(f"sohoa-noise:{seed}")
    out = list(pairs)
    for k in range(copies):
        out += [(noised(t, rng, level=1.0 + k * 0.6), y) for t, y in pairs]
    return out


# --- model -----------------------------------------------------------------------------------------
def build_pipeline() -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.svm import LinearSVC

    ngrams = TfidfVectorizer(preprocessor=model_text, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                             min_df=2, max_features=30000, dtype=np.float32)
    features = FeatureUnion([("ngrams", ngrams), ("cues", FunctionTransformer(cue_matrix))])
    # ensemble=False: one linear model fitted on everything, its scores calibrated on cross-validated
    # predictions; the artifact holds one weight matrix instead of one per fold.
    clf = CalibratedClassifierCV(LinearSVC(C=0.5, max_iter=5000), method="sigmoid", cv=3, ensemble=False)
    return Pipeline([("features", features), ("clf", clf)])


def fit(pairs: Sequence[tuple[str, str]], weights: Sequence[float] | None = None, **info: Any) -> Model:
    import sklearn

    texts = [t for t, _ in pairs]
    labels = [y for _, y in pairs]
    pipe = build_pipeline()
    pipe.fit(texts, labels, clf__sample_weight=None if weights is None else np.asarray(weights, dtype=np.float64))
    vec = pipe.named_steps["features"].transformer_list[0][1]
    vec.stop_words_ = None  # the discarded n-grams: megabytes that prediction never reads
    meta = {"trained_at": datetime.now(UTC).isoformat(timespec="seconds"), "sklearn": sklearn.__version__,
            "documents": len(pairs), **info}
    return Model(pipe, tuple(pipe.classes_), meta)


def accuracy(model: Model, pairs: Sequence[tuple[str, str]]) -> float:
    if not pairs:
        return 0.0
    pred = model.predict([t for t, _ in pairs])
    return sum(p[0] == y for p, (_, y) in zip(pred, pairs, strict=True)) / len(pairs)


def heldout_set(per_class: int = HELDOUT_PER_CLASS) -> list[tuple[str, str]]:
    """The gate's documents: generated with a seed no training run uses, clean and noised."""
    return with_noise(generated_texts(per_class, HELDOUT_SEED), copies=1, seed=HELDOUT_SEED)


def train_default(per_class: int = DEFAULT_PER_CLASS) -> Model:
    """The bundled default: generated documents only, reproducible from the fixed seeds."""
    pairs = with_noise(generated_texts(per_class, TRAIN_SEED), copies=NOISED_COPIES, seed=TRAIN_SEED)
    return fit(pairs, per_class=per_class, corrections=0)


def corrected_pairs(db_url: str) -> list[tuple[str, str]]:
    """(text, doc_type) of every document whose type a person set or confirmed; the last word counts."""
    from sqlalchemy import select

    from pipeline.keep import db
    from pipeline.keep.models import Correction, Document

    latest: dict[str, str] = {}
    with db.session_scope(db_url) as s:
        rows = s.execute(
            select(Correction.document_id, Correction.new_value)
            .where(Correction.field == "doc_type")
            .order_by(Correction.at, Correction.id)
        ).all()
        for doc_id, value in rows:
            if value in DOC_TYPES:
                latest[doc_id] = value
        texts = dict(s.execute(select(Document.id, Document.text).where(Document.id.in_(list(latest)))).all())
    return [(texts[d], y) for d, y in latest.items() if texts.get(d)]


