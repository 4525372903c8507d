"""Train the document classifier (pipeline/understand/learned.py) on generated documents and stored corrections.

Seeds are fixed and disjoint: TRAIN_SEED for training, HELDOUT_SEED for the gate that decides
whether a retrained model may replace the one in force; bench/classify.py uses seeds of its own.
Both template families of the generator (pipeline/samples/families.py) are used, A and B, so that
no class is learnt from one layout and one wording only. Generated texts are what was drawn on the
page, i.e. clean; OCR is not, so each training document also appears in noised copies (marks dropped,
O/0 and l/1 confused, words merged and split, lines lost or merged), which is what keeps the
character n-grams useful on scans.

Honest confidence: the probabilities are calibrated on documents of templates the scoring model was
not trained on. The calibration folds hold out whole templates (a template and all its noised
copies), never two templates of one class in the same fold, so every held-out prediction is that
of a model which has seen the class only in other layouts and wording, as a document from another
office will be.
"""

from __future__ import annotations

import random
import tempfile
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.catalogue import DOC_TYPES
from pipeline.understand.learned import Model, cue_matrix, model_text, title_text

TRAIN_SEED = 101
HELDOUT_SEED = 202
DEFAULT_PER_CLASS = 24  # per class and family
HELDOUT_PER_CLASS = 4
NOISED_COPIES = 2
CORRECTION_WEIGHT = 3.0  # a clerk's correction is real data: it counts for more than a generated page
TRAIN_FAMILIES: tuple[str, ...] = ("A", "B")
CALIBRATION_FOLDS = 5  # at least the most templates a class has, so each is held out on its own


# --- data ----------------------------------------------------------------------------------------
def generated_docs(per_class: int, seed: int, doc_types: Sequence[str] = DOC_TYPES,
                   family: str = "A") -> list[tuple[str, str, str]]:
    """(text, doc_type, template) of born-digital generated documents, `per_class` of each class."""
    from pipeline.samples import generate  # the generator (reportlab, fonts) only when training, not to classify

    with tempfile.TemporaryDirectory(prefix="sohoa-train-") as tmp:
        labels = generate(Path(tmp), n=per_class * len(doc_types), seed=seed, doc_types=list(doc_types),
                          formats=["pdf-digital"], degradations=["clean"], family=family)
    return [(lab.text, lab.doc_type, lab.template or f"{family}.{lab.doc_type}") for lab in labels]


def generated_texts(per_class: int, seed: int, doc_types: Sequence[str] = DOC_TYPES,
                    family: str = "A") -> list[tuple[str, str]]:
    """(text, doc_type) of born-digital generated documents, `per_class` of each class."""
    return [(t, y) for t, y, _ in generated_docs(per_class, seed, doc_types, family)]


def training_pairs(per_class: int, seed: int, families: Sequence[str] = TRAIN_FAMILIES,
                   copies: int = NOISED_COPIES) -> list[tuple[str, str, str]]:
    """(text, doc_type, template) of the training documents of every family, clean and noised."""
    out: list[tuple[str, str, str]] = []
    for fam in families:
        docs = generated_docs(per_class, seed, family=fam)
        rng = random.Random(f"sohoa-noise:{seed}:{fam}" if fam != "A" else f"sohoa-noise:{seed}")
        out += docs
        for k in range(copies):
            out += [(noised(t, rng, level=1.0 + k * 0.6), y, g) for t, y, g in docs]
    return out


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
def build_pipeline(cv: Any = 3) -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.svm import LinearSVC

    ngrams = TfidfVectorizer(preprocessor=model_text, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                             min_df=2, max_features=30000, dtype=np.float32)
    # The title lines on their own: what a reader looks at first gets features no body text dilutes.
    titles = TfidfVectorizer(preprocessor=title_text, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                             min_df=2, max_features=6000, dtype=np.float32)
    features = FeatureUnion([("ngrams", ngrams), ("titles", titles), ("cues", FunctionTransformer(cue_matrix))])
    # ensemble=False: one linear model fitted on everything, its scores calibrated on the held-out
    # predictions of the folds; the artifact holds one weight matrix instead of one per fold.
    clf = CalibratedClassifierCV(LinearSVC(C=0.5, max_iter=5000, random_state=0), method="sigmoid", cv=cv,
                                 ensemble=False)
    return Pipeline([("features", features), ("clf", clf)])


