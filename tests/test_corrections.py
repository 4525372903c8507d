"""What reviewers correct is learned: a corrected issuing body and signer restore the same names on
the next documents whose OCR damaged them, through the real pipeline and database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from pipeline.config import Settings
from pipeline.flow import Source, digitise
from pipeline.identity import sha256_file
from pipeline.keep import db
from pipeline.keep.store import open_store
from pipeline.understand.corrections import learned_lexicon, read_lexicon
from pipeline.understand.review import apply_correction
from pipeline.vn.lexicon import EMPTY

_FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def _decision(path: Path, number: int, day: int) -> Path:
    """A decision whose text layer carries what OCR so often makes of a bold header and a signer:
    marks lost ("TUYÊN HOA", "Trần Thi Mai")."""
    pdfmetrics.registerFont(TTFont("LibSerif", _FONT))
    c = Canvas(str(path))
    c.setFont("LibSerif", 12)
    lines = [
        "UBND TỈNH QUẢNG TRỊ",
        "ỦY BAN NHÂN DÂN XÃ TUYÊN HOA",
        f"Số: {number}/QĐ-UBND",
        f"Tuyên Hóa, ngày {day:02d} tháng 5 năm 2025",
        "QUYẾT ĐỊNH",
        "Về việc phê duyệt danh sách hộ nghèo, hộ cận nghèo năm 2025",
        "ỦY BAN NHÂN DÂN XÃ TUYÊN HÓA",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "QUYẾT ĐỊNH:",
        "Điều 1. Phê duyệt danh sách hộ nghèo, hộ cận nghèo của xã kèm theo Quyết định này.",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        "Nơi nhận:",
        "- Như Điều 2;",
        "- Lưu: VT.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Thi Mai",
    ]
    y = 800.0
    for line in lines:
        c.drawString(80, y, line)
        y -= 22
    c.save()
    return path


def test_corrected_names_restore_the_next_documents(settings: Settings, tmp_path: Path) -> None:
    db.migrate(settings.db_url)
    store = open_store(settings)
    assert learned_lexicon(settings.db_url) == EMPTY

    def run(path: Path) -> dict[str, str]:
        src = Source(path, sha256_file(path), path.name, "H50.12", "ket_qua", datetime.now(UTC))
        return digitise(src, settings, store).metadata

    first = _decision(tmp_path / "qd-105.pdf", 105, 12)
    got = run(first)
    assert got["nguoi_ky"] == "Trần Thi Mai" and got["co_quan_ban_hanh"] == "ỦY BAN NHÂN DÂN XÃ TUYÊN HOA", got

    doc_id = next(iter(_doc_ids(settings)))
    apply_correction(settings, store, doc_id, by="Lan (một cửa)",
                     fields={"nguoi_ky": "Trần Thị Mai", "co_quan_ban_hanh": "ỦY BAN NHÂN DÂN XÃ TUYÊN HÓA"})
    learned = learned_lexicon(settings.db_url)
    assert learned == read_lexicon(settings.db_url)
    assert learned.signers == ("Trần Thị Mai",) and learned.bodies == ("ỦY BAN NHÂN DÂN XÃ TUYÊN HÓA",)

    # the next paper of the same commune, with the same damage, comes out as the clerk wrote it
    got = run(_decision(tmp_path / "qd-106.pdf", 106, 13))
    assert got["nguoi_ky"] == "Trần Thị Mai" and got["co_quan_ban_hanh"] == "ỦY BAN NHÂN DÂN XÃ TUYÊN HÓA", got
    assert got["so_ky_hieu"] == "106/QĐ-UBND"


def _doc_ids(settings: Settings) -> list[str]:
    from sqlalchemy import select

    from pipeline.keep.models import Document

    with db.session_scope(settings.db_url) as s:
        return list(s.scalars(select(Document.id)).all())
