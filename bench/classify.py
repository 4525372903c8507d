"""Benchmark: document class and metadata on OCR'd generated scans, against a baseline in the same run.

    .venv/bin/python bench/classify.py [--per-degradation 58] [--train-per-class 24] [--json out.json]

Test documents come from seeds that no training run uses (pipeline/understand/train.py uses 101 and 202), at
the `scan` and `photo` degradations, and are read by the real pipeline (pipeline.read.pages.plan +
pipeline.read.ocr.read_page over 2 processes). OCR text is cached under bench/.cache keyed by the sample
file's sha256, so a rerun only pays for training.

Systems compared, all on the same OCR text:
- rules:    pipeline.understand.classify.classify, the hand-written cues alone;
- baseline: bag of words (CountVectorizer, word 1-2 grams) + MLPClassifier, paperless-ngx's approach,
            trained on the same training set as the model;
- model:    pipeline.understand.learned (char n-grams + rule cues, linear, calibrated), trained here with the
            recipe of the bundled default (pipeline.understand.train.train_default).
Reported per degradation: accuracy, macro-F1, F1 per class; review rate and the accuracy of the
documents not sent to review; precision/recall/F1 per metadata key (extraction runs on the model's
class, as in the pipeline).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from pipeline.catalogue import DOC_TYPES, role_mismatch  # noqa: E402
from pipeline.config import Settings  # noqa: E402
from pipeline.index.dossiers import dossier_from_name  # noqa: E402
from pipeline.read.ocr import read_page  # noqa: E402
from pipeline.read.pages import plan  # noqa: E402
from pipeline.samples import generate  # noqa: E402
from pipeline.understand.classify import classify  # noqa: E402
from pipeline.understand.extract import extract  # noqa: E402
from pipeline.understand.learned import Model, classify_with  # noqa: E402
from pipeline.understand.train import (  # noqa: E402
    DEFAULT_PER_CLASS,
    NOISED_COPIES,
    TRAIN_SEED,
    generated_texts,
    train_default,
    with_noise,
)
from schemas.samples import SampleLabel  # noqa: E402
from schemas.tasks import PageResult  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache"
SEEDS = {"scan": 9101, "photo": 9102}  # never used for training (pipeline/understand/train.py: 101, 202)
RASTER = ["pdf-scan", "tiff", "jpeg", "png"]


def samples(degradation: str, n: int) -> tuple[Path, list[SampleLabel]]:
    out = CACHE / "samples" / f"{degradation}-{SEEDS[degradation]}-{n}"
    labels_file = out / "labels.jsonl"
    if not labels_file.exists():
        generate(out, n=n, seed=SEEDS[degradation], doc_types=list(DOC_TYPES), formats=RASTER,
                 degradations=[degradation])
    labels = [SampleLabel.model_validate_json(line) for line in labels_file.read_text(encoding="utf-8").splitlines()]
    return out, labels


def code_hash(*modules: str) -> str:
    """A short hash of source files: cached OCR and trained models go stale when their code changes."""
    h = hashlib.sha256()
    for m in modules:
        for f in sorted((ROOT / m).rglob("*.py")) if (ROOT / m).is_dir() else [ROOT / m]:
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def _read_file(path: str, workdir: str) -> list[dict[str, Any]]:
    p = Path(path)
    doc_plan = plan(p)
    results = [read_page(p, doc_plan.fmt, spec, Path(workdir), lang="vie") for spec in doc_plan.pages]
    return [r.model_dump(mode="json", exclude={"pdf_path"}) for r in results]


def ocr_all(files: list[Path], workers: int) -> dict[Path, list[PageResult]]:
    """Pages of every file, from the cache or read now (whole files per process: pages of one file
    share a work dir)."""
    (CACHE / "ocr").mkdir(parents=True, exist_ok=True)
    out: dict[Path, list[PageResult]] = {}
    todo: dict[Path, Path] = {}
    # Keyed by the file's content and by the reading code (OCR, preprocessing, page planning).
    version = code_hash("pipeline/read/ocr.py", "pipeline/read/pages.py", "pipeline/read/preprocess.py",
                        "pipeline/read/seal.py")
    for f in files:
        sha = hashlib.sha256(f.read_bytes()).hexdigest()
        cached = CACHE / "ocr" / f"{sha}-{version}.json"
        if cached.exists():
            out[f] = [PageResult.model_validate(p) for p in json.loads(cached.read_text(encoding="utf-8"))]
        else:
            todo[f] = cached
    if todo:
        started = time.perf_counter()
        print(f"OCR of {len(todo)} files over {workers} processes …", file=sys.stderr, flush=True)
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {f: pool.submit(_read_file, str(f), str(CACHE / "work" / c.stem)) for f, c in todo.items()}
            for f, fut in futures.items():
                pages = fut.result()
                todo[f].write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
                out[f] = [PageResult.model_validate(p) for p in pages]
        print(f"OCR done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return out


def baseline(pairs: list[tuple[str, str]]) -> Any:
    """paperless-ngx's classifier: word uni+bigram counts into a small MLP."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import Pipeline

    pipe = Pipeline([
        ("bow", CountVectorizer(analyzer="word", ngram_range=(1, 2), min_df=0.01, lowercase=True)),
        ("mlp", MLPClassifier(tol=0.01, random_state=42)),
    ])
    pipe.fit([t for t, _ in pairs], [y for _, y in pairs])
    return pipe


