"""Splitting a scanned batch into documents and dossiers: QR payloads read by the real zxing decoder,
the split's rules over page cues, blank pages measured on real images, and generated batches run
through `sohoa process` (real tesseract) against their ground truth, twice."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf
import pytest
from PIL import Image

from pipeline.clock import show_time
from pipeline.identity import sha256_file
from pipeline.read import preprocess
from pipeline.read.ocr import qr_codes
from pipeline.samples import _rasterise
from pipeline.samples import degrade as dg
from pipeline.samples.batch import Blank, Paper, Slip, qr_payload, write_batch
from pipeline.samples.content import UNITS
from pipeline.samples.forms import phieu_mot_cua
from pipeline.samples.layout import render
from pipeline.samples.parts import Ctx
from pipeline.understand.split import PageCues, QrInfo, is_blank, parse_qr, printed_dossier_code, split
from schemas.samples import BatchLabel
from schemas.tasks import PageResult
from tests.helpers import text_page
from tests.test_process_cli import run_sohoa

CODE = "H50.12-251103-0142"
PROC = "1.001193"
IDENT = "044196001234"
DAY = dt.date(2025, 11, 3)


# --- QR payloads ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["code", "pairs", "json", "url"])
def test_every_payload_form_a_slip_prints_is_read_back(form: str) -> None:
    """The generator draws the slip's QR in each form; zxing reads it off the rendered page."""
    ctx = Ctx(random.Random(1), UNITS["H50.12"], DAY, CODE, PROC, qr=qr_payload(form, CODE, PROC, IDENT))
    page = _rasterise(render(phieu_mot_cua(ctx), random.Random(2)).pdf, 200)[0]
    payloads = qr_codes(dg.degrade(page, dg.plan("scan", np.random.default_rng(3)), np.random.default_rng(4)))
    assert len(payloads) == 1
    info = parse_qr(payloads[0])
    assert info is not None and info.ma_ho_so == CODE
    if form in ("pairs", "json"):
        assert (info.ma_thu_tuc, info.so_dinh_danh) == (PROC, IDENT)
    elif form == "url":
        assert (info.ma_thu_tuc, info.so_dinh_danh) == (PROC, None)


def test_a_smudged_qr_code_reads_as_none() -> None:
    ctx = Ctx(random.Random(1), UNITS["H50.12"], DAY, CODE, PROC, qr=CODE, qr_damaged=True)
    page = _rasterise(render(phieu_mot_cua(ctx), random.Random(2)).pdf, 200)[0]
    assert qr_codes(page) == []


@pytest.mark.parametrize(("payload", "expected"), [
    ("MaHoSo: 000.00.24.H46-230411-0007 | Thủ tục: 2.000815 | Số CCCD: 044196001234",
     QrInfo("000.00.24.H46-230411-0007", "2.000815", "044196001234")),
    ('{"data": {"hoSo": {"ma": "H50.7-240516-0023"}, "tien": "1.000000"}}', QrInfo("H50.7-240516-0023")),
    ("www.dichvucong.vn/hs/H50.7-240516-0023#thutuc=1.000894", QrInfo("H50.7-240516-0023", "1.000894")),
    ("044196001234|123456789|Nguyen Van A|01011996|Nam|Thanh Thach|01012021", None),  # an identity card's QR
    ("00020101021238570010A000000727012700069704220113VQRQ00000000000208QRIBFTTA53037045802VN", None),  # VietQR
    ("{not json at all: H50.12-251103-0142", QrInfo(CODE)),
])
def test_payloads_are_read_liberally(payload: str, expected: QrInfo | None) -> None:
    assert parse_qr(payload) == expected


