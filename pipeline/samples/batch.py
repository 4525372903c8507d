"""Scan batches: several documents and dossiers in one file, as a clerk scans a pile in one go.

A batch is a list of items: a one-stop-shop slip (`Slip`, which opens a dossier; its QR code may
carry the bare dossier code, key=value pairs, JSON or a URL, be smudged unreadable or be missing),
a paper of the dossier (`Paper`, any class, of family A unless a template of families.py is named) or a
blank separator sheet (`Blank`). Papers after a
slip belong to its dossier. The ground truth (`BatchLabel`) says which pages make which document
and dossier, and where a reader should find the dossier code (the QR when it is readable, else the
slip's printed `Mã hồ sơ`). Same seed, same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pikepdf
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from pipeline.samples import EXT, ROLE_FOLDERS, TEMPLATES, _rasterise
from pipeline.samples import degrade as dg
from pipeline.samples.content import PROCEDURES, TODAY, UNITS, random_date, workday
from pipeline.samples.families import TEMPLATES as FAMILY_TEMPLATES
from pipeline.samples.families import Builder
from pipeline.samples.layout import Rendered, render
from pipeline.samples.parts import Ctx
from schemas.samples import BatchDocument, BatchLabel

QrForm = Literal["code", "pairs", "json", "url", "none", "damaged"]
BATCH_FORMATS = ("pdf-scan", "tiff", "pdf-digital")
# Papers that travel in a citizen's dossier, for the random batches of `sohoa samples --batches`.
PAPERS = ("to_khai", "don", "can_cuoc", "giay_khai_sinh", "ban_sao_chung_thuc", "giay_uy_quyen", "bien_lai")
# Family-B papers written on the tờ khai's pattern (requester block, pledge) under their own title: a
# batch that holds them after a tờ khai must still be cut into one document each.
LOOKALIKES = ("B.don.hotich", "B.giay_uy_quyen.hotich")


@dataclass(frozen=True)
class Slip:
    """A one-stop-shop slip: opens a dossier."""

    qr: QrForm = "code"
    typo: bool = False  # the printed code is not the QR's (a slip typed by hand); the QR is right


@dataclass(frozen=True)
class Paper:
    doc_type: str
    template: str | None = None  # a template id of families.py (e.g. "B.don.hotich"); None: family A


def builder_of(paper: Paper) -> Builder:
    if paper.template is None:
        return TEMPLATES[paper.doc_type]
    family = paper.template.split(".", 1)[0]
    for tid, fn in FAMILY_TEMPLATES[family][paper.doc_type]:
        if tid == paper.template:
            return fn
    raise ValueError(f"no template {paper.template} of class {paper.doc_type}")


@dataclass(frozen=True)
class Blank:
    """A blank separator sheet."""


Item = Slip | Paper | Blank


def qr_payload(form: QrForm, code: str, procedure: str, ident: str) -> str:
    """What the slip's QR carries, in the forms one-stop-shop systems print."""
    if form in ("code", "damaged"):
        return code
    if form == "pairs":
        return f"ma_ho_so={code};ma_tthc={procedure};cccd={ident}"
    if form == "json":
        return json.dumps({"maHoSo": code, "maTTHC": procedure, "soDinhDanh": ident, "phi": "0"})
    if form == "url":
        return f"https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html?maHoSo={code}&maTTHC={procedure}"
    return ""


def _typo(code: str) -> str:
    head, seq = code.rsplit("-", 1)
    return f"{head}-{seq[:-1]}{(int(seq[-1]) + 3) % 10}"


def _blank_pdf() -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    c.showPage()
    c.save()
    return buf.getvalue()


@dataclass
class _Open:
    code: str
    procedure: str
    received: dt.date
    readable_qr: bool