def template_folds(labels: Sequence[str], groups: Sequence[str], k: int = CALIBRATION_FOLDS
                   ) -> list[tuple[np.ndarray, np.ndarray]]:
    """A partition into folds that hold out whole templates: the templates of a class go to different
    folds, so each fold's model has seen every class, only in other templates. A class with a single
    template (and corrections, group "correction") is spread over the folds document by document."""
    by_class: dict[str, list[str]] = defaultdict(list)
    for y, g in sorted(set(zip(labels, groups, strict=True))):
        if g != "correction":
            by_class[y].append(g)
    fold_of: dict[tuple[str, str], int] = {}
    for y, temps in by_class.items():
        if len(temps) < 2:
            continue
        offset = zlib.crc32(y.encode()) % k  # spread the classes' first templates over the folds
        for j, g in enumerate(temps):
            fold_of[(y, g)] = (offset + j) % k
    assign = np.asarray([fold_of.get((y, g), i % k) for i, (y, g) in enumerate(zip(labels, groups, strict=True))])
    idx = np.arange(len(labels))
    return [(idx[assign != f], idx[assign == f]) for f in range(k) if (assign == f).any()]


def fit(pairs: Sequence[tuple[str, str]] | Sequence[tuple[str, str, str]], weights: Sequence[float] | None = None,
        **info: Any) -> Model:
    """A model of (text, doc_type[, template]) documents; with templates, calibrated on held-out templates
    (`template_folds`), else on stratified folds."""
    import sklearn

    texts = [p[0] for p in pairs]
    labels = [p[1] for p in pairs]
    groups = [p[2] if len(p) > 2 else "" for p in pairs]  # type: ignore[misc]
    folds = template_folds(labels, groups) if all(groups) else []
    pipe = build_pipeline(cv=folds if len(folds) >= 2 else 3)
    pipe.fit(texts, labels, clf__sample_weight=None if weights is None else np.asarray(weights, dtype=np.float64))
    pipe.named_steps["clf"].cv = len(folds) if len(folds) >= 2 else 3  # the folds' indices: not needed to predict
    for _name, vec in pipe.named_steps["features"].transformer_list[:2]:
        vec.stop_words_ = None  # the discarded n-grams: megabytes that prediction never reads
    meta = {"trained_at": datetime.now(UTC).isoformat(timespec="seconds"), "sklearn": sklearn.__version__,
            "documents": len(pairs), "calibration": f"{len(folds)} folds of held-out templates" if len(folds) >= 2
            else "3 stratified folds", **info}
    return Model(pipe, tuple(pipe.classes_), meta)


def accuracy(model: Model, pairs: Sequence[tuple[str, str]]) -> float:
    if not pairs:
        return 0.0
    pred = model.predict([t for t, _ in pairs])
    return sum(p[0] == y for p, (_, y) in zip(pred, pairs, strict=True)) / len(pairs)


def heldout_set(per_class: int = HELDOUT_PER_CLASS, families: Sequence[str] = TRAIN_FAMILIES) -> list[tuple[str, str]]:
    """The gate's documents: generated with a seed no training run uses, every family, clean and noised."""
    return [(t, y) for t, y, _ in training_pairs(per_class, HELDOUT_SEED, families, copies=1)]


def train_default(per_class: int = DEFAULT_PER_CLASS) -> Model:
    """The bundled default: generated documents of every family, reproducible from the fixed seeds."""
    pairs = training_pairs(per_class, TRAIN_SEED)
    return fit(pairs, per_class=per_class, families=list(TRAIN_FAMILIES), corrections=0)


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