def test_printed_code_needs_its_label_and_one_code() -> None:
    assert printed_dossier_code(f"GIẤY TIẾP NHẬN HỒ SƠ\nMã hồ sơ: {CODE}\n") == CODE
    assert printed_dossier_code(f"Ma ho so : {CODE.replace('0', 'O', 1)}") == CODE  # OCR noise, repaired
    assert printed_dossier_code(f"Kèm theo hồ sơ {CODE}") is None  # not labelled
    two = f"Mã hồ sơ: {CODE}\nMã hồ sơ: H50.12-251103-0143"
    assert printed_dossier_code(two) is None  # a list of dossiers names none of its own


# --- the split over page cues ----------------------------------------------------------------------------
def cues(*pages: dict[str, Any]) -> list[PageCues]:
    return [PageCues(page_no=i, **p) for i, p in enumerate(pages, 1)]


def test_a_slip_opens_a_dossier_that_runs_until_the_next_slip() -> None:
    a, b = QrInfo(CODE, PROC, IDENT), QrInfo("H50.12-251103-0143")
    segs = split(cues(
        {"qr": a, "printed": CODE, "first_of": "phieu_mot_cua"},
        {"first_of": "to_khai"},  # a class change: a new document of the same dossier
        {},  # a continuation page stays
        {"blank": True},
        {},  # after a separator, a new document even without a title
        {"qr": b, "first_of": "phieu_mot_cua"},
        {"first_of": "can_cuoc"},
    ))
    assert [s.pages for s in segs] == [(1,), (2, 3), (5,), (6,), (7,)]
    assert [s.reason for s in segs] == ["dossier", "class", "separator", "dossier", "class"]
    assert [s.dossier.code if s.dossier else None for s in segs] == [CODE, CODE, CODE, b.ma_ho_so, b.ma_ho_so]
    assert segs[0].opens_dossier and not segs[1].opens_dossier
    assert segs[1].separators == (4,) and segs[0].dossier == segs[2].dossier
    assert segs[0].dossier is not None and segs[0].dossier.identifier == IDENT


def test_the_qr_code_wins_over_the_printed_one_and_a_printed_one_stands_in_for_no_qr() -> None:
    segs = split(cues(
        {"qr": QrInfo(CODE), "printed": "H50.12-251103-0149", "first_of": "phieu_mot_cua"},
        {"first_of": "to_khai"},
        {"printed": "H50.12-251103-0200", "first_of": "phieu_mot_cua"},  # unreadable QR: the text tells
    ))
    assert [(s.dossier.code, s.dossier.source) for s in segs if s.dossier] == [
        (CODE, "qr"), (CODE, "qr"), ("H50.12-251103-0200", "slip")]


def test_continuation_pages_and_doubtful_titles_never_split() -> None:
    segs = split(cues(
        {"first_of": "quyet_dinh"},
        {"printed": CODE},  # a continuation page naming the dossier: tells it, splits nothing
        {},
        {"printed": CODE},  # the same code again
        {"first_of": "quyet_dinh"},  # the same class again: not a change
    ))
    assert [s.pages for s in segs] == [(1, 2, 3, 4, 5)]
    assert segs[0].dossier is not None and (segs[0].dossier.code, segs[0].dossier.source) == (CODE, "text")
    # A document whose first page had no title has no class to change from.
    assert len(split(cues({}, {"first_of": "to_khai"}))) == 1
    # A code other than the running dossier's is another dossier, whatever the page looks like.
    other = split(cues({"qr": QrInfo(CODE)}, {"printed": "H50.12-251103-0143"}))
    assert [s.pages for s in other] == [(1,), (2,)]


def test_blank_pages_only_separate() -> None:
    segs = split(cues({"blank": True}, {}, {"blank": True}, {"blank": True}, {}, {"blank": True}))
    assert [s.pages for s in segs] == [(2,), (5,)]
    assert [s.separators for s in segs] == [(1, 3, 4), (6,)]  # every scanned page is accounted for
    assert split(cues({"blank": True})) == []


