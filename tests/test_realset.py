"""The real evaluation set's labels (bench/realset/labels.jsonl) and how fetch derives its files."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from bench import realset
from pipeline.catalogue import DOC_TYPES

HOSTS = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def test_every_label_names_its_source_and_keeps_no_private_name() -> None:
    docs = realset.load()
    assert len(docs) == 118 and len({d.id for d in docs}) == 118
    for d in docs:
        assert HOSTS.match(d.source_repo) and re.fullmatch(r"[0-9a-f]{40}", d.commit), d.id
        assert re.fullmatch(r"[0-9a-f]{64}", d.sha256) and d.licence
        assert d.derive["how"] in ("copy", "pages", "images", "convert", "manual", "fill")
        assert d.classes <= set(DOC_TYPES)
        if d.blank:
            assert not d.truth
        people = [str(d.truth[k]) for k in ("ho_ten", "so_dinh_danh") if k in d.truth]
        people += [str(p[k]) for p in d.parties for k in ("name", "so_dinh_danh") if k in p]
        if d.derive["how"] == "fill":  # fictitious people written into a blank form: the labels hold them in clear
            written = {v.casefold() for _, v, *_ in d.derive["fill"]}
            assert d.kind == "template_filled" and all(v.casefold() in written for v in people), d.id
        else:  # a real private person: only a hash of the value
            assert all(v.startswith("sha256:") for v in people), d.id
    assert realset.raw_url("a/b", "c" * 40, "x y/!~!z.pdf") == (
        f"https://raw.githubusercontent.com/a/b/{'c' * 40}/x%20y/%21~%21z.pdf")


def _pdf(pages: int) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _pages(n: int, size: tuple[int, int], fmt: str) -> list[bytes]:
    """``n`` blank page images, encoded as ``fmt``."""
    out = []
    for _ in range(n):
        buf = io.BytesIO()
        Image.new("RGB", size, "white").save(buf, fmt)
        out.append(buf.getvalue())
    return out


def test_fetch_derives_pages_and_images_and_refuses_hand_edits(tmp_path: Path) -> None:
    doc = next(d for d in realset.load() if d.derive["how"] == "pages")
    realset._derive(doc, [_pdf(6)], tmp_path / "p.pdf")
    with pikepdf.open(tmp_path / "p.pdf") as out:
        assert len(out.pages) == len(doc.derive["pages"])
    imgs = next(d for d in realset.load() if d.derive["how"] == "images")
    realset._derive(imgs, _pages(imgs.derive["count"], (300, 400), "PNG"), tmp_path / "i.pdf")
    with pikepdf.open(tmp_path / "i.pdf") as out:
        assert len(out.pages) == imgs.derive["count"]
    manual = next(d for d in realset.load() if d.derive["how"] == "manual")
    with pytest.raises(realset.FetchError, match="--from"):
        realset._derive(manual, [b""], tmp_path / "m.pdf")


def test_images_make_the_same_pdf_every_time(tmp_path: Path) -> None:
    """Pages put into a PDF carry no creation date (Pillow stamps the time by default), so a fresh fetch of a
    document given as page images gives the labelled bytes and fetch can check them."""
    imgs = next(d for d in realset.load() if d.derive["how"] == "images")
    pages = _pages(imgs.derive["count"], (96, 128), "JPEG")
    realset._derive(imgs, pages, tmp_path / "a.pdf")
    realset._derive(imgs, pages, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    with pikepdf.open(tmp_path / "a.pdf") as out:
        assert len(out.pages) == imgs.derive["count"] and "/CreationDate" not in out.docinfo
        assert float(out.pages[0].mediabox[3]) == pytest.approx(128 * 72 / imgs.derive["dpi"], abs=0.5)
    photo = next(d for d in realset.load() if d.id == "rs114")  # one photo: the image named, no {1..n} in the path
    assert photo.derive["count"] == 1 and realset._source_paths(photo) == ["1.jpg"]


def test_fetch_copies_a_local_set_and_says_what_is_missing(tmp_path: Path) -> None:
    docs = realset.load()[:2]
    src = tmp_path / "src"
    src.mkdir()
    (src / docs[0].name).write_bytes(b"%PDF-1.4 not the labelled file")
    written, warnings, errors = realset.fetch(tmp_path / "out", docs, src)
    assert written == 1 and (tmp_path / "out" / docs[0].name).exists()
    assert warnings == [f"{docs[0].id}: sha256 differs from the labelled file"]
    assert errors == [f"{docs[1].id}: no {docs[1].name} in {src}"]


def test_fetch_derives_from_a_local_git_copy_at_the_labelled_commit(tmp_path: Path) -> None:
    """The search tool's `fetch` lays a repository out as MIRRORS/owner+name/repo (a bare git dir); the file
    is read at the labelled commit, not at whatever HEAD is now."""
    import dataclasses
    import subprocess

    doc = next(d for d in realset.load() if d.derive["how"] == "copy")
    work = tmp_path / "work"
    work.mkdir()
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    target = work / doc.source_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"%PDF-1.4 at the labelled commit")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    target.write_bytes(b"%PDF-1.4 changed since")
    subprocess.run([*git, "commit", "-qam", "two"], check=True)
    owner, name = doc.source_repo.split("/")
    mirrors = tmp_path / "mirrors"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(mirrors / f"{owner}+{name}" / "repo")], check=True)
    pinned = dataclasses.replace(doc, commit=commit)
    written, _, errors = realset.fetch(tmp_path / "out", [pinned], mirrors=mirrors)
    assert (written, errors) == (1, [])
    assert (tmp_path / "out" / doc.name).read_bytes() == b"%PDF-1.4 at the labelled commit"
    gone = dataclasses.replace(doc, commit="0" * 40)
    written, _, errors = realset.fetch(tmp_path / "out2", [gone], mirrors=mirrors)
    assert written == 0 and errors and "has no" in errors[0]
    other = dataclasses.replace(doc, source_repo="nobody/none")
    _, _, errors = realset.fetch(tmp_path / "out3", [other], mirrors=mirrors)
    assert errors == [f"{doc.id}: no git copy of nobody/none in {mirrors}"]


def _form() -> bytes:
    """A small Word form typed here: leaders of dots and of tabs, a label in bold before a leader in small
    print, a label cell with an empty cell beside it, a row of number boxes, a date line, text in NFD."""
    import unicodedata

    import docx
    from docx.shared import Pt

    d = docx.Document()
    d.add_paragraph("Kính gửi: Ủy ban nhân dân ..............................")
    p = d.add_paragraph()
    p.add_run("Người yêu cầu:").bold = True
    p.add_run(" .................... ").font.size = Pt(6)
    p.add_run("sinh ngày: ..../..../........")
    d.add_paragraph("CMND/CCCD số:\t do:\tcấp ngày:\t")
    table = d.add_table(rows=2, cols=1 + 12)
    table.rows[0].cells[0].text = unicodedata.normalize("NFD", "Họ, chữ đệm, tên:")
    table.rows[1].cells[0].text = "Số định danh cá nhân:"
    d.add_paragraph("Họ, chữ đệm, tên: ........................")
    d.add_paragraph("........., ngày ...... tháng ...... năm .......")
    d.add_paragraph("Chủ hồ sơ: {chuHoSo}. Địa chỉ: {diaChi}.")  # a print template's merge fields
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _texts(word: bytes) -> list[str]:
    import docx

    d = docx.Document(io.BytesIO(word))
    rows = ["|".join(c.text for c in row.cells) for t in d.tables for row in t.rows]
    return [p.text for p in d.paragraphs] + rows


def test_fill_writes_each_value_into_the_blank_after_its_label() -> None:
    filled = realset.fill_docx(_form(), [
        ["Kính gửi: Ủy ban nhân dân", "xã Tuyên Hóa"],
        ["Người yêu cầu:", "Đặng Thị Kim Oanh"], ["sinh ngày:", "14"], ["", "02"], ["", "1992"],
        ["CMND/CCCD số:", "079192008365"], ["do:", "Bộ Công an"],
        ["Họ, chữ đệm, tên:", "Hoàng Minh Khôi"], ["Số định danh cá nhân:", "045094012873"],
        ["Họ, chữ đệm, tên:", "Hoàng Văn Tuấn"],  # the same label again: the next one takes the next value
        [", ngày", "Tuyên Hóa", "before"], ["ngày", "20"], ["tháng", "08"], ["năm", "2025"],
        ["{chuHoSo}", "Quách Thị Yến"], ["{diaChi}", "xã Yên Định"],
    ])
    texts = _texts(filled)
    assert texts[0] == "Kính gửi: Ủy ban nhân dân xã Tuyên Hóa"
    assert texts[1] == "Người yêu cầu: Đặng Thị Kim Oanh sinh ngày: 14/02/1992"
    assert texts[2] == "CMND/CCCD số: 079192008365\t do: Bộ Công an\tcấp ngày:\t"  # tab leaders kept after
    assert texts[3] == "Họ, chữ đệm, tên: Hoàng Văn Tuấn"
    assert texts[4] == "Tuyên Hóa, ngày 20 tháng 08 năm 2025"
    assert texts[5] == "Chủ hồ sơ: Quách Thị Yến. Địa chỉ: xã Yên Định."
    assert texts[-2].startswith("Họ, chữ đệm, tên:|Hoàng Minh Khôi|")  # the empty cell beside the label
    assert texts[-1] == "Số định danh cá nhân:|" + "|".join("045094012873")  # one digit a box
    import docx

    runs = docx.Document(io.BytesIO(filled)).paragraphs[1].runs
    name = next(r for r in runs if r.text.strip() == "Đặng Thị Kim Oanh")
    assert not name.bold and name.font.size is None  # typed plain, in the label's size, not the leader's
    with pytest.raises(ValueError, match="no blank after 'Nơi sinh:'"):
        realset.fill_docx(_form(), [["Nơi sinh:", "Huế"]])


def test_scanned_is_deterministic_from_its_seed() -> None:
    one = realset.scanned(_pdf(1), 40, 7)
    assert one == realset.scanned(_pdf(1), 40, 7) != realset.scanned(_pdf(1), 40, 8)
    with pikepdf.open(io.BytesIO(one)) as pdf:
        assert len(pdf.pages) == 1 and len(pdf.pages[0].get_images()) == 1  # an image page, not text


def test_the_bench_compares_typographic_variants_as_one_value() -> None:
    """Labels keep the paper's spelling, the pipeline writes Decree 30's: the old tone placement, the space
    after a signing prefix's dot and before a colon make no other value; other marks do."""
    from bench.classify import _same

    assert _same("UỶ BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")
    assert _same("TM. UỶ BAN NHÂN DÂN - KT.CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN - KT. CHỦ TỊCH")
    assert _same("Về việc : Giao quyền sử dụng đất", "Về việc: Giao quyền sử dụng đất")
    assert _same("T/M ỦY BAN NHÂN DÂN - K/T CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN - KT. CHỦ TỊCH")
    assert not _same("Nhâm Dần", "Nhâm Dằn") and not _same("TRUYỂN THÔNG", "TRUYỀN THÔNG")
