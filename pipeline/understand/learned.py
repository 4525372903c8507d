"""The statistical document classifier: character n-grams of the folded text plus the rule cues,
a linear model, calibrated so that its confidence is a probability the review threshold can use.

Which model is in force, and how it is replaced: model.py; how one is trained: train.py.
"""

from __future__ import annotations

import logging
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.understand.classify import Classification, classify, cue_features
from pipeline.vn.text import fold, normalize

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
BUNDLED = Path(__file__).parent / "models_data" / "classifier.joblib"
EVIDENCE_WORDS = 60  # fewer words than this lower the confidence in proportion
MODEL_TEXT_CHARS = 6000  # the first pages say what a document is; the rest only costs time


def model_text(text: str) -> str:
    """What the n-grams see: folded (no marks, lower case) so OCR that lost tone marks still matches."""
    folded = fold(normalize(text[: MODEL_TEXT_CHARS * 2])).lower()
    return re.sub(r"[ \t]+", " ", folded)[:MODEL_TEXT_CHARS]


def cue_matrix(texts: Any) -> np.ndarray:
    # Scaled so a strong title (3.0) weighs about as much as the n-gram block's unit norm.
    return np.asarray([cue_features(t) for t in texts], dtype=np.float64) / 3.0


def user_model_path(data_dir: Path) -> Path:
    return data_dir / "models" / "classifier.joblib"


@dataclass(frozen=True)
class Model:
    pipeline: Any  # sklearn Pipeline: text -> calibrated probabilities over `classes`
    classes: tuple[str, ...]
    info: dict[str, Any]  # trained_at, sklearn version, training sizes, held-out scores
    path: Path | None = None

    def predict(self, texts: list[str]) -> list[tuple[str, float, list[tuple[str, float]]]]:
        """Per text: best class, its calibrated probability, and the top three (class, probability)."""
        proba = self.pipeline.predict_proba(texts)
        out = []
        for row in proba:
            order = np.argsort(row)[::-1]
            top = [(str(self.classes[i]), float(row[i])) for i in order[:3]]
            out.append((top[0][0], top[0][1], top))
        return out


def save_model(model: Model, path: Path) -> None:
    import joblib

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    payload = {"format": FORMAT_VERSION, "pipeline": model.pipeline, "classes": list(model.classes), "info": model.info}
    joblib.dump(payload, tmp, compress=("xz", 6))
    os.replace(tmp, path)


def load_model(path: Path) -> Model:
    """Load a saved model; raises ValueError naming the file and the reason when it cannot be used."""
    import joblib
    import sklearn

    if not path.exists():
        raise ValueError(f"{path}: no model file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", category=getattr(sklearn.exceptions, "InconsistentVersionWarning", Warning))
            payload = joblib.load(path)
    except Exception as e:  # unpickling raises whatever the stale classes raise
        raise ValueError(f"{path}: cannot load the model ({type(e).__name__}: {e})") from e
    if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
        raise ValueError(f"{path}: not a sohoa classifier of format {FORMAT_VERSION}")
    return Model(payload["pipeline"], tuple(payload["classes"]), dict(payload["info"]), path)


def classify_with(model: Model | None, text: str) -> Classification:
    """Class and calibrated confidence; the rule cues come along as the human-readable reasons."""
    rules = classify(text)
    if model is None:
        return Classification(rules.doc_type, rules.confidence, (*rules.cues, "model:none (rules only)"))
    (doc_type, p, top), = model.predict([text])
    cues = [f"model:{doc_type} {p:.3f}"]
    # The model was calibrated on whole documents; a fragment of a few words is too little evidence
    # for its probability to mean the same, whatever the words are.
    words = len(model_text(text).split())
    if words < EVIDENCE_WORDS:
        p *= words / EVIDENCE_WORDS
        cues.append(f"short text: {words} words")
    cues += [f"alt:{c} {q:.3f}" for c, q in top[1:] if q >= 0.05]
    if rules.doc_type != doc_type:
        cues.append(f"rules:{rules.doc_type} {rules.confidence:.2f}")
    cues += [c for c in rules.cues if not c.startswith("runner-up:")] if rules.doc_type == doc_type else []
    return Classification(doc_type, round(p, 3), tuple(cues))


__all__ = ["BUNDLED", "Model", "classify_with", "load_model", "model_text", "save_model", "user_model_path"]