def test_blank_is_next_to_no_ink_and_no_text() -> None:
    rng = np.random.default_rng(5)
    sheet = dg.degrade(Image.new("RGB", (1654, 2339), "white"), dg.plan("scan", rng), rng)
    line = text_page(["Trang này để trống."], dpi=200)  # one short line: little ink, but words
    lines = text_page(["Ghi chú:", "Đã nhận đủ hồ sơ.", "Người nhận"], dpi=200)

    def page(img: Image.Image, text: str) -> PageResult:
        ink = preprocess.analyse(img.convert("L"), 200.0, use_osd=False).ink
        return PageResult(page_no=1, source="ocr" if text else "empty", text=text, ink=ink)

    assert is_blank(page(sheet, ""))
    assert not is_blank(page(line, "Trang này để trống."))
    assert not is_blank(page(lines, ""))  # ink without words read: not blank either
    assert not is_blank(PageResult(page_no=1, source="empty", text="", ink=None))  # ink not measured


# --- a ĐƠN and a GIẤY ỦY QUYỀN written on the tờ khai's pattern ---------------------------------------------
def test_lookalike_pages_after_a_to_khai_start_documents_of_their_own() -> None:
    """Issue 10: an ĐƠN and a GIẤY ỦY QUYỀN that carry a tờ khai's requester block and pledge were read as
    the tờ khai before them and merged into it; their titles now start documents of their own."""
    from pipeline.samples.b_forms import don_hotich, gu_hotich
    from pipeline.samples.forms import to_khai
    from pipeline.understand.classify import classify
    from pipeline.understand.split import first_page_class, split_pages

    pages: list[PageResult] = []
    for build, seed in ((phieu_mot_cua, 1), (to_khai, 2), (don_hotich, 3), (gu_hotich, 5), (don_hotich, 6)):
        ctx = Ctx(random.Random(seed), UNITS["H50.12"], DAY, CODE, PROC)
        for text in render(build(ctx), random.Random(seed)).text.split("\f"):
            pages.append(PageResult(page_no=len(pages) + 1, source="text_layer", text=text))
    firsts = [first_page_class(p.text) for p in pages]
    assert firsts == ["phieu_mot_cua", "to_khai", "don", "giay_uy_quyen", "don"]
    for p, want in zip(pages[2:], ["don", "giay_uy_quyen", "don"], strict=True):
        assert classify(p.text).doc_type == want
    segs = split_pages(pages)
    assert [s.pages for s in segs] == [(1,), (2,), (3,), (4,), (5,)]
    assert [s.reason for s in segs] == ["dossier", "class", "class", "class", "class"]


# --- generated batches through `sohoa process` ---------------------------------------------------------
def check_against_truth(records: list[dict[str, Any]], label: BatchLabel) -> None:
    """The records of one batch file match its ground truth: documents, pages, dossiers, sources."""
    assert len(records) == len(label.documents), [(r["doc_type"], r.get("part")) for r in records]
    for k, (rec, truth) in enumerate(zip(records, label.documents, strict=True), 1):
        part = rec["part"]
        assert (part["index"], part["of"], part["pages"]) == (k, len(label.documents), truth.pages)
        assert rec["pages"] == len(truth.pages)
        assert rec["doc_type"] == truth.doc_type
        assert rec["metadata"].get("ma_ho_so") == truth.ma_ho_so, (k, truth)
        if truth.ma_ho_so is not None:
            assert rec["dossier_source"] == truth.dossier_source, (k, truth)
        if truth.so_dinh_danh and truth.dossier_source == "qr":
            assert rec["metadata"]["so_dinh_danh"] == truth.so_dinh_danh
    separators = sorted(p for r in records for p in r["part"]["separators"])
    assert separators == label.separators
    assert sum(r["pages"] for r in records) + len(separators) == label.pages


