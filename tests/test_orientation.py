"""The right way up: a slice of the rotation corpus (pipeline/samples/rotation.py, bench/orientation.py
runs all of it), issue 13's upright permit, and what happens to a page whose turn stays unsure."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.config import Settings
from pipeline.read import preprocess as pp
from pipeline.read.pages import plan, render
from pipeline.samples import generate
from pipeline.samples.rotation import Tally, corpus, generated_pages, judge, real_pages

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ocrmypdf"


def _decide(img: Image.Image, dpi: float) -> tuple[int, bool]:
    g = pp.analyse(img, dpi)
    return g.turn, bool(g.unsure)


def test_rotation_corpus_slice() -> None:
    # Both template families, every kind (clean, scan, photo) and resolution (150-400 dpi) once at least,
    # each page turned the four ways.
    made = [*generated_pages(4, 21, family="A"), *generated_pages(4, 22, family="B")]
    assert {p[3] for p in made} == {"clean", "scan", "photo"} and {p[2] for p in made} == {150, 200, 300, 400}
    made_tally, real_tally = Tally(), Tally()
    for case in corpus(iter(made)):
        judge(case, _decide, made_tally)
    # Real scans (OCRmyPDF's test images, not Vietnamese): a small blurred clipping turned sideways is
    # one the decision cannot tell; it must then say so rather than guess.
    for case in corpus(real_pages(CORPUS)):
        judge(case, _decide, real_tally)
    for tally in (made_tally, real_tally):
        assert tally.upright_turned == 0, tally.wrong
        assert tally.unsure_wrong == tally.pages - tally.right, tally.wrong  # a page left wrong is sent to review
    assert made_tally.accuracy >= 0.995, made_tally.wrong
    assert real_tally.right >= real_tally.pages - 1, real_tally.wrong


def test_demo_permit_of_issue_13_stays_upright(tmp_path: Path) -> None:
    # `make demo`'s clean, upright building permit scan: OSD on a halved copy read it as upside down.
    generate(tmp_path, n=5, seed=1)
    path = tmp_path / "H50.12" / "ket-qua" / "H50.12-241118-1527.2.jpg"
    p = plan(path)
    img, dpi = render(path, p.fmt, p.pages[0])
    g = pp.analyse(img.convert("L"), dpi)
    assert g.turn == 0 and not g.unsure
    turned = pp.analyse(img.convert("L").rotate(180), dpi)
    assert turned.turn == 180 and not turned.unsure


def _on_a_desk(page: Image.Image, turn: Image.Transpose) -> Image.Image:
    """A portrait page photographed landscape: turned a quarter, with the desk's speckled bands
    above and below it (about a 18th of its height each, as the generated B photos show)."""
    turned = page.convert("L").transpose(turn)
    w, h = turned.size
    band = h // 18
    speckle = np.where(np.random.default_rng(0).random((band, w)) < 0.35, 40, 170).astype(np.uint8)
    frame = Image.new("L", (w, h + 2 * band), 90)
    frame.paste(turned, (0, band))
    frame.paste(Image.fromarray(speckle), (0, 0))
    frame.paste(Image.fromarray(speckle[::-1]), (0, h + band))
    return frame


@pytest.mark.parametrize("seed", [21, 50, 79, 108, 137, 166])
def test_a_sparse_page_photographed_landscape_is_turned_a_quarter(seed: int) -> None:
    # A one-stamp certified copy (few lines): the desk's bands across the top and bottom outweighed its
    # lines when the margin cut was thinner there, and half of these were "sure" they were upside down.
    name, page, dpi, _, _ = next(generated_pages(1, seed, family="B", dpis=(200,), kinds=("clean",)))
    assert "ban_sao_chung_thuc" in name
    for transpose, needed in ((Image.Transpose.ROTATE_90, 270), (Image.Transpose.ROTATE_270, 90)):
        g = pp.analyse(_on_a_desk(page, transpose), dpi)
        assert (g.turn, g.unsure) == (needed, ""), (name, transpose)


def test_osd_reads_at_a_resolution_it_reads_well() -> None:
    page = Image.new("L", (1725, 2388), 255)
    assert pp.osd_copy(page, 200).size == page.size  # never halved below ~300 dpi
    assert pp.osd_copy(Image.new("L", (3400, 4700), 255), 400).size == (3400, 4700)
    assert pp.osd_copy(Image.new("L", (4960, 7016), 255), 600).size == (2480, 3508)


def _unsure_profile_and_osd(monkeypatch: pytest.MonkeyPatch, reads: dict[int, tuple[float, float]]) -> list[int]:
    """Profile and OSD both say "upside down", unsure; each trial read gives `reads[turn]` (confidence,
    syllable share). Returns the turns read, in order."""
    monkeypatch.setattr(pp, "upright_score", lambda ink, skew=0.0: (-0.05, 40))
    monkeypatch.setattr(pp.engine, "osd", lambda img, **kw: pp.engine.Osd(180, 0.4))
    seen: list[int] = []

    def trial(img: Image.Image, dpi: float, turn: int, skew: float, band: object = None, lang: str = "vie") -> pp.Trial:
        seen.append(turn)
        return pp.Trial(turn, 40, *reads[turn])

    monkeypatch.setattr(pp, "trial_read", trial)
    return seen


def test_a_good_upright_reading_is_never_turned(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers import text_page

    seen = _unsure_profile_and_osd(monkeypatch, {0: (91.0, 0.95), 180: (88.0, 0.9)})
    g = pp.analyse(text_page(dpi=200, mode="L"), 200)
    # and the upside-down band is not read at all: whatever it reads, the page stays upright
    assert g.turn == 0 and g.decided_by == "trial" and not g.unsure and seen == [0]


def test_a_poor_upright_reading_reads_the_other_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers import text_page

    seen = _unsure_profile_and_osd(monkeypatch, {0: (30.0, 0.3), 180: (91.0, 0.95)})
    g = pp.analyse(text_page(dpi=200, mode="L").rotate(180), 200)
    assert g.turn == 180 and g.decided_by == "trial" and seen == [0, 180]


def test_a_turn_nothing_agrees_on_is_left_unsure(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers import text_page

    page = text_page(dpi=200, mode="L")
    monkeypatch.setattr(pp, "upright_score", lambda ink, skew=0.0: (-0.05, 40))
    monkeypatch.setattr(pp.engine, "osd", lambda img, **kw: pp.engine.Osd(90, 0.2))
    monkeypatch.setattr(pp, "trial_read",
                        lambda img, dpi, turn, skew, band=None, lang="vie": pp.Trial(turn, 20, 55.0, 0.5))
    g = pp.analyse(page, 200)
    assert g.turn == 0 and g.decided_by == "none"
    assert "profile says 180°, OSD 90°" in g.unsure and "conf 55" in g.unsure


def test_unsure_page_sends_its_document_to_review(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.flow import Source, digitise
    from pipeline.identity import sha256_file
    from pipeline.keep import db
    from pipeline.keep.store import open_store
    from pipeline.understand.review import queue
    from tests.helpers import text_page
    from web.review import reason_of

    path = tmp_path / "don.png"
    text_page(dpi=200).save(path, dpi=(200, 200))
    real = pp.analyse
    monkeypatch.setattr(pp, "analyse", lambda img, dpi, **kw: pp.Geometry(
        0, 0.0, "none", real(img, dpi, use_osd=False).ink, unsure="profile says 180°, OSD 90°; trial reads …"))
    db.migrate(settings.db_url)
    src = Source(path, sha256_file(path), path.name, "H50.12", "thanh_phan", datetime.now(UTC))
    record = digitise(src, settings, open_store(settings))
    assert record.review and record.ocr.turn_unsure == [1]
    with db.session_scope(settings.db_url) as s:
        items = [it for it in queue(s, settings.review_threshold) if it.doc_id == record.doc_id]
        assert items and items[0].turn_unsure
        if not items[0].role_mismatch and not items[0].conflict:
            assert reason_of(items[0], settings.review_threshold) == "turn_unsure"
