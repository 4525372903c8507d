"""The statistical document classifier: character n-grams of the folded text and of its title lines,
plus the rule cues, a linear model, calibrated (on templates it was not trained on, train.py) so that
its confidence is a probability the review threshold can use. Its answer is then checked title first
(classify.settle): a page whose title names another class than the model reads is a conflict, kept
under its title's class and sent to review.

Which model is in force, and how it is replaced: model.py; how one is trained: train.py.
"""

from __future__ import annotations

import logging
import os
import re
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.understand.classify import Classification, classify, cue_features, settle, title_lines, title_reading
from pipeline.vn.text import fold, normalize

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
BUNDLED = Path(__file__).parent / "models_data" / "classifier.joblib"
EVIDENCE_WORDS = 60  # fewer words than this lower the confidence in proportion
# A page OCR could not read (turned upside down and not righted, a photo of a photo) gives words that are
# no Vietnamese syllables. OCR'd upright pages, generated or real, have 67 % and more of their words
# spelt as syllables (median 97 %); those two read 44-46 %. Under READABLE_FULL the confidence is lowered
# in proportion, down to nothing at READABLE_NONE: garbage is no evidence, whatever class it resembles.
READABLE_FULL = 0.65
READABLE_NONE = 0.35
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"  # onset
    r"(?:uye|uya|uoi|uou|ieu|yeu|oai|oay|oeo|uay|[aeiouy]{1,3})"  # nucleus (folded: no marks)
    r"(?:ch|ng|nh|[cmnpt])?$"  # coda
)
MODEL_TEXT_CHARS = 6000  # the first pages say what a document is; the rest only costs time


def model_text(text: str) -> str:
    """What the n-grams see: folded (no marks, lower case) so OCR that lost tone marks still matches."""
    folded = fold(normalize(text[: MODEL_TEXT_CHARS * 2])).lower()
    return re.sub(r"[ \t]+", " ", folded)[:MODEL_TEXT_CHARS]


def readable_share(text: str) -> float:
    """The share of a text's words spelt as Vietnamese syllables (after folding); 1.0 for no words."""
    words = [w for w in re.findall(r"[^\W\d_]+", model_text(text)) if w.isalpha()]
    return sum(bool(_SYLLABLE.match(w)) for w in words) / len(words) if words else 1.0


def title_text(text: str) -> str:
    """What the title n-grams see: the upper-case lines at the top of the first page, folded."""
    return " | ".join(fold(line).lower() for line in title_lines(text))


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

    def probabilities(self, texts: list[str]) -> list[dict[str, float]]:
        """Per text: the calibrated probability of every class."""
        return [{str(c): float(p) for c, p in zip(self.classes, row, strict=True)}
                for row in self.pipeline.predict_proba(texts)]

    def predict(self, texts: list[str]) -> list[tuple[str, float, list[tuple[str, float]]]]:
        """Per text: best class, its calibrated probability, and the top three (class, probability)."""
        out = []
        for probs in self.probabilities(texts):
            top = sorted(probs.items(), key=lambda kv: -kv[1])[:3]
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
    """Class and calibrated confidence, title first; the rule cues come along as the human-readable
    reasons."""
    rules = classify(text)
    if model is None:
        return replace(rules, cues=(*rules.cues, "model:none (rules only)"))
    probs = model.probabilities([text])[0]
    ranked = sorted(probs.items(), key=lambda kv: -kv[1])
    doc_type, p = ranked[0]
    cues = [f"model:{doc_type} {p:.3f}"]
    # The model was calibrated on whole documents; a fragment of a few words is too little evidence
    # for its probability to mean the same, whatever the words are.
    words = len(model_text(text).split())
    shrink = min(1.0, words / EVIDENCE_WORDS)
    if shrink < 1.0:
        cues.append(f"short text: {words} words")
    share = readable_share(text)
    if share < READABLE_FULL:
        shrink *= max(0.0, (share - READABLE_NONE) / (READABLE_FULL - READABLE_NONE))
        cues.append(f"unreadable text: {share:.0%} of its words are Vietnamese syllables")
    cues += [f"alt:{c} {q:.3f}" for c, q in ranked[1:3] if q >= 0.05]
    if rules.doc_type != doc_type:
        cues.append(f"rules:{rules.doc_type} {rules.confidence:.2f}")
    else:
        cues += [c for c in rules.cues if not c.startswith(("runner-up:", "conflict:"))]
    candidate = Classification(doc_type, round(p * shrink, 3), tuple(cues))
    return settle(candidate, title_reading(text), lambda c: probs.get(c, 0.0) * shrink)


__all__ = ["BUNDLED", "Model", "classify_with", "load_model", "model_text", "save_model", "title_text",
           "user_model_path"]