@pytest.fixture(scope="module")
def scan_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BatchLabel]:
    """A pile as a clerk scans it: a paper before any slip, a slip whose printed code has a typo (its QR
    is right), papers without and with separators (among them, with no sheet between them, an ĐƠN and a
    GIẤY ỦY QUYỀN written on the tờ khai's pattern after the tờ khai), a slip whose QR is smudged, a
    last paper."""
    out = tmp_path_factory.mktemp("batch")
    items = [Paper("don"), Blank(), Slip("pairs", typo=True), Paper("to_khai"), Paper("don", "B.don.hotich"),
             Paper("giay_uy_quyen", "B.giay_uy_quyen.hotich"), Blank(), Paper("giay_khai_sinh"),
             Slip("damaged"), Paper("can_cuoc")]
    label = write_batch(out, "H50.12/thanh-phan/batch-001.pdf", items, seed=4, fmt="pdf-scan", dpi=200)
    return out, label


def test_a_scanned_batch_is_split_into_its_documents_and_dossiers(
    tmp_path: Path, scan_batch: tuple[Path, BatchLabel]
) -> None:
    out, label = scan_batch
    batch = out / label.file
    proc = run_sohoa(tmp_path, "process", str(batch))
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(x) for x in proc.stdout.splitlines()]
    check_against_truth(records, label)
    typo_slip = records[1]
    assert typo_slip["metadata"]["ma_thu_tuc"] == label.documents[1].ma_thu_tuc  # from the QR's pairs
    assert typo_slip["metadata"]["ma_ho_so"] not in typo_slip["text"]  # the printed code was the typo
    assert [r["doc_type"] for r in records[2:5]] == ["to_khai", "don", "giay_uy_quyen"]  # one document each
    assert records[6]["dossier_source"] == "slip"  # its QR is smudged: the printed code stands in

    data = tmp_path / "sohoa-data"
    sha = sha256_file(batch)
    for k, rec in enumerate(records, 1):
        assert rec["part"]["source_sha256"] == sha and rec["sha256"] != sha
        original, searchable, record_json = (data / "objects" / key for key in rec["outputs"])
        dossier = rec["metadata"].get("ma_ho_so") or "no-dossier"
        assert rec["outputs"][0].split("/")[2] == dossier
        assert sha256_file(original) == rec["sha256"]  # the document's own cut of the batch
        with pikepdf.open(original) as o, pikepdf.open(searchable) as s:
            assert len(o.pages) == len(s.pages) == rec["pages"]
        assert json.loads(record_json.read_text())["part"]["index"] == k

    # Run again: every document is found, none is made twice.
    again = run_sohoa(tmp_path, "process", str(batch))
    assert again.returncode == 0, again.stderr
    repeated = [json.loads(x) for x in again.stdout.splitlines()]
    assert [r["doc_id"] for r in repeated] == [r["doc_id"] for r in records]
    assert all(r["duplicate_of"] == r["doc_id"] for r in repeated)
    status = json.loads(run_sohoa(tmp_path, "status", "--json").stdout)
    assert status["documents"] == len(records) and status["pages"] == label.pages  # separators counted
    assert status["totals"]["duplicates"] == 0  # the same file again is no new receipt (issue 14)

    # The paper before any slip, in a file named after no dossier, is on the visible "no dossier" list.
    assert status["unlinked"] == 1
    listed = json.loads(run_sohoa(tmp_path, "dossiers", "unlinked", "--format", "json").stdout)
    assert [d["doc_id"] for d in listed] == [records[0]["doc_id"]]
    assert listed[0]["part"] == f"1/{len(records)}" and "/no-dossier/" in listed[0]["prefix"]
    rows = list(csv.DictReader(io.StringIO(run_sohoa(tmp_path, "dossiers", "unlinked", "--format", "csv").stdout)))
    assert [r["doc_id"] for r in rows] == [records[0]["doc_id"]]
    table = run_sohoa(tmp_path, "dossiers", "unlinked").stdout
    assert records[0]["doc_id"] in table and "1 document(s) linked to no dossier" in table
    # Issue 14: the CLI and the web show a time alike, in ICT with its zone (pipeline/clock.py).
    assert show_time(listed[0]["created_at"]) in table and show_time(listed[0]["created_at"]).endswith(" ICT")


