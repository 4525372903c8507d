"""The classifier model in force, and the only way to replace it.

Where the model comes from, first found wins:
1. ``<data dir>/models/classifier.joblib``: installed by ``sohoa train`` (generated documents plus
   the clerks' corrections), only when it was not worse than the model it replaced (`retrain`);
2. ``pipeline/understand/models_data/classifier.joblib``: the bundled default, trained on generated
   documents of both template families only (``sohoa train --from-scratch`` rebuilds it, reproducible
   in content);
3. neither loads (missing, or pickled by another scikit-learn version): a model trained on the spot
   from generated documents into the data dir (a few minutes, once), so a fresh clone works
   without any download.
When even that fails the rule-based classifier answers alone, and says so in its cues.
`learned.py` is what a model is, `train.py` how one is made.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.understand.classify import Classification
from pipeline.understand.learned import BUNDLED, Model, classify_with, load_model, save_model, user_model_path
from pipeline.understand.train import (
    CORRECTION_WEIGHT,
    DEFAULT_PER_CLASS,
    TRAIN_FAMILIES,
    TRAIN_SEED,
    accuracy,
    corrected_pairs,
    fit,
    heldout_set,
    train_default,
    training_pairs,
)

log = logging.getLogger(__name__)

_CACHE: dict[Path, tuple[float, Model]] = {}


def _cached(path: Path) -> Model | None:
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return None
    hit = _CACHE.get(path)
    if hit is not None and hit[0] == mtime:
        return hit[1]
    try:
        model = load_model(path)
    except ValueError as e:
        log.warning("%s", e)
        return None
    _CACHE[path] = (mtime, model)
    return model


def current_model(data_dir: Path | None, *, train_if_missing: bool = True) -> Model | None:
    """The model in force: the installed one, else the bundled default, else one trained now."""
    if data_dir is not None:
        model = _cached(user_model_path(data_dir))
        if model is not None:
            return model
    model = _cached(BUNDLED)
    if model is not None or data_dir is None or not train_if_missing:
        return model
    path = user_model_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Several workers may get here at once: one trains, the others wait on the lock and load.
    with open(path.parent / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        model = _cached(path)
        if model is None:
            log.warning("no usable classifier model; training one from generated documents into %s", path)
            try:
                save_model(train_default(), path)
            except Exception:
                log.exception("training the default classifier failed; the rules answer alone")
                return None
            model = _cached(path)
    return model


def classify_document(text: str, data_dir: Path | None) -> Classification:
    """What the pipeline calls: the model in force for this data dir, the rules when there is none."""
    return classify_with(current_model(data_dir), text)


# --- retraining with corrections and the gate ------------------------------------------------------
@dataclass(frozen=True)
class TrainReport:
    candidate_score: float
    current_score: float | None  # None: there was no model to compare with
    installed: bool
    path: Path | None
    documents: int
    corrections: int

    @property
    def message(self) -> str:
        cur = "none" if self.current_score is None else f"{self.current_score:.4f}"
        head = f"held-out accuracy: candidate {self.candidate_score:.4f}, current {cur}"
        if self.installed:
            return f"{head}; installed {self.path} ({self.documents} documents, {self.corrections} corrections)"
        return f"{head}; the candidate is worse on the held-out generated set, NOT installed"


def retrain(
    data_dir: Path,
    db_url: str,
    *,
    per_class: int = DEFAULT_PER_CLASS,
    heldout: Sequence[tuple[str, str]] | None = None,
    current: Model | None = None,
) -> TrainReport:
    """Train on generated documents plus corrections; install into the data dir only when the
    candidate scores at least as well as the model in force on the held-out generated set."""
    generated = training_pairs(per_class, TRAIN_SEED)
    corrections = corrected_pairs(db_url)
    pairs = generated + [(t, y, "correction") for t, y in corrections]
    weights = [1.0] * len(generated) + [CORRECTION_WEIGHT] * len(corrections)
    candidate = fit(pairs, weights, per_class=per_class, families=list(TRAIN_FAMILIES),
                    corrections=len(corrections))
    held = list(heldout) if heldout is not None else heldout_set()
    if current is None:
        current = current_model(data_dir, train_if_missing=False)
    cand_score = accuracy(candidate, held)
    cur_score = accuracy(current, held) if current is not None else None
    candidate.info["heldout_accuracy"] = round(cand_score, 4)
    if cur_score is not None and cand_score < cur_score:
        return TrainReport(cand_score, cur_score, False, None, len(pairs), len(corrections))
    path = user_model_path(data_dir)
    save_model(candidate, path)
    return TrainReport(cand_score, cur_score, True, path, len(pairs), len(corrections))
