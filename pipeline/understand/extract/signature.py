"""The signature block: the signer's position (checked against Decree 30: `KT. X` needs `PHÓ X`)
and name, read by column from the word boxes at the bottom right, restored against known names."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from pipeline.understand.extract.base import (
    NAME_TOKEN_RE,
    Field,
    has_marks,
    is_junk_token,
    nonempty,
    strip_junk,
    title_case_run,
    vietnamese_word,
)
from pipeline.understand.extract.layout import column_of, layout_cells
from pipeline.vn.lexicon import (
    COLLECTIVES,
    POSITION_TITLES,
    SIGN_PREFIXES,
    Lexicon,
    restore_family_name,
    restore_known,
    same_spelling,
)
from pipeline.vn.ocrfix import is_syllable
from pipeline.vn.text import clean_spacing, fold, is_upper_line, sentence_case
from schemas.tasks import PageResult

# An identity card copy prints its issuer's title and facsimile signature on the back: neither a
# signer nor an issuing body of the copy.
NO_SIGNER = frozenset({"can_cuoc"})
_POSITION_RE = re.compile(
    r"^(kt|tm|tl|tuq|q|ktl)\s*\.|\b(chu tich|giam doc|truong|pho|chanh|bi thu|thu truong|cong chuc|"
    r"can bo|nguoi (yeu cau|lam don|khai|ky|dai dien|nop tien|thu tien|duoc uy quyen|uy quyen|tiep nhan|lap|"
    r"tu choi|tra ket qua|nhan ket qua|huong dan|de nghi|khoi kien|ke khai|thong bao|kien nghi|phan anh)|"
    r"thu ky|uy vien|dai dien|ke toan|thu quy|chu ho|chu tri|chu toa|ben (uy quyen|duoc uy quyen))\b"
)

# A citizen's own signature caption, printed in any case ("Người yêu cầu", "NGƯỜI LÀM ĐƠN").
_CITIZEN_ROLE_RE = re.compile(
    r"^(nguoi (yeu cau|lam don|khai|ke khai|de nghi|viet don|cam ket|nop don|khoi kien|thong bao|kien nghi|"
    r"phan anh|(duoc )?uy quyen|thu tien|nop tien|tiep nhan( ho so)?|nop ho so|tra ket qua|nhan ket qua|tu choi|"
    r"huong dan)|ben (duoc )?uy quyen)$"
)

# "NGƯỜI KÝ GIẤY KHAI SINH": a caption over the signer's position, not the position itself.
_CAPTION_RE = re.compile(r"^(nguoi\s+)?ky\s+(giay|trich luc|ban sao|van ban)\b")
_SIGN_NOISE_RE = re.compile(r"\b(ky|da ky|ghi ro|dong dau|chu ky)\b")


# --- signature -----------------------------------------------------------------------------------------
def _trailing_upper(line: str) -> tuple[str, bool]:
    """The trailing upper-case run of a line (right column of a merged signature row)."""
    tokens = line.split()
    run: list[str] = []
    for tok in reversed(tokens):
        letters = [ch for ch in tok if ch.isalpha()]
        if tok in ("-", "–") or (letters and all(ch.isupper() for ch in letters)):
            run.insert(0, tok)
        else:
            break
    while run and run[0] in ("-", "–"):
        run.pop(0)
    return " ".join(run), len(run) == len(tokens)


# Captions a civil-status or certified paper prints over its signer, standing for the position when no
# title follows ("NGƯỜI KÝ GIẤY KHAI SINH" over the name alone).
SIGNING_CAPTIONS: tuple[str, ...] = (
    "NGƯỜI KÝ GIẤY KHAI SINH", "NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT HÔN", "NGƯỜI KÝ GIẤY XÁC NHẬN",
    "NGƯỜI THỰC HIỆN CHỨNG THỰC",
)
# Prefixes as papers before Decree 30 (and some still) print them: "T/M", "K/T", "T/L".
_SLASHED_PREFIX_RE = re.compile(r"^(T|K)\s*/\s*(M|T|L)\b\.?\s*")


@lru_cache(maxsize=64)
def _position_vocabulary(learned: tuple[str, ...]) -> dict[str, str]:
    """Folded → printed, for every position line Decree 30 allows (prefix + title or body), and the
    single-line positions reviewers typed."""
    heads = (*POSITION_TITLES, *SIGNING_CAPTIONS, *(p.upper() for p in learned if " - " not in p))
    lines = [*heads, *(f"{p} {h}" for p in SIGN_PREFIXES for h in (*POSITION_TITLES, *COLLECTIVES))]
    return {re.sub(r"\s+", " ", fold(p)): p for p in lines}


def _canonical_position(seg: str, vocab: dict[str, str], marked: bool = False) -> tuple[str, bool, bool, bool]:
    """(the position line as printed, whether it needed repair, whether it is a known one, whether
    it was cut off a row where OCR ran two columns' positions together)."""
    # "4THƯ KÝ": a page number the text layer glued to the block's first word
    tokens = [re.sub(r"^\d{1,3}(?=[^\W\d_]{2})", "", t) for t in _without_specks(seg).split()]
    tokens = [t for t in tokens if not (is_junk_token(t) or any(ch.isdigit() for ch in t))]
    # "KT.CHỦ TỊCH", "TM .ỦY BAN": Decree 30 writes the prefix "KT. " (a "Q" glued to a word is a word: "QUẢN");
    # "T/M", "K/T": the older spelling of the same prefixes
    joined = _SLASHED_PREFIX_RE.sub(lambda m: f"{m[1]}{m[2]}. ", " ".join(tokens))
    seg = re.sub(r"^(KT|TM|TL|TUQ|Q)(?:\s*[.,:;]\s*|\s+)", r"\1. ", joined)
    key = re.sub(r"\s+", " ", fold(seg)).strip()
    if key in vocab:
        canon = vocab[key]
        if not has_marks(seg) and not marked:
            return seg, False, True, False  # printed (or read) without any marks: leave it as the page has it
        if not has_marks(seg):
            return canon, True, True, False  # "CHANH VAN PHONG" under "TL. CHỦ TỊCH": OCR lost this row's marks
        if not is_upper_line(seg):
            canon = sentence_case(canon)  # a citizen's caption printed "Người yêu cầu" stays so
        if all(same_spelling(a, b) for a, b in zip(seg.split(), canon.split(), strict=False)):
            return seg, False, True, False  # "BÊN UỶ QUYỀN": the old tone placement, as printed
        return canon, canon != seg, True, False
    close = difflib.get_close_matches(key, list(vocab), n=1, cutoff=0.86)
    if close:
        return vocab[close[0]], True, True, False
    # "NBÊN A": the line's first letters lost or glued; the end of exactly one position, two words
    # or more, with at most two letters of the first word lost.
    words = key.split()
    if len(words) >= 2 and len(words[0]) > 1:
        for cut in (1, 2):
            tail = " ".join([words[0][cut:], *words[1:]])
            ends = {v for k, v in vocab.items()
                    if k.endswith(" " + tail) and len(k) > len(tail) + 2 and not re.match(r"(kt|tm|tl|tuq|q)\.", k)}
            if words[0][cut:] and len(ends) == 1:
                return ends.pop(), True, True, False
    # "NGƯỜI NỘP HỒ SƠ NGƯỜI TIẾP NHẬN HỒ SƠ": two signature columns on one row; the right one signs.
    for k in range(1, len(words)):
        if " ".join(words[:k]) in vocab and " ".join(words[k:]) in vocab:
            right = " ".join(seg.split()[k:])
            return (right if not has_marks(right) else vocab[" ".join(words[k:])]), False, True, True
    return seg, False, False, False


UNKNOWN_POSITION = 0.55


def _without_specks(seg: str) -> str:
    """A row of capitals without the lone lower-case letters among them: specks of the seal or of the stroke
    ("z HỦ TỊCH")."""
    kept = [t for t in seg.split() if not (len(t) == 1 and t.islower())]
    return " ".join(kept) if kept and len(kept) < len(seg.split()) and is_upper_line(" ".join(kept)) else seg


def _join_wrapped(segments: list[str], vocab: dict[str, str]) -> list[str]:
    """Rows of the block with a position's wrapped last word put back on its row ("TM. ỦY BAN NHÂN DÂN PHƯỜNG
    ĐỒNG" / "HỚI", "NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT" / "HÔN"): a row of one word goes on with the row above
    when that row is no position by itself, or together they make one."""
    out: list[str] = []
    for seg in segments:
        words = seg.split()
        if (out and len(words) == 1 and len(words[0]) >= 2 and words[0].isupper() and is_syllable(words[0])
                and (not _canonical_position(out[-1], vocab)[2]
                     or _canonical_position(f"{out[-1]} {seg}", vocab)[2])):
            out[-1] = f"{out[-1]} {seg}"
            continue
        out.append(seg)
    return out


def _position(segments: list[str], lexicon: Lexicon) -> tuple[str, float, bool] | None:
    """The position from the lines of a signature block, checked against how Decree 30 writes it.

    KT. (signing for the head) is always followed by the deputy's own title, and TM./TL./TUQ. by
    the signer's: a block that ends on one of them lost a line to OCR. After KT. the title is the
    deputy's ("KT. CHỦ TỊCH" → "PHÓ CHỦ TỊCH"), so it is put back; after TM. it may be the head's
    or a deputy's, so the position is left out rather than guessed."""
    vocab = _position_vocabulary(lexicon.positions)
    parts: list[tuple[str, bool]] = []
    merged = False
    knowns: list[bool] = []
    marked = any(has_marks(seg) for seg in segments)  # a row without marks among marked ones lost them to OCR
    for seg in _join_wrapped(segments, vocab):
        text, repaired, known, cut = _canonical_position(clean_spacing(seg), vocab, marked)
        merged = merged or cut
        if not text:
            continue
        if not known:
            words = re.findall(r"[^\W\d_]+", text)
            real = sum(is_syllable(w) or w in ("UBND", "HĐND") for w in words)  # "TM. UBND TỈNH" of older papers
            if len(words) < 2 or real * 2 < len(words) or not all(
                    is_syllable(w) or (w.isupper() and len(w) <= 5) for w in words):
                continue  # seal rim or signature read as letters ("NV SG")
        parts.append((text, repaired))
        knowns.append(known)
    # "NGƯỜI KÝ GIẤY KHAI SINH" heads the block of a civil-status paper; the position follows it (a
    # caption wrapped, "NGƯỜI KÝ GIẤY CHỨNG NHẬN" / "KẾT HÔN", loses its second line with it).
    if len(parts) > 1:
        kept: list[tuple[str, bool]] = []
        after_caption = False
        for part, known in zip(parts, knowns, strict=True):
            if _CAPTION_RE.match(fold(part[0])):
                after_caption = True
                continue
            if after_caption and not known:
                continue
            after_caption = False
            kept.append(part)
        parts = kept or parts
    if not parts:
        return None
    penalty = 0.0
    fixed: list[tuple[str, bool]] = []
    for text, repaired in parts:
        prefix = re.match(r"^(KT|TM|TL|TUQ|Q)\. (.+)$", fixed[-1][0]) if fixed else None
        if prefix and prefix[1] == "KT" and text != f"PHÓ {prefix[2]}" and prefix[2] in POSITION_TITLES:
            # After "KT. CHỦ TỊCH" only the deputy signs: "CHỦ TỊCH" lost its PHÓ, "PHÓ CHỦ" its TỊCH.
            deputy = fold(f"PHÓ {prefix[2]}")
            if deputy.endswith(fold(text)) or (deputy.startswith(fold(text)) and len(text.split()) >= 2):
                text, repaired = f"PHÓ {prefix[2]}", True
        fixed.append((text, repaired))
    known_rows = [_canonical_position(text, vocab)[2] for text, _ in fixed]
    rim = not all(known_rows)
    while len(fixed) > 1 and not known_rows[-1] and all(known_rows[:-1]):
        # "TRƯỞNG PHÒNG" / "XU SỐ": a row no position allows under a whole one is the seal's rim read as words;
        # the position is kept without it, and a person confirms it
        fixed.pop()
        known_rows.pop()
    last = re.match(r"^(KT|TM|TL|TUQ)\. (.+)$", fixed[-1][0])
    if last:
        if last[1] != "KT" or last[2] not in POSITION_TITLES:
            return None
        fixed.append((f"PHÓ {last[2]}", True))
        penalty += 0.15
    repaired_any = any(r for _, r in fixed)
    conf = 0.85 - penalty - (0.1 if repaired_any else 0.0)
    if rim:
        # a row no position Decree 30 allows (the seal's rim read as words, "NHÂN DÂN" of a lost line): a person
        # confirms the position
        conf = min(conf, UNKNOWN_POSITION)
    # Rows are joined with " - "; a row ending on a comma or "VÀ" wrapped mid-title ("THỦ TRƯỞNG CƠ SỞ KHÁM
    # BỆNH," / "CHỮA BỆNH") and goes on with a space.
    value = ""
    for text, _ in fixed:
        value = text if not value else value + (" " if value.endswith((",", " VÀ")) else " - ") + text
    return value, round(conf, 3), merged


def _is_position_line(text: str) -> bool:
    folded = fold(text).strip()
    if _CITIZEN_ROLE_RE.match(folded):
        return True
    return bool(text) and is_upper_line(text) and bool(_POSITION_RE.search(folded))


def _signer_name(line: str, *, column: bool, merged: bool = False) -> tuple[str, float] | None:
    """The signer's name on a line under the block, family name restored when OCR damaged it.
    ``merged``: the row also holds the left column's signer ("Nguyễn Thị Hoa Phan Thanh Tâm"); the
    right one starts at the last family name."""
    line = strip_junk(line.strip())
    if not line or line.startswith("(") or _SIGN_NOISE_RE.search(fold(line)):
        return None
    tokens = line.split()
    if column:
        if not 2 <= len(tokens) <= 6:
            return None
        before = 0
    else:
        _, before = title_case_run(line, max_tokens=6)
        if before:
            prev = tokens[before - 1]
            # A merged row's left column ends with ";" or "." (the recipient list); a name glued to
            # running words ("UBND huyện Tuyên Hóa") is a place, not the signer.
            if not re.search(r"[;.,:]$", prev) and "  " not in line:
                restored = restore_family_name(prev)
                lost_capital = (restored is not None and prev.islower()
                                and fold(restored[0]).endswith(fold(prev)) and len(restored[0]) > len(prev))
                if before > 1 or restored is None or (prev.islower() and not lost_capital):
                    return None
                before -= 1
        tokens = tokens[before:]
        if merged:
            starts = [k for k in range(2, len(tokens) - 1) if restore_family_name(tokens[k]) == (tokens[k], False)]
            if not starts:
                return None
            tokens = tokens[starts[-1] :]
        if not 2 <= len(tokens) <= 6:
            return None
    if all(t.isupper() for t in tokens):
        tokens = [t.title() for t in tokens]
    first, repaired = tokens[0], False
    if first.islower():
        # A capital lost at the start ("guyễn Bá Đức"); a whole lower-case word ("đăng Thùy Hoa")
        # is no damaged family name that can be told.
        restored = restore_family_name(first)
        if restored is not None and fold(restored[0]).endswith(fold(first)) and len(restored[0]) > len(first):
            first, repaired = restored[0], True
    elif has_marks(line) or not (first[:1].isupper() and first[1:].islower()):
        restored = restore_family_name(first)
        if restored is not None:
            first, repaired = restored
    tokens[0] = first
    if not all(NAME_TOKEN_RE.match(t) and t[0].isupper() and (len(t) == 1 or t[1:].islower()) and vietnamese_word(t)
               for t in tokens):
        return None
    if restore_family_name(tokens[0]) is None:
        # a Vietnamese name opens with its family name: "Công Trung" lost "Bùi" under the seal
        return " ".join(tokens), UNKNOWN_FAMILY
    return " ".join(tokens), (0.85 if not repaired else 0.75)


UNKNOWN_FAMILY = 0.55  # a signer's name whose first word is no family name known: a person confirms it


def _signature(lines: list[str], lexicon: Lexicon, *, column: bool,
               spans: list[tuple[int, int]] | None = None, start: int | None = None,
               rows: list[tuple[int, int]] | None = None) -> dict[str, Field]:
    """Position and name of the signer from the lines of the last page: whole lines of the right
    column when ``column``, else the flat text whose rows may merge both columns. ``spans``: where
    each line lies across the page, when read from word boxes; ``start``: the first line where the
    block may be, when the caller knows it."""
    page_start = max((i + 1 for i, ln in enumerate(lines) if ln == "\f"), default=0)
    body = nonempty(lines, page_start)
    if not body:
        return {}
    # The signature sits level with "Nơi nhận" (same row when OCR merges the columns); without it,
    # the bottom 60 % of the page, which keeps the "CHỦ TỊCH ỦY BAN NHÂN DÂN …" authority line of
    # a decision's preamble out of reach.
    if start is None:
        recipients = [k for k, i in enumerate(body) if re.match(r"^\W*noi nhan\b", fold(lines[i]))]
        # a last page holding little more than the signature has no preamble to keep out
        start_pos = recipients[-1] if recipients else 0 if len(body) < _SHORT_PAGE else int(len(body) * 0.4)
        zone = body[start_pos:]
    else:
        zone = [i for i in body if i >= start]

    vocab = _position_vocabulary(lexicon.positions)

    def is_position(seg: str) -> bool:
        # recognised by its words, or as a known position OCR damaged ("NBÊN A", "HỦ TỊCH")
        return _is_position_line(seg) or (is_upper_line(seg) and _canonical_position(seg, vocab)[2])

    def segment(k: int) -> tuple[str, bool]:
        text = _without_specks(strip_junk(lines[zone[k]].strip()))
        if column:
            return text, True
        if _CITIZEN_ROLE_RE.match(fold(text)):
            return text, True
        return _trailing_upper(text)

    block_end = None
    for k in range(len(zone) - 1, -1, -1):
        seg, _ = segment(k)
        if seg and is_position(seg):
            block_end = k
            break
    if block_end is None:
        return {}
    block: list[str] = []
    k = block_end
    while k >= 0 and len(block) < 5:
        seg, whole = segment(k)
        row = bool(seg) and (is_position(seg) or (whole and is_upper_line(seg)))
        if not column and block and not row:
            # "- CT, PCT UBND tỉnh;", "- Bộ Tư pháp (Cục KTVB);": recipients' lines wholly in the left column
            # (one or two) between two rows of the block ("KT. CHỦ TỊCH" above, "PHÓ CHỦ TỊCH" below) in the
            # merged text
            above = next((j for j in (1, 2) if k - j >= 0 and is_position(segment(k - j)[0])), None)
            if above is not None:
                k -= above
                continue
        if not row:
            break
        if block and rows is not None and _far_above(rows[zone[k]], rows[zone[k + 1]]):
            break  # a title or heading far above the block ("GIẤY ỦY QUYỀN" over "BÊN ỦY QUYỀN")
        block.insert(0, seg)
        k -= 1
    block_start = k + 1
    # Lines below the last recognised one that are wholly upper case belong to the block too: OCR
    # may have damaged the very words ("HỦ TỊCH") that made them recognisable.
    while block_end + 1 < len(zone) and len(block) < 5:
        seg, whole = segment(block_end + 1)
        if not (seg and whole and is_upper_line(seg) and len(seg.split()) <= 6) or _names_in_capitals(seg):
            break
        block.append(seg)
        block_end += 1
    out: dict[str, Field] = {}
    position = _position(block, lexicon)
    merged = False
    if position is not None:
        value, conf, merged = position
        out["chuc_vu_nguoi_ky"] = Field(value, conf)
    # In flat text (a text layer, no boxes) the name sits under the space of the signature and the seal, a
    # recipients' list beside it: it may come many lines below the block, down to the end of the page.
    below = zone[block_end + 1 : block_end + 7] if column else zone[block_end + 1 :]
    for n, i in enumerate(below):
        found = _signer_name(lines[i], column=column, merged=merged and not column)
        if found is None:
            continue
        name, conf = found
        if n >= 6:
            conf = round(conf - 0.1, 3)  # far from the block: more room for a recipient's name
        # The block's axis, from the lines read whole: a damaged one ("NBÊN A") lost part of its span.
        axis = [spans[zone[k]] for k in range(block_start, block_end + 1)
                if spans and lines[zone[k]].strip() and not _canonical_position(lines[zone[k]].strip(), vocab)[1]]
        if spans is not None and not _centred_under(spans[i], axis):
            break  # a name off the block's axis lost a word to the seal ("Trọng Vinh" of "Nguyễn Trọng Vinh")
        known = restore_known(name, lexicon.signers) if lexicon.signers else None
        if known is not None and known != name:
            name, conf = known, 0.8
        out["nguoi_ky"] = Field(name, conf)
        break
    pos = out.get("chuc_vu_nguoi_ky")
    if pos is not None and "nguoi_ky" not in out and merged and not column:
        # the two signers' names on lines of their own under a row of both captions: the one the paper's
        # body names under the same role ("2. Người trả kết quả:" / "- Họ tên: Lê Minh Châu.") signs here
        named = _named_in_body(lines[:zone[block_start]] if block_start < len(zone) else lines, pos.value)
        if named is not None and any(strip_junk(lines[i].strip()).rstrip(".") == named for i in below[:3]):
            out["nguoi_ky"] = Field(named, 0.75)
    if pos is not None and "nguoi_ky" not in out and _CITIZEN_ROLE_RE.match(fold(pos.value).strip()):
        # "Người yêu cầu" over no name: the caption of a blank form, nobody's position
        del out["chuc_vu_nguoi_ky"]
    return out


_FULL_NAME_LABEL_RE = re.compile(r"^\W*ho\s*(va\s*)?ten\s*:\s*")


def _named_in_body(lines: list[str], role: str) -> str | None:
    """The name the body gives a role ("Người trả kết quả:" then "- Họ tên: Lê Minh Châu."), when it names one."""
    key = fold(role).strip()
    for i, line in enumerate(lines):
        if re.sub(r"^[\W\d]+", "", fold(line)).rstrip(" :") != key:
            continue
        for nxt in lines[i + 1 : i + 3]:
            m = _FULL_NAME_LABEL_RE.match(fold(nxt))
            if m:
                found = _signer_name(nxt[m.end() :].rstrip(" ."), column=True)
                return found[0] if found else None
    return None


def _names_in_capitals(line: str) -> bool:
    """Whether a row in capitals under the block is signers' names ("NGUYỄN NHƯ QUỲNH HOÀNG LÊ HOÀNG"), as
    companies print them, not a position: it opens with a family name and holds no word of a position."""
    tokens = line.split()
    first = restore_family_name(tokens[0]) if tokens else None
    return (first is not None and fold(first[0]) == fold(tokens[0]) and len(tokens) >= 2
            and not _POSITION_RE.search(fold(line)) and all(is_syllable(t) for t in tokens))


def _far_above(upper: tuple[int, int], lower: tuple[int, int]) -> bool:
    """Whether a line lies further above the next than the lines of one signature block do."""
    height = max(lower[1] - lower[0], upper[1] - upper[0], 1)
    return lower[0] - upper[1] > 2.5 * height


def _centred_under(name: tuple[int, int], block: list[tuple[int, int]]) -> bool:
    """Whether a name line is centred on the same axis as the position lines above it, as Decree 30
    sets a signature block; a quarter of the name's width is allowed for skew and uneven words."""
    if not block:
        return True
    axes = sorted((x0 + x1) / 2 for x0, x1 in block)
    axis = axes[len(axes) // 2]
    return abs((name[0] + name[1]) / 2 - axis) <= 0.25 * max(name[1] - name[0], 1)


def signature_of(lines: list[str], pages: Sequence[PageResult] | None, lexicon: Lexicon) -> dict[str, Field]:
    """The signature block at the bottom right of the last page: read from the words of the right
    column when OCR boxes exist, else from the flat text. With boxes, what they do not show is left
    out: the flat text mixes the columns, and then the left signature of a two-signature form
    ("ĐẠI DIỆN BÊN B") would pass for the one that issues the paper."""
    # A blank back side read as specks (stamp bleed-through, OCR confidence in the teens) is no last page.
    readable = [p for p in (pages or []) if p.words and p.width_px and (
        p.mean_confidence is None or p.mean_confidence >= 40 or len(p.words) >= 200)]
    last = readable[-1] if readable else None
    if last is None:
        return _signature(lines, lexicon, column=False)
    found = _page_signature(last, [p for p in readable if p is not last], lexicon)
    if found:
        return found
    # No block on the last page: an annex follows the signature ("DANH SÁCH … kèm theo Quyết định", a blank
    # registration list). The signature page is the last one before it whose left column holds "Nơi nhận".
    for k in range(len(readable) - 2, max(len(readable) - 5, -1), -1):
        page = readable[k]
        if any(re.match(r"^\W*noi nhan\b", fold(c.text))
               for c in column_of(layout_cells(page), page.width_px or 0, "left")):
            return _page_signature(page, readable[:k], lexicon)
    return found


def certifier_of(pages: Sequence[PageResult] | None, lexicon: Lexicon) -> dict[str, Field]:
    """The signature of a certification stamp ("Chứng thực bản sao đúng với bản chính", "Số chứng thực: …",
    the date, "NGƯỜI THỰC HIỆN CHỨNG THỰC", the name): read in the stamp's own column, under its number,
    wherever the copy left room for it (at the left as often as at the right); the rows above its caption
    are its number and date, never part of the position."""
    for page in reversed([p for p in pages or [] if p.words and p.width_px]):
        cells = layout_cells(page)
        anchor = next((c for c in cells if re.search(r"\bso chung thuc\b", fold(c.text))), None)
        if anchor is None:
            continue
        lo, hi = anchor.x0 - 0.05 * (page.width_px or 0), anchor.x1 + 0.05 * (page.width_px or 0)
        stamp = [c for c in cells if c.top > anchor.top and lo <= (c.x0 + c.x1) / 2 <= hi
                 and sum(ch.isalpha() for ch in c.text) > 3]
        caption = next((k for k, c in enumerate(stamp) if _is_position_line(c.text)
                        or _canonical_position(strip_junk(c.text), _position_vocabulary(lexicon.positions))[2]), None)
        if caption is None:
            return {}
        return _signature([c.text for c in stamp], lexicon, column=True, spans=[(c.x0, c.x1) for c in stamp],
                          start=caption, rows=[(c.top, c.bottom) for c in stamp])
    return {}


_SHORT_PAGE = 12  # lines (cells): a last page this short holds the signature block and little else
_BLOCK_ABOVE_RECIPIENTS = 3  # line heights: how far above "Nơi nhận" a signature block may start


def _page_signature(last: PageResult, earlier: list[PageResult], lexicon: Lexicon) -> dict[str, Field]:
    """The signature block of one page (with the page before it when its last lines spilled over)."""
    cells = layout_cells(last)
    if len(cells) < 6 and earlier and earlier[-1].page_no < last.page_no:
        # the block's last lines spilled over onto a page of their own: read it with the page before
        prev = earlier[-1]
        shift = prev.height_px or max((c.bottom for c in layout_cells(prev)), default=0)
        cells = [*layout_cells(prev), *(replace(c, top=c.top + shift, bottom=c.bottom + shift) for c in cells)]
    # Cells of three letters or fewer between the lines of the block are the seal's rim, not text.
    right = [c for c in column_of(cells, last.width_px or 0, "right") if sum(ch.isalpha() for ch in c.text) > 3]
    # The block starts level with "Nơi nhận" in the left column; without it, in the lower 60 % of
    # the right column, which keeps a decision's "CHỦ TỊCH ỦY BAN NHÂN DÂN …" preamble out of reach.
    noi_nhan = [c for c in column_of(cells, last.width_px or 0, "left") if re.match(r"^\W*noi nhan\b", fold(c.text))]
    if noi_nhan:
        # many offices set the block a line or two above "Nơi nhận" rather than level with it
        above = noi_nhan[-1].top - _BLOCK_ABOVE_RECIPIENTS * (noi_nhan[-1].bottom - noi_nhan[-1].top)
        start = next((k for k, c in enumerate(right) if c.bottom >= above), len(right))
    elif len(cells) < _SHORT_PAGE:
        start = 0  # a last page holding little more than the signature: no preamble to keep out
    else:
        start = int(len(right) * 0.4)
    boxed = _signature([c.text for c in right], lexicon, column=True, spans=[(c.x0, c.x1) for c in right],
                       start=start, rows=[(c.top, c.bottom) for c in right])
    if "nguoi_ky" not in boxed and noi_nhan:
        # the position lost under the red seal: the one personal name in the right column level with
        # "Nơi nhận" is the signer's (a block of two names would be two signatures: none is taken)
        names = [found for c in right[start:] if not _is_position_line(c.text)
                 and (found := _signer_name(c.text, column=True)) is not None]
        if len(names) == 1:
            boxed["nguoi_ky"] = Field(names[0][0], round(names[0][1] - 0.1, 3))
    return boxed