def write_batch(out: Path, rel: str, items: Sequence[Item], *, seed: int, unit: str = "H50.12",
                fmt: str = "pdf-scan", degradation: str = "scan", dpi: int = 200) -> BatchLabel:
    """Write one batch file at `out/rel` and return its ground truth."""
    if fmt not in BATCH_FORMATS:
        raise ValueError(f"a batch is one of {', '.join(BATCH_FORMATS)}, not {fmt}")
    rng = random.Random(f"sohoa-batch:{seed}:{rel}")
    nrng = np.random.default_rng([seed, len(rel), *rel.encode()[-8:]])
    pdfs: list[bytes] = []  # one PDF per item (pdf-digital)
    images: list[Image.Image] = []
    docs: list[BatchDocument] = []
    separators: list[int] = []
    dossier: _Open | None = None
    page = 0
    for i, item in enumerate(items):
        plan = dg.plan("clean" if fmt == "pdf-digital" else degradation, nrng)
        if isinstance(item, Blank):
            page += 1
            separators.append(page)
            if fmt == "pdf-digital":
                pdfs.append(_blank_pdf())
            else:
                sheet = Image.new("RGB", (round(8.27 * dpi), round(11.69 * dpi)), "white")
                images.append(dg.degrade(sheet, plan, nrng))
            continue
        sub = f"{rng.random()}:{i}"
        if isinstance(item, Slip):
            received = workday(random_date(rng, dt.date(2024, 1, 1), TODAY - dt.timedelta(days=1)))
            code = f"{unit}-{received:%y%m%d}-{rng.randint(1, 2400):04d}"
            dossier = _Open(code, rng.choice(sorted(PROCEDURES)), received, item.qr not in ("none", "damaged"))
            # Built twice from the same seed: the first time tells the applicant the QR may carry.
            probe = TEMPLATES["phieu_mot_cua"](Ctx(random.Random(sub), UNITS[unit], received, code, dossier.procedure))
            ident = probe.metadata.get("so_dinh_danh", "")
            ctx = Ctx(random.Random(sub), UNITS[unit], received, _typo(code) if item.typo else code, dossier.procedure,
                      qr=qr_payload(item.qr, code, dossier.procedure, ident), qr_damaged=item.qr == "damaged")
            doc_type, truth_ident = "phieu_mot_cua", (ident or None) if item.qr in ("pairs", "json") else None
        else:
            date = dossier.received if dossier else workday(random_date(rng, dt.date(2024, 1, 1)))
            ctx = Ctx(random.Random(sub), UNITS[unit], date, dossier.code if dossier else None,
                      dossier.procedure if dossier else None)
            doc_type, truth_ident = item.doc_type, None
        doc = (TEMPLATES[doc_type] if isinstance(item, Slip) else builder_of(item))(ctx)
        backdrop = tuple(v / 255 for v in dg.TABLE) if plan.kind == "photo" else None
        rendered: Rendered = render(doc, random.Random(sub + ":layout"), skew=plan.skew,
                                    backdrop=backdrop)  # type: ignore[arg-type]
        n = len(rendered.pages)
        if fmt == "pdf-digital":
            pdfs.append(rendered.pdf)
        else:
            images.extend(dg.degrade(im, plan, nrng) for im in _rasterise(rendered.pdf, dpi))
        docs.append(BatchDocument(
            pages=list(range(page + 1, page + n + 1)),
            doc_type=doc_type,
            ma_ho_so=dossier.code if dossier else None,
            dossier_source=("qr" if dossier.readable_qr else "slip") if dossier else None,
            ma_thu_tuc=dossier.procedure if dossier else None,
            so_dinh_danh=truth_ident,
        ))
        page += n
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf-digital":
        path.write_bytes(_concatenate(pdfs))
    else:
        path.write_bytes(dg.save(images, fmt, dpi, dg.plan(degradation, np.random.default_rng(seed))))
    return BatchLabel(file=rel, unit=unit, role="thanh_phan", format=fmt, dpi=None if fmt == "pdf-digital" else dpi,
                      degradation="clean" if fmt == "pdf-digital" else degradation, pages=page,
                      separators=separators, documents=docs, seed=seed)


def _concatenate(parts: list[bytes]) -> bytes:
    out = pikepdf.new()
    opened = [pikepdf.open(io.BytesIO(p)) for p in parts]
    try:
        for part in opened:
            out.pages.extend(part.pages)
        buf = io.BytesIO()
        out.save(buf, deterministic_id=True)
        return buf.getvalue()
    finally:
        for part in opened:
            part.close()


def random_items(rng: random.Random, dossiers: int = 2) -> list[Item]:
    """A pile of `dossiers` dossiers: each a slip, then one to three papers, blank sheets between
    some of them (a clerk does not always put one)."""
    items: list[Item] = []
    for _ in range(dossiers):
        items.append(Slip(qr=rng.choice(["code", "code", "pairs", "json", "url", "none", "damaged"])))
        for k in range(rng.randint(1, 3)):
            if k and rng.random() < 0.6:
                items.append(Blank())
            if rng.random() < 0.25:
                tid = rng.choice(LOOKALIKES)
                items.append(Paper(tid.split(".")[1], tid))
            else:
                items.append(Paper(rng.choice(PAPERS)))
        if rng.random() < 0.5:
            items.append(Blank())
    return items


def generate_batches(out: Path, n: int = 2, seed: int = 0, *, formats: Sequence[str] = ("pdf-scan", "tiff"),
                     degradation: str = "scan", dpi: int = 200) -> list[BatchLabel]:
    """Write `n` random batches under `out/<unit>/thanh-phan/` and their truth to `out/batches.jsonl`."""
    labels = []
    for i in range(n):
        rng = random.Random(f"sohoa-batches:{seed}:{i}")
        fmt = formats[i % len(formats)]
        unit = rng.choice(sorted(UNITS))
        rel = f"{unit}/{ROLE_FOLDERS['thanh_phan']}/batch-{seed:03d}-{i + 1:03d}.{EXT[fmt]}"
        labels.append(write_batch(out, rel, random_items(rng), seed=seed, unit=unit, fmt=fmt,
                                  degradation=degradation, dpi=dpi))
    with (out / "batches.jsonl").open("w", encoding="utf-8") as f:
        for lab in labels:
            f.write(lab.model_dump_json() + "\n")
    return labels