def test_a_born_digital_batch_and_a_file_that_is_one_document(tmp_path: Path) -> None:
    """Text-layer pages: the slip's QR is read from a render made only for a page that prints a dossier
    code. A file holding one document keeps the id of its hash and no part."""
    out = tmp_path / "in"
    label = write_batch(out, "H50.7/thanh-phan/digital.pdf",
                        [Slip("json"), Paper("to_khai"), Blank(), Paper("giay_khai_sinh"), Slip("url"),
                         Paper("don")], seed=8, unit="H50.7", fmt="pdf-digital")
    single = write_batch(out, "H50.7/thanh-phan/one.pdf", [Slip("code")], seed=9, unit="H50.7", fmt="pdf-digital")
    proc = run_sohoa(tmp_path, "process", str(out / label.file), str(out / single.file))
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(x) for x in proc.stdout.splitlines()]
    check_against_truth(records[:-1], label)
    assert records[0]["ocr"]["pages_text_layer"] == 1 and records[0]["metadata"]["ma_thu_tuc"] == (
        label.documents[0].ma_thu_tuc)
    one = records[-1]
    from pipeline.identity import doc_id_for

    assert one.get("part") is None and one["doc_id"] == doc_id_for(sha256_file(out / single.file))
    assert (one["metadata"]["ma_ho_so"], one["dossier_source"]) == (single.documents[0].ma_ho_so, "qr")


def test_the_generator_writes_what_its_truth_says(tmp_path: Path) -> None:
    from pipeline.samples.batch import generate_batches

    labels = generate_batches(tmp_path / "a", n=2, seed=3, formats=["tiff", "pdf-digital"])
    again = generate_batches(tmp_path / "b", n=2, seed=3, formats=["tiff", "pdf-digital"])
    assert [x.model_dump() for x in labels] == [x.model_dump() for x in again]
    for lab in labels:
        assert (tmp_path / "a" / lab.file).read_bytes() == (tmp_path / "b" / lab.file).read_bytes()
        if lab.format == "tiff":
            with Image.open(tmp_path / "a" / lab.file) as img:
                assert img.n_frames == lab.pages
        else:
            with pikepdf.open(tmp_path / "a" / lab.file) as pdf:
                assert len(pdf.pages) == lab.pages
        used = sorted([p for d in lab.documents for p in d.pages] + lab.separators)
        assert used == list(range(1, lab.pages + 1))
        slips = [d for d in lab.documents if d.doc_type == "phieu_mot_cua"]
        assert len(slips) == 2 and len({d.ma_ho_so for d in lab.documents if d.ma_ho_so}) == 2
    lines = (tmp_path / "a" / "batches.jsonl").read_text().splitlines()
    assert [BatchLabel.model_validate_json(x) for x in lines] == labels


@pytest.mark.parametrize(("seed", "form"), [(2, "json"), (14, "json")])
def test_a_slip_photographed_badly_still_gives_its_code_when_read_harder(seed: int, form: str) -> None:
    """Phone photos of slips (JPEG quality 40-65, blur) whose code the plain reading missed when this
    was written: the fallbacks (fixed threshold, the page enlarged) read it."""
    rng = np.random.default_rng(seed)
    plan = dg.plan("photo", rng)
    ctx = Ctx(random.Random(seed), UNITS["H50.12"], DAY, CODE, PROC, qr=qr_payload(form, CODE, PROC, IDENT))
    pdf = render(phieu_mot_cua(ctx), random.Random(seed), skew=plan.skew,
                 backdrop=tuple(v / 255 for v in dg.TABLE)).pdf  # type: ignore[arg-type]
    page = dg.degrade(_rasterise(pdf, 200)[0], plan, rng)
    found = qr_codes(page, harder=True)
    assert found and parse_qr(found[0]) == QrInfo(CODE, PROC, IDENT)