def trained(per_class: int) -> tuple[Model, Any, int]:
    """The model (bundled-default recipe) and the baseline on the same training set; cached on disk
    while the training code and the generator are unchanged."""
    import joblib

    key = code_hash("pipeline/understand/learned.py", "pipeline/understand/train.py", "pipeline/understand/classify.py",
                    "pipeline/samples", "pipeline/vn")
    path = CACHE / "models" / f"trained-{per_class}-{key}.joblib"
    if path.exists():
        model, base, n = joblib.load(path)
        return model, base, n
    started = time.perf_counter()
    model = train_default(per_class)
    train_pairs = with_noise(generated_texts(per_class, TRAIN_SEED), copies=NOISED_COPIES, seed=TRAIN_SEED)
    base = baseline(train_pairs)
    print(f"trained model and baseline on {len(train_pairs)} texts in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump((model, base, len(train_pairs)), path)
    return model, base, len(train_pairs)


def f1_table(truth: list[str], pred: list[str]) -> tuple[float, float, dict[str, float]]:
    from sklearn.metrics import accuracy_score, f1_score

    present = sorted(set(truth))
    per = f1_score(truth, pred, labels=present, average=None, zero_division=0)
    return (float(accuracy_score(truth, pred)), float(f1_score(truth, pred, labels=present, average="macro",
                                                                 zero_division=0)),
            {c: float(v) for c, v in zip(present, per, strict=True)})


def field_scores(rows: list[tuple[dict[str, str], dict[str, str]]]) -> dict[str, dict[str, float]]:
    """Per key of the labels: precision, recall, F1 (a wrong value is both a FP and a FN)."""
    keys = sorted({k for truth, _ in rows for k in truth})
    out: dict[str, dict[str, float]] = {}
    for k in keys:
        tp = fp = fn = 0
        for truth, got in rows:
            t, g = truth.get(k), got.get(k)
            if g is not None and t is not None and " ".join(g.split()) == " ".join(t.split()):
                tp += 1
                continue
            fp += g is not None
            fn += t is not None
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[k] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": tp + fn}
    return out


def evaluate(degradation: str, labels: list[SampleLabel], pages: list[list[PageResult]], model: Model,
             base: Any, threshold: float) -> dict[str, Any]:
    texts = ["\f".join(p.text for p in doc) for doc in pages]
    truth = [lab.doc_type for lab in labels]
    rules = [classify(t) for t in texts]
    mine = [classify_with(model, t) for t in texts]
    basep = list(base.predict(texts))
    res: dict[str, Any] = {"documents": len(labels), "pages": sum(len(p) for p in pages)}
    for name, pred in (("rules", [r.doc_type for r in rules]), ("baseline", basep),
                       ("model", [m.doc_type for m in mine])):
        acc, macro, per = f1_table(truth, pred)
        res[name] = {"accuracy": acc, "macro_f1": macro, "per_class_f1": per}
    for name, cls in (("rules", rules), ("model", mine)):
        review = [role_mismatch(c.doc_type, lab.role) or c.confidence < threshold for c, lab in
                  zip(cls, labels, strict=True)]
        accepted = [c.doc_type == lab.doc_type for c, lab, r in zip(cls, labels, review, strict=True) if not r]
        res[name]["review_rate"] = sum(review) / len(review)
        res[name]["auto_accepted"] = len(accepted)
        res[name]["auto_accepted_accuracy"] = sum(accepted) / len(accepted) if accepted else None
        res[name]["errors"] = [f"{lab.file}: {lab.doc_type} -> {c.doc_type} ({c.confidence:.2f})"
                               for c, lab in zip(cls, labels, strict=True) if c.doc_type != lab.doc_type]
    rows = []
    for lab, doc, cls_, text in zip(labels, pages, mine, texts, strict=True):
        fields = extract(text, cls_.doc_type, page_count=len(doc), pages=doc)
        got = {k: f.value for k, f in fields.items()}
        if "ma_ho_so" not in got and (code := dossier_from_name(Path(lab.file).name)):
            got["ma_ho_so"] = code
        rows.append((lab.metadata, got))
    res["fields"] = field_scores(rows)
    # Every mismatch of a scored key: a miss (got None), a wrong value, or a value where the truth
    # has none (a false positive, which costs precision).
    res["field_errors"] = {k: [(lab.file, lab.metadata.get(k), got.get(k)) for lab, (_, got) in
                               zip(labels, rows, strict=True)
                               if " ".join((lab.metadata.get(k) or "").split()) != " ".join((got.get(k) or "").split())]
                           for k in res["fields"]}
    return res


def report(name: str, r: dict[str, Any], threshold: float) -> None:
    print(f"\n== {name}: {r['documents']} documents, {r['pages']} pages ==")
    print(f"{'system':10} {'accuracy':>9} {'macro-F1':>9} {'review':>7} {'accepted-acc':>13}")
    for s in ("rules", "baseline", "model"):
        x = r[s]
        rr = f"{x['review_rate']:.3f}" if "review_rate" in x else "-"
        aa = x.get("auto_accepted_accuracy")
        aa_s = f"{aa:.4f} ({x['auto_accepted']})" if aa is not None else "-"
        print(f"{s:10} {x['accuracy']:9.4f} {x['macro_f1']:9.4f} {rr:>7} {aa_s:>13}")
    print(f"model/baseline accuracy ratio {r['model']['accuracy'] / max(r['baseline']['accuracy'], 1e-9):.3f}, "
          f"review threshold {threshold}")
    print("per-class F1 (model | baseline | rules):")
    worse = []
    for c in sorted(r["model"]["per_class_f1"]):
        m, b, u = (r[s]["per_class_f1"][c] for s in ("model", "baseline", "rules"))
        flag = "" if m >= b else "  <-- below baseline"
        if m < b:
            worse.append(c)
        print(f"  {c:20} {m:.3f} | {b:.3f} | {u:.3f}{flag}")
    print(f"classes where the model is below the baseline: {worse or 'none'}")
    for e in r["model"]["errors"]:
        print(f"  error: {e}")
    print("metadata (model's class):  key  precision recall F1 (support)")
    for k, v in sorted(r["fields"].items(), key=lambda kv: kv[1]["f1"]):
        print(f"  {k:18} {v['precision']:.3f} {v['recall']:.3f} {v['f1']:.3f} ({v['support']})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-degradation", type=int, default=58, help="documents per degradation (29 classes cycled)")
    ap.add_argument("--train-per-class", type=int, default=DEFAULT_PER_CLASS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threshold", type=float, default=None, help="review threshold (default: settings)")
    ap.add_argument("--json", type=Path, help="write every figure here")
    ap.add_argument("--errors", action="store_true",
                    help="print every mismatching metadata value (truth vs extracted) per key")
    args = ap.parse_args()
    threshold = args.threshold if args.threshold is not None else Settings().review_threshold

    sets = {d: samples(d, args.per_degradation) for d in SEEDS}
    files = [out / lab.file for out, labels in sets.values() for lab in labels]
    read = ocr_all(files, args.workers)

    model, base, n_train = trained(args.train_per_class)

    results = {}
    for d, (out, labels) in sets.items():
        results[d] = evaluate(d, labels, [read[out / lab.file] for lab in labels], model, base, threshold)
        report(d, results[d], threshold)
        # Pages turned by 90/180/270 degrees read as garbage until OCR corrects the orientation:
        # the figures without them show what classification and extraction do on readable text.
        upright = [lab for lab in labels if lab.rotation == 0]
        name = f"{d}, upright pages only"
        results[name] = evaluate(d, upright, [read[out / lab.file] for lab in upright], model, base, threshold)
        report(name, results[name], threshold)
        if args.errors:
            print(f"metadata mismatches ({d}): key  file | truth | extracted")
            for k, errs in results[d]["field_errors"].items():
                for file, truth, got in errs:
                    print(f"  {k:18} {file} | {truth} | {got}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    counts = Counter(lab.doc_type for _, labels in sets.values() for lab in labels)
    print(f"\nclasses covered: {len(counts)}; training set {n_train} texts (seed {TRAIN_SEED})")


if __name__ == "__main__":
    main()
