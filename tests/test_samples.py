"""The sample generator: determinism, coverage of every class, files that are what labels claim."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import Image

from pipeline.samples import DOC_TYPES, ROLE_FOLDERS, generate
from pipeline.samples.content import TODAY, century_digit, number_words
from schemas.samples import SampleLabel

DOSSIER = re.compile(r"^(?:\d{3}\.\d{2}\.\d{2}\.H\d{2}|H\d{2}(?:\.\d+)*)-\d{6}-\d{4,}$")


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def every_class(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[SampleLabel]]:
    out = tmp_path_factory.mktemp("every")
    return out, generate(out, n=len(DOC_TYPES), seed=3, doc_types=DOC_TYPES, formats=["pdf-digital"])


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[SampleLabel]]:
    out = tmp_path_factory.mktemp("mixed")
    return out, generate(out, n=16, seed=11)


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    kw = {"formats": ["png", "jpeg", "tiff", "pdf-scan", "pdf-digital"], "degradations": ["clean", "scan", "photo"]}
    a = generate(tmp_path / "a", n=6, seed=5, **kw)
    b = generate(tmp_path / "b", n=6, seed=5, **kw)
    assert [x.model_dump() for x in a] == [x.model_dump() for x in b]
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    c = generate(tmp_path / "c", n=6, seed=6, **kw)
    assert [x.text for x in a] != [x.text for x in c]


def test_every_class_renders(every_class: tuple[Path, list[SampleLabel]]) -> None:
    out, labels = every_class
    assert sorted(lab.doc_type for lab in labels) == sorted(DOC_TYPES)
    for lab in labels:
        assert (out / lab.file).is_file()
        unit, folder, name = lab.file.split("/")
        assert unit == lab.unit and folder == ROLE_FOLDERS[lab.role]
        if "ma_ho_so" in lab.metadata:
            code = lab.metadata["ma_ho_so"]
            assert DOSSIER.match(code) and code.startswith(lab.unit + "-")
            assert re.fullmatch(re.escape(code) + r"\.\d+\.pdf", name)
        else:
            assert re.fullmatch(r"scan_\d{4}\.pdf", name)
        assert lab.metadata["so_trang"] == str(lab.pages)
        assert len(lab.text.split("\f")) == lab.pages
        assert lab.metadata.get("ten_loai") or lab.doc_type == "cong_van"  # a công văn prints no type name


def test_labels_jsonl_parses(mixed: tuple[Path, list[SampleLabel]]) -> None:
    out, labels = mixed
    lines = (out / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    parsed = [SampleLabel.model_validate(json.loads(line)) for line in lines]
    assert parsed == labels
    assert {lab.format for lab in parsed} >= {"pdf-digital"}


def test_files_are_what_labels_claim(mixed: tuple[Path, list[SampleLabel]]) -> None:
    out, labels = mixed
    assert len({lab.format for lab in labels}) >= 3
    for lab in labels:
        path = out / lab.file
        if lab.format.startswith("pdf"):
            pdf = pdfium.PdfDocument(path)
            assert len(pdf) == lab.pages
            if lab.format == "pdf-scan":
                page = pdf[0]
                imgs = list(page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))
                assert len(imgs) == 1
                px_w, _ = imgs[0].get_px_size()
                assert lab.dpi and abs(px_w / (page.get_width() / 72) - lab.dpi) < 1
            else:
                assert lab.dpi is None and lab.degradation == "clean"
            pdf.close()
            continue
        with Image.open(path) as im:
            assert im.format == {"tiff": "TIFF", "jpeg": "JPEG", "png": "PNG"}[lab.format]
            assert getattr(im, "n_frames", 1) == lab.pages
            assert lab.dpi in (200, 300)
            assert round(im.info["dpi"][0]) == lab.dpi
            # A4 at the recorded dpi, whichever way it was turned (a skew only adds a margin)
            short, long_ = sorted(im.size)
            assert 0.98 * 210 / 25.4 * lab.dpi < short < 1.2 * 210 / 25.4 * lab.dpi
            assert 0.98 * 297 / 25.4 * lab.dpi < long_ < 1.2 * 297 / 25.4 * lab.dpi
            if lab.rotation in (90, 270):
                assert im.width > im.height


def test_text_layer_holds_number_and_title(every_class: tuple[Path, list[SampleLabel]]) -> None:
    out, labels = every_class
    checked = 0
    for lab in labels:
        with pdfplumber.open(out / lab.file) as pdf:
            text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        squashed = re.sub(r"\s+", "", text)
        first_line_title = {"quyet_dinh": "QUYẾT ĐỊNH", "to_khai": "TỜ KHAI", "giay_khai_sinh": "GIẤY KHAI SINH",
                            "phieu_mot_cua": None, "cong_van": "Kính gửi"}.get(lab.doc_type)
        if first_line_title:
            assert re.sub(r"\s+", "", first_line_title) in squashed
        if lab.doc_type == "phieu_mot_cua":
            assert lab.metadata["ma_ho_so"] in squashed
            assert lab.metadata["ma_thu_tuc"] in squashed
        if "so_ky_hieu" in lab.metadata:
            assert lab.metadata["so_ky_hieu"] in squashed
            checked += 1
        # every line the label says was drawn is in the text layer
        for line in lab.text.replace("\f", "\n").splitlines():
            assert re.sub(r"\s+", "", line) in squashed, (lab.doc_type, line)
    assert checked >= 10


def test_metadata_truth(every_class: tuple[Path, list[SampleLabel]]) -> None:
    _, labels = every_class
    with_id = [lab for lab in labels if "so_dinh_danh" in lab.metadata]
    assert len(with_id) >= 8
    for lab in with_id:
        ident = lab.metadata["so_dinh_danh"]
        assert re.fullmatch(r"\d{12}", ident)
        assert int(ident[3]) in range(4)
        assert ident in lab.text
    for lab in labels:
        md = lab.metadata
        if "ngay_ban_hanh" in md:
            assert "2016-01-01" <= md["ngay_ban_hanh"] <= TODAY.isoformat()
        if "so_ky_hieu" in md:
            assert md["so_ky_hieu"] == f"{md['so']}/{md['ky_hieu']}"
        flat = re.sub(r"\s+", "", lab.text).casefold()
        for key in ("co_quan_ban_hanh", "nguoi_ky", "ho_ten", "dia_danh"):
            # names are often printed in capitals; the truth keeps their natural case
            if key in md:
                assert re.sub(r"\s+", "", md[key]).casefold() in flat, (lab.doc_type, key)
        # the signer's position is what the page prints, line by line ("KT. CHỦ TỊCH - PHÓ CHỦ TỊCH")
        for line in md.get("chuc_vu_nguoi_ky", "").split(" - ") if md.get("chuc_vu_nguoi_ky") else []:
            assert re.sub(r"\s+", "", line).casefold() in flat, (lab.doc_type, line)
    qd = next(lab for lab in labels if lab.doc_type == "quyet_dinh")
    assert qd.metadata["ky_hieu"].startswith("QĐ-") and qd.metadata["trich_yeu"].startswith("Về việc")
    assert not qd.metadata["co_quan_ban_hanh"].startswith(("UBND TỈNH", "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ")) or \
        qd.unit == "H50"
    cv = next(lab for lab in labels if lab.doc_type == "cong_van")
    assert cv.metadata["trich_yeu"].startswith("V/v ") and "/" in cv.metadata["so_ky_hieu"]
    assert "QĐ" not in cv.metadata["ky_hieu"]


def test_century_digit_and_words() -> None:
    assert century_digit(1985, male=True) == 0 and century_digit(1985, male=False) == 1
    assert century_digit(2021, male=True) == 2 and century_digit(2021, male=False) == 3
    assert number_words(2024) == "hai nghìn không trăm hai mươi tư"
    assert number_words(16000) == "mười sáu nghìn"
    assert number_words(1_250_000) == "một triệu hai trăm năm mươi nghìn"


def test_rasters_are_not_blank(mixed: tuple[Path, list[SampleLabel]]) -> None:
    out, labels = mixed
    rasters = [lab for lab in labels if lab.format in ("png", "jpeg", "tiff")]
    assert rasters
    for lab in rasters:
        with Image.open(out / lab.file) as im:
            grey = im.convert("L")
            lo, hi = grey.getextrema()
            assert hi - lo > 100
            dark = sum(grey.histogram()[:100]) / (grey.width * grey.height)
            assert 0.002 < dark < 0.5


def test_degradations_record_rotation_and_skew(tmp_path: Path) -> None:
    labels = generate(tmp_path, n=24, seed=2, formats=["jpeg"], degradations=["scan", "photo"])
    assert all(lab.degradation in ("scan", "photo") and lab.pages == 1 for lab in labels)
    assert all(0.3 <= abs(lab.skew) <= 3.0 for lab in labels)
    assert any(lab.rotation for lab in labels)


def test_unknown_options_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="doc_types"):
        generate(tmp_path, n=1, doc_types=["nope"])


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_tesseract_reads_a_clean_decision(tmp_path: Path) -> None:
    pytesseract = pytest.importorskip("pytesseract")
    for seed in range(40):
        labels = generate(tmp_path / str(seed), n=1, seed=seed, doc_types=["quyet_dinh"], formats=["png"],
                          degradations=["clean"])
        lab = labels[0]
        if lab.dpi == 300 and lab.pages == 1:
            break
    assert lab.dpi == 300
    with Image.open(tmp_path / str(seed) / lab.file) as im:
        text = pytesseract.image_to_string(im, lang="vie")
    squashed = re.sub(r"\s+", "", text)
    assert "QUYẾTĐỊNH" in squashed
    assert lab.metadata["so_ky_hieu"] in squashed


# --- family B: a second, independent generator ----------------------------------------------------------
@pytest.fixture(scope="module")
def family_b(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[SampleLabel]]:
    out = tmp_path_factory.mktemp("family-b")
    return out, generate(out, n=2 * len(DOC_TYPES), seed=3, doc_types=DOC_TYPES, formats=["pdf-digital"], family="B")


def test_every_family_b_template_renders_its_class_in_other_fonts() -> None:
    import datetime as dt
    import random

    from pipeline.samples.content import UNITS
    from pipeline.samples.families import TEMPLATES
    from pipeline.samples.layout import FONTSETS, render
    from pipeline.samples.parts import Ctx

    assert set(TEMPLATES["B"]) == set(DOC_TYPES) == set(TEMPLATES["A"])
    several = [c for c, variants in TEMPLATES["B"].items() if len(variants) > 1]
    assert {"to_khai", "don", "giay_uy_quyen", "quyet_dinh", "nghi_quyet"} <= set(several)
    fonts = set()
    for doc_type, variants in TEMPLATES["B"].items():
        for k, (tid, build) in enumerate(variants):
            assert tid.startswith(f"B.{doc_type}")
            ctx = Ctx(random.Random(f"{tid}:{k}"), UNITS["H50.12"], dt.date(2025, 9, 15), "H50.12-250915-0042",
                      "1.001193")
            doc = build(ctx)
            assert doc.doc_type == doc_type and doc.fonts in FONTSETS and doc.fonts != "liberation-serif"
            fonts.add(doc.fonts)
            assert render(doc, random.Random(1)).text.strip(), tid
    assert len(fonts) >= 3


def test_family_b_labels_and_text_layer(family_b: tuple[Path, list[SampleLabel]]) -> None:
    out, labels = family_b
    assert sorted({lab.doc_type for lab in labels}) == sorted(DOC_TYPES)
    assert all(lab.family == "B" and lab.template.startswith("B.") for lab in labels)
    fills = {lab.fill for lab in labels}
    assert fills == {"typed", "hand", "blank"}
    for lab in labels:
        if lab.fill == "blank":  # a template: nothing filled in to be read
            assert set(lab.metadata) <= {"ten_loai", "so_trang", "ma_ho_so"}, lab
        with pdfplumber.open(out / lab.file) as pdf:
            chars = [c for p in pdf.pages for c in p.chars]
        names = {c["fontname"].split("+")[-1] for c in chars}
        assert not any(n.startswith("LibSerif") for n in names), (lab.template, names)
        if lab.fill == "hand":  # values written in blue ink
            blue = [c for c in chars if c.get("non_stroking_color") and len(c["non_stroking_color"]) == 3
                    and c["non_stroking_color"][2] > 0.4 > c["non_stroking_color"][0]]
            assert blue, lab.template


def test_family_b_same_seed_same_bytes_and_ab_alternates(tmp_path: Path) -> None:
    kw = {"doc_types": ["don", "giay_uy_quyen", "to_khai"], "formats": ["pdf-digital", "png"],
          "degradations": ["clean", "scan"]}
    a = generate(tmp_path / "a", n=4, seed=8, family="B", **kw)  # type: ignore[arg-type]
    b = generate(tmp_path / "b", n=4, seed=8, family="B", **kw)  # type: ignore[arg-type]
    assert [x.model_dump() for x in a] == [x.model_dump() for x in b]
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    ab = generate(tmp_path / "ab", n=4, seed=8, family="AB", **kw)  # type: ignore[arg-type]
    assert [x.family for x in ab] == ["A", "B", "A", "B"]
    with pytest.raises(ValueError, match="unknown family"):
        generate(tmp_path / "x", n=1, family="C")


def test_family_b_labels_what_its_pages_print() -> None:
    """A label holds what the page shows: a place-date line printed is the paper's date and place (a citizen's
    form dated in its header, an identity card's issue date), a paper printing none has none recorded (a land
    certificate signed under no place-date line), and an abstract is the text as printed (a company's
    "THÔNG BÁO" / "MỜI HỌP ĐẠI HỘI ĐỒNG CỔ ĐÔNG …" in capitals is one title, no abstract)."""
    import datetime as dt
    import random
    import re

    from pipeline.samples.content import UNITS
    from pipeline.samples.families import TEMPLATES
    from pipeline.samples.layout import render
    from pipeline.samples.parts import Ctx

    def printed(d: dt.date, text: str) -> bool:
        worded = rf"ngày\s*0?{d.day}\s*tháng\s*0?{d.month}\s*năm\s*{d.year}"
        return bool(re.search(rf"{worded}|\b0?{d.day}/0?{d.month}/{d.year}", text))

    for doc_type, variants in TEMPLATES["B"].items():
        for tid, build in variants:
            for seed in range(8):
                unit = UNITS[("H50.12", "H50.7", "H50")[seed % 3]]
                ctx = Ctx(random.Random(f"{tid}:{seed}"), unit, dt.date(2025, 9, 15), "H50.12-250915-0042", "1.001193")
                doc = build(ctx)
                text = " ".join(render(doc, random.Random(1)).text.split())
                meta = doc.metadata  # (a paper of no class, "khac", is left unlabelled: none is scored)
                if "ngay_ban_hanh" in meta:
                    assert printed(dt.date.fromisoformat(meta["ngay_ban_hanh"]), text), (tid, seed, meta)
                # (a certified copy shows the copied paper's place-date line: not the copy's own)
                dated = re.search(rf"{unit.place}, ngày\s*\d+\s*tháng\s*\d+\s*năm", text)
                if meta and doc_type != "ban_sao_chung_thuc" and doc.fill != "blank" and dated:
                    assert "ngay_ban_hanh" in meta and meta.get("dia_danh") == unit.place, (tid, seed, meta)
                if "trich_yeu" in meta:
                    assert " ".join(meta["trich_yeu"].split()) in text, (tid, seed, meta["trich_yeu"])


def test_family_b_papers_of_no_class_are_labelled_with_what_they_print() -> None:
    """A bảng kê, danh sách or giấy xác nhận of no class prints its body, its title and (most) a signer: like
    family A's, its label holds them, so that reading them is not scored as reading something absent."""
    import datetime as dt
    import random

    from pipeline.samples.content import UNITS
    from pipeline.samples.families import TEMPLATES
    from pipeline.samples.parts import Ctx

    [(_, build)] = TEMPLATES["B"]["khac"]
    labelled = [build(Ctx(random.Random(f"khac:{seed}"), UNITS["H50.12"], dt.date(2025, 9, 15))).metadata
                for seed in range(40)]
    assert all("ten_loai" in m for m in labelled)
    assert sum("co_quan_ban_hanh" in m for m in labelled) >= 20 and sum("nguoi_ky" in m for m in labelled) >= 10
