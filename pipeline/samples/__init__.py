"""Realistic Vietnamese administrative documents with ground-truth labels (tests, benchmarks, demo).

`generate(out, n, seed)` writes `out/<unit>/<role folder>/<name>.<ext>` and `out/labels.jsonl`.
`family` picks the template family (families.py): "A" the original templates, "B" the second,
independent family, "AB" both in turn; each label says which family and template made it.
Born-digital PDFs come straight from reportlab; raster formats are those PDFs rasterised with
pypdfium2 and degraded like a scanner or a phone camera would. Same seed, same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from pipeline.samples import degrade as dg
from pipeline.samples.admin import ADMIN
from pipeline.samples.content import TODAY, UNITS, random_date, workday
from pipeline.samples.families import FAMILIES
from pipeline.samples.families import TEMPLATES as FAMILY_TEMPLATES
from pipeline.samples.forms import FORMS
from pipeline.samples.layout import Rendered, render
from pipeline.samples.model import Doc
from pipeline.samples.parts import Ctx
from schemas.samples import SampleLabel

__all__ = ["DEGRADATIONS", "DOC_TYPES", "FAMILIES", "FAMILY_CHOICES", "FORMATS", "ROLES", "ROLE_FOLDERS", "generate"]

FAMILY_CHOICES: tuple[str, ...] = (*FAMILIES, "AB")

TEMPLATES: dict[str, Callable[[Ctx], Doc]] = {**ADMIN, **FORMS}

# Every class of DOMAIN.md, in its order.
DOC_TYPES: tuple[str, ...] = (
    "quyet_dinh", "chi_thi", "nghi_quyet", "huong_dan", "cong_van", "thong_bao", "to_trinh", "bao_cao",
    "ke_hoach", "bien_ban", "giay_moi", "giay_uy_quyen", "hop_dong", "to_khai", "don", "giay_khai_sinh",
    "trich_luc_ho_tich", "gcn_ket_hon", "xac_nhan_tthn", "giay_chung_sinh", "giay_bao_tu",
    "ban_sao_chung_thuc", "gcn_qsdd", "giay_phep_xay_dung", "gcn_ho_kinh_doanh", "can_cuoc", "phieu_mot_cua",
    "bien_lai", "khac",
)
FORMATS: tuple[str, ...] = ("pdf-digital", "pdf-scan", "tiff", "jpeg", "png")
DEGRADATIONS: tuple[str, ...] = ("clean", "scan", "photo")
ROLE_FOLDERS = {"thanh_phan": "thanh-phan", "ket_qua_xu_ly": "ket-qua-xu-ly", "ket_qua": "ket-qua"}

# The folder a clerk would drop each class into.
ROLES: dict[str, str] = {
    **dict.fromkeys(["to_khai", "don", "can_cuoc", "giay_chung_sinh", "giay_bao_tu", "ban_sao_chung_thuc",
                     "giay_uy_quyen", "hop_dong", "phieu_mot_cua", "bien_lai", "khac"], "thanh_phan"),
    **dict.fromkeys(["giay_khai_sinh", "trich_luc_ho_tich", "gcn_ket_hon", "xac_nhan_tthn", "quyet_dinh",
                     "giay_phep_xay_dung", "gcn_qsdd", "gcn_ho_kinh_doanh", "cong_van", "chi_thi", "nghi_quyet",
                     "huong_dan", "thong_bao", "ke_hoach", "giay_moi"], "ket_qua"),
    **dict.fromkeys(["bien_ban", "to_trinh", "bao_cao"], "ket_qua_xu_ly"),
}
# Classes that nearly always travel inside a citizen's dossier; the rest mostly do not.
DOSSIER_CLASSES = {"to_khai", "don", "can_cuoc", "giay_chung_sinh", "giay_bao_tu", "ban_sao_chung_thuc",
                   "giay_uy_quyen", "phieu_mot_cua", "bien_lai", "giay_khai_sinh", "trich_luc_ho_tich",
                   "gcn_ket_hon", "xac_nhan_tthn", "gcn_qsdd", "giay_phep_xay_dung", "gcn_ho_kinh_doanh",
                   "quyet_dinh", "bien_ban"}
PROCEDURE_OF = {"giay_khai_sinh": "1.001193", "giay_chung_sinh": "1.001193", "gcn_ket_hon": "1.000894",
                "giay_bao_tu": "1.000656", "xac_nhan_tthn": "1.004873", "trich_luc_ho_tich": "2.000635",
                "ban_sao_chung_thuc": "2.000815", "giay_uy_quyen": "2.000884"}
# The five classes that matter most come up three times as often in the default mix.
WEIGHTS = {t: (3 if t in ("quyet_dinh", "cong_van", "to_khai", "giay_khai_sinh", "phieu_mot_cua") else 1)
           for t in DOC_TYPES}
UNIT_WEIGHTS = {"H50": 1, "H50.12": 3, "H50.7": 2, "000.00.24.H46": 2}
EXT = {"pdf-digital": "pdf", "pdf-scan": "pdf", "tiff": "tif", "jpeg": "jpg", "png": "png"}
SINGLE_IMAGE = {"jpeg", "png"}


@dataclass
class _Dossier:
    code: str
    unit: str
    received: dt.date
    procedure: str
    files: int = 0


@dataclass
class _State:
    dossiers: list[_Dossier] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)
    scans: int = 0


def _pick_format(rng: random.Random, formats: Sequence[str], degradations: Sequence[str]) -> tuple[str, str]:
    raster_degr = list(degradations)
    fmts = list(formats)
    if "clean" not in degradations and len(fmts) > 1:
        fmts = [f for f in fmts if f != "pdf-digital"] or fmts
    weights = [(len(fmts) - 1 if len(fmts) > 1 else 1) / 2 if f == "pdf-digital" else 1.0 for f in fmts]
    fmt = rng.choices(fmts, weights)[0]
    if fmt == "pdf-digital":
        return fmt, "clean"
    dw = {"clean": 3, "scan": 5, "photo": 2}
    degr = rng.choices(raster_degr, [dw.get(d, 1) for d in raster_degr])[0]
    return fmt, degr


def _dossier(rng: random.Random, st: _State, unit: str, doc_type: str) -> _Dossier:
    own = [d for d in st.dossiers if d.unit == unit]
    if own and rng.random() < 0.4:
        return rng.choice(own)
    received = workday(random_date(rng, dt.date(2020, 1, 6), TODAY - dt.timedelta(days=1)))
    while True:
        code = f"{unit}-{received:%y%m%d}-{rng.randint(1, 2400):04d}"
        if code not in st.codes:
            break
    proc = PROCEDURE_OF.get(doc_type) or rng.choice([*PROCEDURE_OF.values(), "1.001193", "1.000894"])
    d = _Dossier(code, unit, received, proc)
    st.dossiers.append(d)
    st.codes.add(code)
    return d


def _issue_date(rng: random.Random, role: str, doc_type: str, dossier: _Dossier | None) -> dt.date:
    if dossier is None:
        return workday(random_date(rng))
    r = dossier.received
    if doc_type == "phieu_mot_cua":
        return r
    if role == "thanh_phan":
        return r - dt.timedelta(days=rng.choice([0, 0, 0, 1, 2, 5]))
    return min(workday(r + dt.timedelta(days=rng.randint(1, 10))), TODAY)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()


def generate(out: Path, n: int = 10, seed: int = 0, *, doc_types: Sequence[str] | None = None,
             formats: Sequence[str] | None = None, degradations: Sequence[str] | None = None,
             family: str = "A") -> list[SampleLabel]:
    """Write `n` labelled sample documents under `out` and return their labels (also in labels.jsonl)."""
    if family not in FAMILY_CHOICES:
        raise ValueError(f"unknown family: {family}; known: {', '.join(FAMILY_CHOICES)}")
    out = Path(out)
    types = list(doc_types or DOC_TYPES)
    fmts = list(formats or FORMATS)
    degrs = list(degradations or DEGRADATIONS)
    for name, given, known in (("doc_types", types, DOC_TYPES), ("formats", fmts, FORMATS),
                               ("degradations", degrs, DEGRADATIONS)):
        bad = sorted(set(given) - set(known))
        if bad:
            raise ValueError(f"unknown {name}: {', '.join(bad)}; known: {', '.join(known)}")
    out.mkdir(parents=True, exist_ok=True)
    st = _State()
    top = random.Random(f"sohoa-samples:{seed}")
    st.scans = top.randint(1, 400)
    labels: list[SampleLabel] = []
    for i in range(n):
        rng = random.Random(f"sohoa-samples:{seed}:{i}")
        nrng = np.random.default_rng([seed, i])
        # Cycle through the classes when a list was given so each one is covered; else weight.
        doc_type = types[i % len(types)] if doc_types else rng.choices(types, [WEIGHTS[t] for t in types])[0]
        fam = family if family != "AB" else FAMILIES[i % len(FAMILIES)]
        labels.append(_one(out, rng, nrng, st, doc_type, fmts, degrs, seed, fam))
    with (out / "labels.jsonl").open("w", encoding="utf-8") as f:
        for lab in labels:
            f.write(lab.model_dump_json() + "\n")
    return labels


def _one(out: Path, rng: random.Random, nrng: np.random.Generator, st: _State, doc_type: str,
         fmts: list[str], degrs: list[str], seed: int, family: str = "A") -> SampleLabel:
    role = ROLES[doc_type]
    units = list(UNIT_WEIGHTS)
    unit = rng.choices(units, [UNIT_WEIGHTS[u] for u in units])[0]
    fmt, degr = _pick_format(rng, fmts, degrs)
    in_dossier = rng.random() < (0.85 if doc_type in DOSSIER_CLASSES else 0.1)
    dossier = _dossier(rng, st, unit, doc_type) if in_dossier else None
    date = _issue_date(rng, role, doc_type, dossier)
    allow_long = fmt not in SINGLE_IMAGE and rng.random() < 0.35
    plan = dg.plan(degr, nrng)
    template, doc, rendered = _build(rng, doc_type, unit, date, dossier, allow_long, single=fmt in SINGLE_IMAGE,
                                     plan=plan, family=family)
    meta = {k: _nfc(v) for k, v in doc.metadata.items() if v}
    meta["so_trang"] = str(len(rendered.pages))
    if dossier:
        meta["ma_ho_so"] = dossier.code
    if dossier:
        dossier.files += 1
        name = f"{dossier.code}.{dossier.files}.{EXT[fmt]}"
    else:
        st.scans += 1
        name = f"scan_{st.scans:04d}.{EXT[fmt]}"
    rel = Path(unit) / ROLE_FOLDERS[role] / name
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    dpi: int | None = None
    if fmt == "pdf-digital":
        path.write_bytes(rendered.pdf)
    else:
        dpi = int(rng.choice([200, 300])) if degr != "photo" else 200
        pages = [dg.degrade(im, plan, nrng) for im in _rasterise(rendered.pdf, dpi)]
        path.write_bytes(dg.save(pages, fmt, dpi, plan))
    return SampleLabel(file=rel.as_posix(), doc_type=doc_type, role=role, unit=unit, metadata=meta,  # type: ignore[arg-type]
                       parties=[q.model_copy(update={"ho_ten": _nfc(q.ho_ten), "role": _nfc(q.role)})
                                for q in doc.parties],
                       text=_nfc(rendered.text), pages=len(rendered.pages), format=fmt, dpi=dpi, degradation=degr,
                       rotation=plan.rotation, skew=plan.skew, seed=seed, family=family, template=template,
                       fill=doc.fill)


def _build(rng: random.Random, doc_type: str, unit: str, date: dt.date, dossier: _Dossier | None,
           allow_long: bool, single: bool, plan: dg.Plan, family: str = "A") -> tuple[str, Doc, Rendered]:
    """Build and lay out; a single-image format must fit one page, so retry with fresh content."""
    variants = FAMILY_TEMPLATES[family][doc_type]
    # Family A has one template per class and draws nothing here, so its documents stay as they were.
    template, builder = variants[0] if len(variants) == 1 else rng.choice(variants)
    for attempt in range(6):
        sub = random.Random(f"{rng.random()}:{attempt}")
        ctx = Ctx(sub, UNITS[unit], date, dossier.code if dossier else None,
                  dossier.procedure if dossier else None, long=allow_long and attempt == 0)
        doc = builder(ctx)
        r, g, b = (v / 255 for v in dg.TABLE)
        backdrop = (r, g, b) if plan.kind == "photo" else None
        rendered = render(doc, random.Random(sub.random()), skew=plan.skew, backdrop=backdrop)
        if not single or len(rendered.pages) == 1:
            return template, doc, rendered
    return template, doc, rendered
