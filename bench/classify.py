"""Benchmark: document class, confidence and metadata, on generated scans of two template families and on
real documents, against a baseline in the same run.

    .venv/bin/python bench/classify.py [--set generated|real|all] [--dir DIR] [--per-degradation 58]
                                       [--train-per-class N] [--json out.json] [--errors]

Sets:
- generated: documents of both template families (pipeline/samples/families.py), A and B, from seeds no
  training run uses (pipeline/understand/train.py uses 101 and 202), at the `scan` and `photo`
  degradations, read by the real pipeline (pipeline.read.pages.plan + pipeline.read.ocr.read_page over 2
  processes). A model tuned to one family shows it here.
- real: the hand-labelled documents of bench/realset/labels.jsonl, found in DIR (`bench/realset.py fetch
  DIR` makes it). Scored per class (a document with `alt_doc_types` counts right for any of them), per
  source repository and per kind; blank templates count for the class only; metadata is scored on the
  keys each label's `truth` holds (values stored as `sha256:` are compared by hash).
OCR text is cached under bench/.cache keyed by each file's sha256 and the reading code, so a rerun only
pays for training; the real set's 219 pages take about 15 minutes to read the first time on 2 cores.

Systems compared, all on the same text:
- rules:    pipeline.understand.classify.classify, the hand-written cues alone (title first);
- baseline: bag of words (CountVectorizer, word 1-2 grams) + MLPClassifier, paperless-ngx's approach,
            trained on the same training set as the model;
- model:    pipeline.understand.learned.classify_with with a model trained here by the recipe of the
            bundled default (pipeline.understand.train.train_default; cached while its code is unchanged).
Reported per set: accuracy, macro-F1, F1 per class and the worst classes, the review rate (confidence under
the threshold, a title/body conflict, or a role mismatch), wrong classes accepted without review, the
accuracy of what was accepted, the expected calibration error (ECE, 10 bins of confidence) with its
reliability table, and precision/recall/F1 per metadata key (extraction runs on the model's class) with
the count of wrong values accepted without review (a document goes to review for its class's reasons or for
a field read with less confidence than SOHOA_FIELD_REVIEW_THRESHOLD, as pipeline/flow.py does).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from bench import realset  # noqa: E402
from pipeline.catalogue import DOC_TYPES, role_mismatch  # noqa: E402
from pipeline.config import Settings  # noqa: E402
from pipeline.index.dossiers import dossier_from_name  # noqa: E402
from pipeline.read.ocr import read_page  # noqa: E402
from pipeline.read.pages import plan  # noqa: E402
from pipeline.samples import generate  # noqa: E402
from pipeline.understand.classify import Classification, classify  # noqa: E402
from pipeline.understand.extract import extract, unsure_fields  # noqa: E402
from pipeline.understand.learned import Model, classify_with  # noqa: E402
from pipeline.understand.train import DEFAULT_PER_CLASS, TRAIN_SEED, train_default, training_pairs  # noqa: E402
from schemas.samples import SampleLabel  # noqa: E402
from schemas.tasks import PageResult  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache"
# Never used for training (pipeline/understand/train.py: 101, 202). Family A keeps the seeds this bench
# always used, so its cached OCR stays valid.
SEEDS = {("A", "scan"): 9101, ("A", "photo"): 9102, ("B", "scan"): 9201, ("B", "photo"): 9202}
RASTER = ["pdf-scan", "tiff", "jpeg", "png"]
BINS = 10


# --- what is scored ---------------------------------------------------------------------------------------
@dataclass
class Item:
    """One document to classify: its text and pages, the classes that count as right, and its truth."""

    name: str
    text: str
    pages: list[PageResult]
    doc_type: str
    accept: set[str]  # doc_type and any alt_doc_types
    role: str | None = None
    truth: dict[str, str] = field(default_factory=dict)  # metadata to score ({} for a blank template)
    group: str = ""  # source repository (real) or template (generated)
    kind: str = ""  # scan, born_digital, template_* (real); the degradation (generated)


def samples(family: str, degradation: str, n: int) -> tuple[Path, list[SampleLabel]]:
    seed = SEEDS[(family, degradation)]
    # Family A's folder keeps its old name so that documents generated before families existed are reused.
    out = CACHE / "samples" / (f"{degradation}-{seed}-{n}" if family == "A" else f"{family}-{degradation}-{seed}-{n}")
    labels_file = out / "labels.jsonl"
    if not labels_file.exists():
        generate(out, n=n, seed=seed, doc_types=list(DOC_TYPES), formats=RASTER, degradations=[degradation],
                 family=family)
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
                        "pipeline/read/seal.py", "pipeline/read/boxes.py", "pipeline/read/slots.py",
                        "pipeline/read/digits.py", "pipeline/read/engine.py")
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


def generated_items(family: str, degradation: str, n: int, workers: int) -> list[Item]:
    out, labels = samples(family, degradation, n)
    read = ocr_all([out / lab.file for lab in labels], workers)
    items = []
    for lab in labels:
        pages = read[out / lab.file]
        truth = dict(lab.metadata)
        if lab.fill == "blank":
            truth = {}
        items.append(Item(lab.file, "\f".join(p.text for p in pages), pages, lab.doc_type, {lab.doc_type}, lab.role,
                          truth, lab.template or f"{family}.{lab.doc_type}", degradation))
    return items


def real_items(folder: Path, workers: int) -> list[Item]:
    docs = realset.load()
    found = {d.id: realset.locate(d, folder) for d in docs}
    # A file edited by hand comes only from a copy of the set: without one, score the rest and say so.
    by_hand = [d.id for d in docs if found[d.id] is None and d.derive["how"] == "manual"]
    if by_hand:
        print(f"bench: {', '.join(by_hand)} (edited by hand, only in a copy of the set) not in {folder}: "
              f"scoring {len(docs) - len(by_hand)} documents", file=sys.stderr)
        docs = [d for d in docs if d.id not in by_hand]
    missing = [d.id for d in docs if found[d.id] is None]
    if missing:
        raise SystemExit(f"bench: {len(missing)} real-set files missing in {folder} ({', '.join(missing[:5])}…); "
                         f"make them with: .venv/bin/python bench/realset.py fetch {folder} [--from FOLDER]")
    read = ocr_all([p for p in found.values() if p is not None], workers)
    items = []
    for d in docs:
        path = found[d.id]
        assert path is not None
        pages = read[path]
        truth = {} if d.blank else {k: str(v) for k, v in d.truth.items()}
        items.append(Item(d.id, "\f".join(p.text for p in pages), pages, d.doc_type, d.classes, None, truth,
                          d.source_repo, d.kind))
    return items


# --- systems ------------------------------------------------------------------------------------------------
def baseline(pairs: Sequence[tuple[str, str]]) -> Any:
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
    pairs = [(t, y) for t, y, _ in training_pairs(per_class, TRAIN_SEED)]
    base = baseline(pairs)
    print(f"trained model and baseline on {len(pairs)} texts in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump((model, base, len(pairs)), path)
    return model, base, len(pairs)


# --- scores -----------------------------------------------------------------------------------------------
def f1_table(truth: list[str], pred: list[str]) -> tuple[float, float, dict[str, float]]:
    from sklearn.metrics import accuracy_score, f1_score

    present = sorted(set(truth))
    per = f1_score(truth, pred, labels=present, average=None, zero_division=0)
    return (float(accuracy_score(truth, pred)), float(f1_score(truth, pred, labels=present, average="macro",
                                                                 zero_division=0)),
            {c: float(v) for c, v in zip(present, per, strict=True)})


def reliability(conf: Sequence[float], right: Sequence[bool], bins: int = BINS) -> tuple[float, list[dict[str, Any]]]:
    """Expected calibration error and its table: per bin of confidence, how many, mean confidence, accuracy."""
    rows: list[dict[str, Any]] = []
    ece = 0.0
    n = len(conf)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(conf) if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not idx:
            continue
        mc = sum(conf[i] for i in idx) / len(idx)
        acc = sum(right[i] for i in idx) / len(idx)
        ece += len(idx) / n * abs(acc - mc)
        rows.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(idx), "confidence": mc, "accuracy": acc})
    return ece, rows


def _norm(v: str) -> str:
    return unicodedata.normalize("NFC", " ".join(v.split()))


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _typographic(v: str) -> str:
    """A value with its typographic variants made one: the tone mark's place in a syllable ("UỶ" / "ỦY",
    "hoà" / "hòa": the old and the new placement, both correct), the space after a signing prefix's dot
    ("KT.CHỦ TỊCH" / "KT. CHỦ TỊCH") and before a colon ("Về việc :" / "Về việc:"). Labels keep the paper's
    spelling; the pipeline writes Decree 30's (also for "T/M", "K/T": "TM.", "KT."); neither is a different
    value."""
    v = re.sub(r"\b([TK])\s*/\s*([MTL])\b\.?\s*", r"\1\2. ", _norm(v))  # "T/M", "K/T": the older spelling
    v = re.sub(r"\b(KT|TM|TL|TUQ)\s*\.\s*", r"\1. ", v)
    v = re.sub(r"\s+([:;,])", r"\1", v)
    words = []
    for w in v.split(" "):
        d = unicodedata.normalize("NFD", w)
        words.append("".join(ch for ch in d if ch not in _TONES) + "".join(sorted(ch for ch in d if ch in _TONES)))
    return " ".join(words)


def _same(truth: str, got: str) -> bool:
    if truth.startswith("sha256:"):  # personal data is stored hashed in the real set's labels
        return "sha256:" + hashlib.sha256(_norm(got).casefold().encode()).hexdigest() == truth
    return _typographic(truth) == _typographic(got)


# Labelled for the record but not read by the pipeline (the superior body of a two-level header).
UNSCORED = frozenset({"co_quan_chu_quan"})


def field_scores(rows: list[tuple[dict[str, str], dict[str, str]]],
                 reviewed: Sequence[bool] | None = None) -> dict[str, dict[str, float]]:
    """Per key of the labels: precision, recall, F1 (a wrong value is both a FP and a FN), and how many
    wrong values were accepted without review (``reviewed``: whether each document goes to review). Only
    documents whose truth has any key take part (a blank template has nothing to read)."""
    keys = sorted({k for truth, _ in rows for k in truth} - UNSCORED)
    review = list(reviewed) if reviewed is not None else [False] * len(rows)
    out: dict[str, dict[str, float]] = {}
    for k in keys:
        tp = fp = fn = wrong_accepted = 0
        for (truth, got), rv in zip(rows, review, strict=True):
            if not truth:
                continue
            t, g = truth.get(k), got.get(k)
            if g is not None and t is not None and _same(t, g):
                tp += 1
                continue
            fp += g is not None
            fn += t is not None
            wrong_accepted += g is not None and not rv
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[k] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": tp + fn,
                  "wrong_accepted": wrong_accepted}
    return out


def needs_review(c: Classification, role: str | None, threshold: float) -> bool:
    """What the pipeline sends to review (pipeline/flow.py)."""
    return role_mismatch(c.doc_type, role) or c.confidence < threshold or c.conflict


def score(items: list[Item], cls: list[Classification] | None, pred: list[str], threshold: float) -> dict[str, Any]:
    # A prediction in a document's accepted classes counts as its label.
    truth = [pr if pr in it.accept else it.doc_type for it, pr in zip(items, pred, strict=True)]
    acc, macro, per = f1_table(truth, pred)
    res: dict[str, Any] = {"accuracy": acc, "macro_f1": macro, "per_class_f1": per,
                           "worst": sorted(per.items(), key=lambda kv: kv[1])[:4]}
    if cls is None:
        return res
    right = [c.doc_type in it.accept for c, it in zip(cls, items, strict=True)]
    review = [needs_review(c, it.role, threshold) for c, it in zip(cls, items, strict=True)]
    accepted = [r for r, rv in zip(right, review, strict=True) if not rv]
    res["review_rate"] = sum(review) / len(review)
    res["auto_accepted"] = len(accepted)
    res["wrong_accepted"] = len(accepted) - sum(accepted)
    res["auto_accepted_accuracy"] = sum(accepted) / len(accepted) if accepted else None
    res["conflicts"] = sum(c.conflict for c in cls)
    res["ece"], res["reliability"] = reliability([c.confidence for c in cls], right)
    res["errors"] = [f"{it.name}: {it.doc_type} -> {c.doc_type} ({c.confidence:.2f}"
                     f"{', review' if rv else ', ACCEPTED'}{', conflict' if c.conflict else ''})"
                     for c, it, ok, rv in zip(cls, items, right, review, strict=True) if not ok]
    return res


def evaluate(items: list[Item], model: Model, base: Any, threshold: float,
             extractor: Callable[..., dict[str, Any]] = extract, field_threshold: float = 0.6) -> dict[str, Any]:
    texts = [it.text for it in items]
    rules = [classify(t) for t in texts]
    mine = [classify_with(model, t) for t in texts]
    basep = [str(p) for p in base.predict(texts)]
    res: dict[str, Any] = {"documents": len(items), "pages": sum(len(it.pages) for it in items)}
    res["rules"] = score(items, rules, [r.doc_type for r in rules], threshold)
    res["baseline"] = score(items, None, basep, threshold)
    res["model"] = score(items, mine, [m.doc_type for m in mine], threshold)
    for key, attr in (("by_group", "group"), ("by_kind", "kind")):
        groups: dict[str, list[int]] = defaultdict(list)
        for i, it in enumerate(items):
            groups[getattr(it, attr)].append(i)
        res[key] = {}
        for g, idx in sorted(groups.items()):
            right = [mine[i].doc_type in items[i].accept for i in idx]
            rv = [needs_review(mine[i], items[i].role, threshold) for i in idx]
            res[key][g] = {"documents": len(idx), "accuracy": sum(right) / len(idx),
                           "review_rate": sum(rv) / len(idx),
                           "wrong_accepted": sum(1 for r, v in zip(right, rv, strict=True) if not r and not v),
                           "classes": dict(Counter(items[i].doc_type for i in idx))}
    rows = []
    confs: list[dict[str, float]] = []
    for it, c in zip(items, mine, strict=True):
        fields = extractor(it.text, c.doc_type, page_count=len(it.pages), pages=it.pages)
        got = {k: f.value for k, f in fields.items()}
        confs.append({k: f.confidence for k, f in fields.items()})
        if "ma_ho_so" not in got and (code := dossier_from_name(Path(it.name).name)):
            got["ma_ho_so"] = code
        rows.append((it.truth, got))
    # What the pipeline sends to review (pipeline/flow.py): the class's reasons, or a field read unsure.
    unsure = [unsure_fields(cf, field_threshold) for cf in confs]
    reviewed = [needs_review(c, it.role, threshold) or bool(u) for c, it, u in zip(mine, items, unsure, strict=True)]
    res["fields"] = field_scores(rows, reviewed)
    scored = [i for i, it in enumerate(items) if it.truth]
    fields_only = [bool(unsure[i]) and not needs_review(mine[i], items[i].role, threshold) for i in scored]
    res["field_review"] = {"documents": len(scored), "reviewed": sum(reviewed[i] for i in scored),
                           "for_fields_only": sum(fields_only), "field_threshold": field_threshold}
    res["field_errors"] = {
        k: [(it.name, it.truth.get(k), got.get(k), cf.get(k), rv)
            for it, (_, got), cf, rv in zip(items, rows, confs, reviewed, strict=True)
            if it.truth and not (it.truth.get(k) is None and got.get(k) is None)
            and not (it.truth.get(k) is not None and got.get(k) is not None and _same(it.truth[k], got[k]))]
        for k in res["fields"]}
    return res


def report(name: str, r: dict[str, Any], threshold: float, *, groups: bool = False) -> None:
    print(f"\n== {name}: {r['documents']} documents, {r['pages']} pages ==")
    print(f"{'system':10} {'accuracy':>9} {'macro-F1':>9} {'review':>7} {'wrong-acc':>9} {'ECE':>6} "
          f"{'accepted-acc':>14}")
    for s in ("rules", "baseline", "model"):
        x = r[s]
        rr = f"{x['review_rate']:.3f}" if "review_rate" in x else "-"
        wa = str(x["wrong_accepted"]) if "wrong_accepted" in x else "-"
        ece = f"{x['ece']:.3f}" if "ece" in x else "-"
        aa = x.get("auto_accepted_accuracy")
        aa_s = f"{aa:.4f} ({x['auto_accepted']})" if aa is not None else "-"
        print(f"{s:10} {x['accuracy']:9.4f} {x['macro_f1']:9.4f} {rr:>7} {wa:>9} {ece:>6} {aa_s:>14}")
    m = r["model"]
    print(f"model/baseline accuracy ratio {m['accuracy'] / max(r['baseline']['accuracy'], 1e-9):.3f}, "
          f"review threshold {threshold}, title/body conflicts {m['conflicts']}")
    print("worst classes (model F1): " + ", ".join(f"{c} {v:.3f}" for c, v in m["worst"]))
    print("reliability (model): bin  n  confidence  accuracy")
    for row in m["reliability"]:
        print(f"  {row['bin']}  {row['n']:4d}  {row['confidence']:.3f}  {row['accuracy']:.3f}")
    print("per-class F1 (model | baseline | rules):")
    for c in sorted(m["per_class_f1"]):
        vals = [r[s]["per_class_f1"].get(c, 0.0) for s in ("model", "baseline", "rules")]
        flag = "" if vals[0] >= vals[1] else "  <-- below baseline"
        print(f"  {c:20} {vals[0]:.3f} | {vals[1]:.3f} | {vals[2]:.3f}{flag}")
    for e in m["errors"]:
        print(f"  error: {e}")
    if groups:
        for key, what in (("by_group", "source/template"), ("by_kind", "kind/degradation")):
            print(f"by {what} (model): documents accuracy review wrong-accepted")
            for g, v in r[key].items():
                print(f"  {g:45} {v['documents']:4d} {v['accuracy']:.3f} {v['review_rate']:.3f} "
                      f"{v['wrong_accepted']}")
    fr = r["field_review"]
    mean_f1 = sum(v["f1"] for v in r["fields"].values()) / max(len(r["fields"]), 1)
    print(f"metadata (model's class): mean F1 {mean_f1:.3f}; {fr['reviewed']} of {fr['documents']} documents with "
          f"metadata to review ({fr['for_fields_only']} only for a field under {fr['field_threshold']}); "
          f"wrong values accepted without review {sum(v['wrong_accepted'] for v in r['fields'].values())}")
    print("  key                precision recall F1 (support) wrong-accepted")
    for k, v in sorted(r["fields"].items(), key=lambda kv: kv[1]["f1"]):
        print(f"  {k:18} {v['precision']:.3f} {v['recall']:.3f} {v['f1']:.3f} ({v['support']}) {v['wrong_accepted']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", dest="which", choices=["generated", "real", "all"], default="generated")
    ap.add_argument("--dir", type=Path, help="the real set's files (bench/realset.py fetch DIR)")
    ap.add_argument("--families", default="A,B", help="generated families to score (default A,B)")
    ap.add_argument("--per-degradation", type=int, default=58, help="documents per family and degradation "
                                                                    "(29 classes cycled)")
    ap.add_argument("--train-per-class", type=int, default=DEFAULT_PER_CLASS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threshold", type=float, default=None, help="review threshold (default: settings)")
    ap.add_argument("--field-threshold", type=float, default=None,
                    help="field review threshold (default: settings, SOHOA_FIELD_REVIEW_THRESHOLD)")
    ap.add_argument("--json", type=Path, help="write every figure here")
    ap.add_argument("--errors", action="store_true",
                    help="print every mismatching metadata value (truth vs extracted) per key")
    args = ap.parse_args()
    settings = Settings()
    threshold = args.threshold if args.threshold is not None else settings.review_threshold
    field_threshold = args.field_threshold if args.field_threshold is not None else settings.field_review_threshold
    if args.which in ("real", "all") and args.dir is None:
        ap.error("--set real needs --dir DIR (make it with bench/realset.py fetch DIR)")

    sets: dict[str, list[Item]] = {}
    if args.which in ("generated", "all"):
        for fam in args.families.split(","):
            for d in ("scan", "photo"):
                sets[f"generated {fam}, {d}"] = generated_items(fam, d, args.per_degradation, args.workers)
    if args.which in ("real", "all"):
        sets["real"] = real_items(args.dir, args.workers)

    model, base, n_train = trained(args.train_per_class)
    results: dict[str, Any] = {}
    for name, items in sets.items():
        results[name] = evaluate(items, model, base, threshold, field_threshold=field_threshold)
        report(name, results[name], threshold, groups=name == "real")
        if args.errors:
            print(f"metadata mismatches ({name}): key  file | truth | extracted (confidence, review or ACCEPTED)")
            for k, errs in results[name]["field_errors"].items():
                for file, truth, got, conf, rv in errs:
                    how = "" if got is None else f" ({conf:.2f}, {'review' if rv else 'ACCEPTED'})"
                    print(f"  {k:18} {file} | {truth} | {got}{how}")
    fams = sorted({n.split(",")[0] for n in sets if n.startswith("generated")})
    for fam in fams:  # both degradations together, the figure the issue quotes
        items = [it for n, its in sets.items() if n.startswith(fam + ",") for it in its]
        name = f"{fam}, scan+photo"
        results[name] = evaluate(items, model, base, threshold, field_threshold=field_threshold)
        report(name, results[name], threshold, groups=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=list), encoding="utf-8")
    print(f"\ntraining set {n_train} texts (seed {TRAIN_SEED}); review threshold {threshold}")


if __name__ == "__main__":
    main()
