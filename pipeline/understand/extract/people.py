"""The people of a document: every person block of a form, the citizen the document is about, and
the others as its parties.

A form names people in blocks, each opened by a label or a heading and followed by the person's
details: "Họ, chữ đệm, tên người yêu cầu: …", "Họ, chữ đệm, tên người mẹ: …", "17. Họ, chữ đệm và tên
của cha(1): …", "Người yêu cầu: …", "Tên tôi là: …", "Chủ hồ sơ: …", "Tên người nộp tiền: …", or a
heading ("I. Người ủy quyền:", "Bên được ủy quyền (Bên B):", "II. THÔNG TIN CỦA CHA", "BÊN NỮ",
"Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:") that the next unqualified "Họ, chữ đệm, tên:"
or "Họ và tên:" fills in. An identifier ("Số định danh cá nhân: …", "CMND/CCCD số: …", "Giấy tờ tùy
thân: Căn cước công dân số … do … cấp ngày …", a row of boxes) belongs to the block it is printed in.

Which block is the citizen depends on what the procedure is about (decided per class):
- giay_khai_sinh, a birth extract, a tờ khai đăng ký khai sinh: the child registered (the block with no
  qualifier, or under "người được đăng ký khai sinh"); mother, father and the one who registered are
  parties. The child of a tờ khai has no identifier yet, so none is read.
- a tờ khai (or extract) of a death: the deceased; the applicant is a party.
- a tờ khai or giấy xác nhận of marital status: the person whose status is certified (the block after
  "XÁC NHẬN" or "… cho người có tên dưới đây"); the one who asked ("Xét đề nghị của ông/bà …") is a
  party when it is someone else.
- any other tờ khai (CC01, a request about oneself): the block with no qualifier, else the applicant.
- a marriage (tờ khai đăng ký kết hôn, giấy chứng nhận kết hôn, a marriage extract): two people on
  equal footing, so no citizen; both spouses are parties.
- giay_chung_sinh: the mother (the child has no name yet); giay_bao_tu: the deceased.
- don: the applicant ("Tên tôi là", "Người yêu cầu", "Người làm đơn", "Người khởi kiện", "Họ và tên
  người khiếu nại / tố cáo / kiến nghị"; of two
  co-applicants, the first); the other side ("Người bị kiện", a spouse, a household head) are parties.
- giay_uy_quyen: the principal (bên / người ủy quyền): the procedure is carried out for them and in
  their name; the agent is a party. Without a block saying which side is the principal, no citizen.
- phieu_mot_cua: the dossier's owner ("Chủ hồ sơ"), else the person whose dossier was received; the
  submitter ("Người nộp") is a party when someone else.
- bien_lai: the payer. can_cuoc, khac: the unqualified block (a card's name checked against its
  machine-readable zone). gcn_ho_kinh_doanh: "Chủ hộ kinh doanh", else the unqualified block.
- ban_sao_chung_thuc: the holder of the copied paper: the unqualified block, else "Cho:" / "Cấp cho:",
  else the household head ("Họ và tên chủ hộ"), else a copied decision's one person or household.
- hop_dong: no citizen; its people are parties.
The citizen's identifier is only ever the one printed in the citizen's own block: a precise absence is
better than another person's number (and a block whose name OCR garbled keeps its number, no other
person taken in its place). Doubts go to review rather than being accepted: an identifier whose birth
digits disagree with the birth year printed beside it, a name the page prints elsewhere with other marks.

Results addressed to one citizen in running text ("… cho hộ ông Lê Văn Bình, Số định danh cá nhân: …")
are read by `subject_in_text`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from pipeline.understand.classify import TitleHit
from pipeline.understand.extract.base import NAME_TOKEN_RE, Field, conf_of, has_marks, nonempty, vietnamese_word
from pipeline.vn.codes import (
    Match,
    find_mrz_personal_id,
    find_personal_ids,
)
from pipeline.vn.lexicon import (
    restore_family_name,
)
from pipeline.vn.ocrfix import is_syllable
from pipeline.vn.text import clean_spacing, fold, is_upper_line

# Classes whose person blocks are read (see the module's docstring for who the citizen is in each).
PERSONAL = frozenset(
    {
        "to_khai",
        "don",
        "giay_khai_sinh",
        "trich_luc_ho_tich",
        "xac_nhan_tthn",
        "giay_chung_sinh",
        "giay_bao_tu",
        "can_cuoc",
        "phieu_mot_cua",
        "bien_lai",
        "ban_sao_chung_thuc",
        "gcn_ho_kinh_doanh",
        "giay_uy_quyen",
        "gcn_ket_hon",
        "hop_dong",
        "khac",
    }
)

# Results addressed to one citizen in running text ("… cho hộ ông Lê Văn Bình, Số định danh cá
# nhân: …"): the person named together with an identifier is the one the document is about.
SUBJECT_IN_TEXT = frozenset({"quyet_dinh", "giay_phep_xay_dung", "gcn_qsdd"})


@dataclass(frozen=True)
class Party:
    """A person a document names besides its citizen: the role as printed, name and identifier."""

    role: str
    ho_ten: str
    so_dinh_danh: str | None
    confidence: float


# --- kinds of person blocks -----------------------------------------------------------------------------
# subject (no qualifier), applicant, submitter, owner, payer, mother, father, wife, husband, deceased,
# principal, agent, registrant, other
_QUALIFIERS: list[tuple[str, str]] = [
    (r"(?:cua\s+)?nguoi\s+(?:yeu cau|khai|lam don|de nghi|viet don|khieu nai|to cao|kien nghi|phan anh|khoi kien)"
     r"(?:\s+dang ky(?:\s+\w+){0,2})?", "applicant"),
    (r"(?:cua\s+)?nguoi\s+di\s+dang ky(?:\s+khai sinh|\s+khai tu|\s+ket hon)?", "registrant"),
    (r"(?:cua\s+)?nguoi\s+duoc\s+(?:dang ky|cap|khai sinh)(?:\s+khai sinh)?", "subject"),
    (r"(?:cua\s+)?nguoi\s+duoc\s+uy quyen", "agent"),
    (r"(?:cua\s+)?nguoi\s+uy quyen", "principal"),
    (r"(?:cua\s+)?(?:nguoi\s+)?(?:da\s+)?chet", "deceased"),
    (r"(?:cua\s+)?nguoi\s+nop(?:\s+ho so|\s+tien)?", "submitter"),
    (r"(?:cua\s+)?(?:nguoi\s+)?me(?:\s*/\s*nguoi\s+(?:nuoi duong|giam ho))?", "mother"),
    (r"(?:cua\s+)?(?:nguoi\s+)?cha", "father"),
    (r"(?:cua\s+)?vo\s*\(\s*chong\s*\)", "other"),
    (r"(?:cua\s+)?(?:nguoi\s+)?vo", "wife"),
    (r"(?:cua\s+)?(?:nguoi\s+)?chong", "husband"),
    (r"(?:cua\s+)?(?:nguoi\s+)?(?:ddhp|dai dien(?:\s+hop phap)?)", "other"),
    (r"(?:cua\s+)?chu ho(?:\s+kinh doanh)", "owner"),
    (r"(?:cua\s+)?chu ho", "head"),
    (r"goi khac(?:\s*\(neu co\))?", "alias"),
    (r"khai sinh", "subject"),
]
# "Họ. chữ đệm": a comma read as a dot; "Họ và ¡ tên": a speck read as a mark between the words
_NAME_WORDS = r"(?:ho[,.]?\s*chu dem[,.]?\s*(?:va\s*)?ten|ho\s*(?:va|,)?\s*(?:[^\w\s]\s*)?ten)"
_NOTE = r"(?:\s*\((?:\d|\*|[a-z])\))?(?:\s*\((?:(?:viet|ghi bang)\s+)?chu? in hoa\))?(?:\s*/\s*full name)?"
_NAME_LABEL_RE = re.compile(
    rf"(?<![\w])(?P<label>{_NAME_WORDS})(?P<q>\s+(?:{'|'.join(q for q, _ in _QUALIFIERS)}))?(?:\b|(?<=\))){_NOTE}"
    r"(?P<sep>\s*[:;]|(?=\s+\S)|\s*$)"
    r"|(?<![\w])full name\s*:"
)
_QUALIFIER_KIND = [(re.compile(rf"\s+{q}$"), kind) for q, kind in _QUALIFIERS]

# Labels naming a person by role, the name after a colon.
_ROLE_LABELS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\btiep nhan ho so(?:\s*/\s*yeu cau)?\s+cua(?:\s+(?:ong|ba)(?:\s*(?:\(\s*ba\s*\)|/\s*ba))?)?\s*:"),
     "applicant"),
    (re.compile(r"\b(?:ten\s+)?(?:don vi hoac\s+)?nguoi nop tien\s*:"), "payer"),
    (re.compile(r"(?<!dia chi )\bchu ho so\s*:?"), "owner"),
    (re.compile(r"\bnguoi nop(?:\s+ho so)?\s*:"), "submitter"),
    (re.compile(r"\b(?:ten toi la|toi ten la|toi ten|toi la)\s*:|^\W*(?:ten toi la|toi ten la)\b"), "applicant"),
    (re.compile(r"\bnguoi (?:yeu cau|lam don|de nghi|khoi kien|viet don|khai|khieu nai|to cao|kien nghi|phan anh)\s*:"),
     "applicant"),
    (re.compile(r"\bnguoi bi kien\s*:"), "other"),
    (re.compile(r"\bnguoi di dang ky(?:\s+khai sinh|\s+khai tu|\s+ket hon)?\s*:"), "registrant"),
    (re.compile(r"\bxet de nghi cua\s+(?:ong|ba)(?:\s*/\s*(?:ong|ba))?\s*:?"), "applicant"),
    (re.compile(r"\bten (?:vo|chong)\s*:"), "spouse"),
    (re.compile(r"^\W*(?:ben|nguoi) chong\s*:"), "husband"),  # "NGƯỜI CHỒNG: ÔNG …" of a spouses' agreement
    (re.compile(r"^\W*(?:ben|nguoi) vo\s*:"), "wife"),
    (re.compile(r"\bco vo hoac chong la\s*:?"), "other"),
    (re.compile(r"\bchu ho kinh doanh\s*:"), "owner"),
    (re.compile(r"\bchu ho(?:\s+noi den|\s+noi tam tru)?\s*:"), "head"),
    (re.compile(r"^\W*(?:\d{1,2}\s*[.)]\s*)?(?:duoc\s+)?(?:cap\s+)?cho\s*:"), "holder"),
    (re.compile(r"\b(?:ben|nguoi) duoc uy quyen(?:\s*\(\s*ben [ab]\s*\))?\s*:"), "agent"),
    (re.compile(r"\b(?:ben|nguoi) uy quyen(?:\s*\(\s*ben [ab]\s*\))?\s*:"), "principal"),
    (re.compile(r"\bben a\s*\(\s*ben uy quyen\s*\)\s*:"), "principal"),
    (re.compile(r"\bben b\s*\(\s*ben duoc uy quyen\s*\)\s*:"), "agent"),
    (re.compile(r"^\W*ben [ab](?:\s*\([^)]{3,30}\))?\s*:"), "other"),
]
# Labels that name the person of the block a heading opened ("Ông/Bà: …" under "Bên ủy quyền").
_FILL_LABEL_RE = re.compile(
    r"(?<![\w/])(?:ong\s*(?:/|\()\s*ba\)?|ba\s*/\s*ong|ten co dong|ten to chuc\s*/\s*ca nhan)\s*:"
)
# Headings that open a person block; its name follows on a later line.
_HEAD_END = r"\)?\s*[:.]?(?:\s*\([^)]*\))?$"  # "2. Bên được uỷ quyền. (vui lòng đánh dấu …)"
_HEADINGS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:thong tin (?:cua )?)?nguoi duoc (?:dang ky )?khai sinh\b"), "subject"),
    (re.compile(r"^(?:thong tin (?:cua )?)?nguoi (?:da )?chet\b"), "deceased"),
    (re.compile(r"^thong tin (?:cua )?cha$"), "father"),
    (re.compile(r"^thong tin (?:cua )?me$"), "mother"),
    (re.compile(r"^nguoi yeu cau(?: dang ky)?$"), "applicant"),
    (re.compile(r"^(?:ben|nguoi) nam$"), "husband"),
    (re.compile(r"^(?:ben|nguoi) nu$"), "wife"),
    (re.compile(r"^(?:thong tin )?nguoi chong$"), "husband"),
    (re.compile(r"^(?:thong tin )?nguoi vo$"), "wife"),
    (re.compile(rf"^(?:ben a\s*\(\s*)?(?:ben|nguoi) uy quyen(?:\s*\(\s*ben a\s*\))?{_HEAD_END}"), "principal"),
    (re.compile(rf"^(?:ben b\s*\(\s*)?(?:ben|nguoi) duoc uy quyen(?:\s*\(\s*ben b\s*\))?{_HEAD_END}"), "agent"),
    (re.compile(r"^de nghi\b.{0,80}\bcho nguoi (?:co ten |co thong tin )?(?:duoi day|sau day)\b"), "subject"),
    (re.compile(r"^xac nhan\s*:$"), "subject"),
    (re.compile(r"^nguoi (?:tra ket qua|tiep nhan(?: ho so)?|huong dan)\s*:?$"), "official"),
    (re.compile(r"^nguoi nhan ket qua\s*:?$"), "receiver"),
    # a witness's block is nobody's the paper is about ("BÊN LÀM CHỨNG (NẾU CÓ)" / "Họ và tên: …")
    (re.compile(rf"^(?:ben|nguoi) lam chung{_HEAD_END}"), "witness"),
    (re.compile(rf"^{_NAME_WORDS}\s+nguoi yeu cau\s*:?$"), "applicant"),
]
_HEADING_NUMBER_RE = re.compile(r"^\W*(?:[ivx]+|\d{1,2})\s*[.:)/]\s*|^\W*[-–+•]\s*")

_NAME_END_RE = re.compile(
    r"\s{3,}|\t|[;,(\[{«]|\.{2,}|…|_{2,}|\s[-–]\s|\s/\s"
    r"|\s\d{1,2}\s*[.)]\s+\S"  # the next numbered field on the name's line ("Lò Văn Sơn 8. Mối quan hệ …")
    r"|\b(gioi tinh|ngay,? thang|ngay sinh|sinh ngay|sinh nam|nam sinh|dan toc|quoc tich|so dinh danh|"
    r"cccd|cmnd|noi (sinh|cu tru|thuong tru|o)|thuong tru|dia chi|sex|date of birth|quan he|nghe nghiep|"
    r"mssv|dien thoai|chuc vu|ma so|ve viec|trong thoi gian|la nguoi|nam\s*/\s*nu)\b"
)
_HONORIFIC_RE = re.compile(r"^(ong\s*/\s*ba|ong\s*\(\s*ba\s*\)|ong|ba|anh|chi|cong dan|cu|em|chau)\b\.?\s*:?\s*",
                           re.IGNORECASE)
# Words that are never part of a personal name: a label or an institution read where a name should be.
# Matched with their marks ("Trường" is a school, "Trương" a family name; "Tháng" a month, "Thắng" a name).
_NOT_NAME_RE = re.compile(
    r"(?<!\w)(ủy ban|uỷ ban|nhân dân|công ty|trường|bệnh viện|trạm|trung tâm|phòng|sở|bộ phận|việt nam|xã|"
    r"phường|tỉnh|huyện|thành phố|thôn|tổ dân phố|căn cước|chứng minh|hộ chiếu|giấy|địa chỉ|ngày|tháng|"
    r"năm sinh|bên|người|họ tên|chủ hộ|thông tin|giới tính|dân tộc|quốc tịch|nơi|của|được|ủy quyền|uỷ quyền|"
    r"cộng hòa|cộng hoà|độc lập|kính gửi|số|mã)(?!\w)"
)
_ID_LINE_RE = re.compile(
    r"\b(so dinh danh|dinh danh ca nhan|(?:so)?cccd|(?:so)?cmnd|can cuoc|giay to tuy than|chung minh nhan dan|"
    r"giay to phap ly|ho chieu|dddcn|ddcn|personal identification|so\s*/\s*no)\b"
)
_OTHERS_ID_RE = re.compile(r"^\W*(cua|of)\s+(me|cha|vo|chong|nguoi|chu ho)\b")
_BOX_SEPARATORS_RE = re.compile(r"(?<=\d)\s*[|\[\]!]\s*(?=\d)")
_MIDDLE_NAMES = frozenset(fold(w) for w in ("Văn", "Thị", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Thanh", "Công",
                                             "Bá", "Đình", "Ngọc", "Trọng", "Thế", "Hoàng", "Kim", "Thu", "Hồng"))


@dataclass
class _Block:
    kind: str
    role: str  # as printed
    line: int
    name: tuple[str, float] | None = None
    ident: Match | None = None
    ident_line: int | None = None
    heading: bool = False
    members: list[str] = field(default_factory=list)  # kinds a heading gives the blocks under it


# --- a personal name ------------------------------------------------------------------------------------
def _person_name(value: str) -> tuple[str, bool] | None:
    """A personal name as printed (capitals made Title-case), family name restored; or None."""
    value = clean_spacing(value).strip(" .:-")
    hm = _HONORIFIC_RE.match(fold(value))
    if hm:
        value = value[hm.end() :].strip(" .:")
    tokens = value.split()
    if not 2 <= len(tokens) <= 6 or not all(NAME_TOKEN_RE.match(t) and t[0].isupper() and vietnamese_word(t)
                                            for t in tokens):
        return None
    if not (value.isupper() or all(t[1:].islower() or len(t) == 1 for t in tokens[1:])):
        return None  # "Nguyễn VĂn A": mixed case inside words is OCR garbage
    if not (value.isupper() or tokens[0][1:].islower() or tokens[0].isupper() or len(tokens[0]) == 1):
        return None  # "NGUYỄN Văn An": the family name in capitals is a way of writing names; "NGuyễn" is not
    if _NOT_NAME_RE.search(value.lower()):
        return None
    name = value.title() if value.isupper() else value
    first, *rest = name.split()
    first = first.title()
    repaired = False
    if has_marks(name):
        restored = restore_family_name(first)
        if restored is not None:
            first, repaired = restored
    return " ".join([first, *rest]), repaired


_LETTERS = frozenset({"Lu", "Ll", "Lt", "Lo", "Nd"})  # not "Lm": "ˆ" is a modifier letter to \w


def _name_value(lines: list[str], i: int, start: int, *, next_line: bool = True) -> tuple[str, float] | None:
    """The name printed after a label ending at ``start`` of line ``i`` (or alone on the next line)."""
    value = lines[i][start:]
    if not re.sub(r"[\W_]", "", value) and next_line:
        nxt = nonempty(lines, i + 1)[:1]
        if not nxt or nxt[0] - i > 2:
            return None
        value = lines[nxt[0]]
        if _NAME_LABEL_RE.search(fold(value)) or _ID_LINE_RE.search(fold(value)):
            return None  # the next line is another label: this one was left blank
    m = _NAME_END_RE.search(fold(value))
    # "Phan Thanh [âm": a bracket glued to a word and never closed is OCR's reading of a letter, not a note
    # ("(bưu chính)"); the name is cut
    cut_in_word = m is not None and re.match(r"\([^\W\d_][^)]*$|\[[^\W\d_][^\]]*$|\{[^\W\d_][^}]*$",
                                             value[m.start() :]) is not None
    if m:
        value = value[: m.start()]
    # specks read as marks ("ˆ", "`"): a token with no letter or digit
    value = " ".join(t for t in value.split() if any(unicodedata.category(c) in _LETTERS for c in t))
    found = _person_name(value)
    tokens = value.split()
    caps = next((k for k, t in enumerate(tokens) if not t.isupper()), len(tokens))
    if found is None and 2 <= caps < len(tokens) and tokens[caps].islower():
        # "NGUYÊN XUÂN HƯNG và": a name in capitals, then a speck read as a word; what it hides is doubtful
        found, cut_in_word = _person_name(" ".join(tokens[:caps])), True
    if found is None:
        return None
    name, repaired = found
    conf = 0.85 if not cut_in_word else 0.5
    if not has_marks(name):
        conf -= 0.1  # no marks at all: OCR probably lost them
    if repaired:
        conf -= 0.1
    elif restore_family_name(name.split()[0]) is None:
        conf -= 0.1  # not a family name we know: may still be one (minorities), or a misread
    return name, round(conf, 3)


def _split_two(value: str) -> tuple[str, str] | None:
    """Two names on one row of a two-column table ("LÊ THỊ MAI TRẦN VĂN NAM"): cut where the second
    family name starts; of several possible cuts, the one followed by a usual middle name."""
    m = _NAME_END_RE.search(fold(value))
    tokens = (value[: m.start()] if m else value).split()
    cuts = []
    for k in range(2, len(tokens) - 1):
        left, right = " ".join(tokens[:k]), " ".join(tokens[k:])
        if not (2 <= k <= 5 and 2 <= len(tokens) - k <= 5):
            continue
        if restore_family_name(tokens[k]) is None or _person_name(left) is None or _person_name(right) is None:
            continue
        score = (fold(tokens[k + 1]) in _MIDDLE_NAMES) * 2 + (k == 3) + (len(tokens) - k == 3)
        cuts.append((score, left, right))
    if not cuts:
        return None
    cuts.sort(reverse=True)
    if len(cuts) > 1 and cuts[0][0] == cuts[1][0]:
        return None
    return cuts[0][1], cuts[0][2]


# --- the blocks of a form -------------------------------------------------------------------------------
def _heading(line: str) -> tuple[str, str] | None:
    """(kind, role as printed) when the line is a heading that opens a person block."""
    stripped = line.strip()
    if not stripped or len(stripped.split()) > 16:
        return None
    folded = fold(stripped)
    num = _HEADING_NUMBER_RE.match(folded)
    body = folded[num.end() :] if num else folded
    body = body.strip()
    for rx, kind in _HEADINGS:
        if rx.search(body):
            printed = stripped[len(folded) - len(folded.lstrip()) :][num.end() if num else 0 :].strip(" :.")
            printed = re.sub(r"(?i)^th[oô]ng tin (c[uủ]a )?", "", printed).strip(" :.")
            printed = re.sub(r"[.:]?\s*\((?!\s*b[eê]n [ab]\b)[^)]*\)\s*$", "", printed,
                             flags=re.IGNORECASE).strip(" :.")
            return kind, printed
    return None


_KIN_PRINTED = frozenset({"vợ", "chồng", "mẹ", "cha", "vợ (chồng)"})


def _printed_kin(role: str, kind: str) -> bool:
    """A bare kin qualifier ("tên mẹ", "tên vợ") is one only as printed, marks and all: folded, "vo" is
    also the family name Võ and "me" the given name Mê."""
    if kind not in ("mother", "father", "wife", "husband") or re.match(r"(?i)(của|người)\s", role):
        return True
    return role.lower().split("/")[0].strip() in _KIN_PRINTED  # "mẹ/Người nuôi dưỡng"


def _label_kind(q: str | None) -> str:
    if not q:
        return "subject"
    for rx, kind in _QUALIFIER_KIND:
        if rx.search(q):
            return kind
    return "subject"


def _ids_in(text: str, today: date) -> list[Match]:
    if len(_BOX_SEPARATORS_RE.findall(text)) >= 6:
        text = re.sub(r"[|\[\]!]", " ", text)  # a row of boxes, one digit each: the rules are no digits
    return find_personal_ids(_BOX_SEPARATORS_RE.sub(" ", text), today=today)


def _blocks(lines: list[str], today: date) -> list[_Block]:
    blocks: list[_Block] = []
    header: tuple[str, str] | None = None  # a table's column heads: "Bên nữ | Bên nam"
    pair: list[_Block] | None = None  # the two people of a two-column table, in its order
    deferred: list[_Block] = []  # blocks whose name label was blank: their names come as a column later
    column_block: _Block | None = None  # the last block named so
    for i, line in enumerate(lines):
        if line == "\f" or not line.strip():
            continue
        folded = fold(line)
        head = _heading(line)
        if head is not None:
            kind, printed = head
            blocks.append(_Block(kind, printed, i, heading=True))
            continue
        if re.search(r"\bben nu\b.*\bben nam\b|\bben nam\b.*\bben nu\b|\bchong\b.*\bvo\b|\bvo\b.*\bchong\b", folded) \
                and not _NAME_LABEL_RE.search(folded) and (len(folded.split()) <= 5 or (
                    "thong tin" in folded and len(folded.split()) <= 10) or re.search(r"\bben n[uaư]", folded)):
            cols = re.findall(r"\b(ben nu|ben nam|chong|vo)\b", folded)
            kinds = ["wife" if c in ("ben nu", "vo") else "husband" for c in cols]
            if len(kinds) == 2 and kinds[0] != kinds[1]:
                header = (kinds[0], kinds[1])
            continue
        events: list[tuple[int, int, str, str, str]] = []  # (start, end, kind, role printed, type)
        for m in _NAME_LABEL_RE.finditer(folded):
            if m.group("label") is None:  # "Full name:"
                events.append((m.start(), m.end(), "subject", "", "name"))
                continue
            q = m.group("q")
            kind = _label_kind(q)
            role = line[m.start("q") : m.end("q")].strip() if q else ""
            end = m.end()
            if q and not _printed_kin(role, kind):
                # "Họ, chữ đệm, tên VÕ VĂN PHONG": the family name Võ, not the qualifier vợ
                kind, role, end = "subject", "", m.start("q")
            table_row = not (m.group("sep") or "").strip() or end != m.end()
            events.append((m.start(), end, kind, role, "row" if table_row else "name"))
        for rx, kind in _ROLE_LABELS:
            for m in rx.finditer(folded):
                if any(s <= m.start() < e for s, e, *_ in events):
                    continue
                role = line[m.start() : m.end()].strip(" :")
                events.append((m.start(), m.end(), kind, role, "role"))
        for m in _FILL_LABEL_RE.finditer(folded):
            if not any(s <= m.start() < e for s, e, *_ in events):
                events.append((m.start(), m.end(), "fill", line[m.start() : m.end()].strip(" :"), "fill"))
        events.sort()
        for start, end, kind, role, typ in events:
            if kind == "alias":
                continue
            if typ == "row":
                # "Họ, chữ đệm, tên  LÊ THỊ MAI  TRẦN VĂN NAM": a two-column table of two people
                two = _split_two(line[end:]) if header else None
                if two is not None and header is not None:
                    made = []
                    for (k, n) in zip(header, two, strict=True):
                        found = _person_name(n)
                        if found:
                            made.append(_Block(k, "Bên nữ" if k == "wife" else "Bên nam", i, name=(found[0], 0.6)))
                    blocks += made
                    pair = made if len(made) == 2 else None
                    continue
                if not re.sub(r"[\W_]", "", line[end:]):
                    # the table read column by column: the heads ("Thông tin người chồng", "… người vợ")
                    # were headings, the names follow the label one per line
                    filled = _fill_from_lines(blocks, lines, i)
                    if filled:
                        pair = filled if len(filled) == 2 else None
                        continue
                named = _name_value(lines, i, end, next_line=False)
                if named is None:
                    continue
            else:
                named = _name_value(lines, i, end)
            open_heading = blocks[-1] if blocks and blocks[-1].heading and blocks[-1].name is None else None
            if kind in ("subject", "fill") and open_heading is not None and i - open_heading.line <= 4:
                open_heading.name = named
                if named is None and open_heading not in deferred:
                    deferred.append(open_heading)  # a table read column by column: its values come later
                continue
            if kind == "fill":
                kind = "other"
            if kind == "spouse" and blocks and blocks[-1].kind == "applicant" and blocks[-1].heading \
                    and blocks[-1].name is None:
                blocks[-1].name = named  # "Họ tên người yêu cầu:" / "1. Tên vợ: …": co-applicants
                blocks[-1].role = role
                continue
            if kind == "spouse" and blocks and any(b.kind == "applicant" and b.role.lower().startswith("tên")
                                                   for b in blocks):
                kind = "applicant"  # the second co-applicant
            elif kind == "spouse":
                kind = "other"
            # a role label with nothing after it ("I. Người ủy quyền:") heads the block the next
            # unqualified "Họ và tên: …" names
            opens = named is None and typ == "role" and folded[:end].rstrip().endswith(":")
            blocks.append(_Block(kind, role or (lines[i][start:end].strip(" :") if typ == "name" else role), i,
                                 name=named, heading=opens))
        if not events and deferred is not None:
            value = _alone(line, today)
            # the values of a table read column by column come right after its labels: once a later
            # block is named, a name alone below (the signature row "Phan Thanh Khánh Hồ Thùy Hằng") is
            # not one of them
            if isinstance(value, tuple) and deferred and not any(
                    b.name is not None and b.line > deferred[0].line for b in blocks):
                column_block = deferred.pop(0)  # the next name of a table read column by column
                column_block.name = (value[0], 0.7)
                continue
            if isinstance(value, Match) and column_block is not None and column_block.ident is None:
                column_block.ident, column_block.ident_line = value, i
                continue
        # identifiers on this line belong to the block it is part of
        idm = _ID_LINE_RE.search(folded)
        if idm is None:
            continue
        tail = line[idm.start() :]
        if _OTHERS_ID_RE.match(fold(line[idm.end() :])):
            owner_kind = re.match(r"^\W*(?:cua|of)\s+(\w+)", fold(line[idm.end() :]))
            target_kind = {"me": "mother", "cha": "father", "vo": "wife", "chong": "husband", "chu": "head"}.get(
                owner_kind.group(1) if owner_kind else "", "other")
            target = next((b for b in reversed(blocks) if b.kind == target_kind), None)
            ids = _ids_in(tail, today)
            if target is not None and target.ident is None and len(ids) == 1:
                target.ident, target.ident_line = ids[0], i
            continue
        ids = _ids_in(tail, today)
        if not ids and not re.search(r"\d{4}", tail):
            nxt = nonempty(lines, i + 1)[:1]
            if nxt and nxt[0] - i <= 2 and not _NAME_LABEL_RE.search(fold(lines[nxt[0]])):
                ids = _ids_in(lines[nxt[0]], today)
        if pair is not None and blocks[-2:] == pair and all(b.ident is None for b in pair):
            # a pair's row of numbers (two, in the pair's order, on this line or the next ones); one
            # number alone cannot be told to be either's
            ids = _ids_in(tail, today)
            for row_no in nonempty(lines, i + 1)[:2]:
                if len(ids) >= 2 or _NAME_LABEL_RE.search(fold(lines[row_no])):
                    break
                ids += _ids_in(lines[row_no], today)
            if len(ids) == 2:
                for b, ident in zip(pair, ids, strict=True):
                    b.ident, b.ident_line = ident, i
            continue
        if len(ids) != 1 or len(re.findall(r"\d[\d .|]{7,}\d", tail)) > 1:
            continue  # two numbers in one row (a table of two people, one maybe garbled): not one person's
        if not blocks:
            continue
        owner = blocks[-1]
        if owner.ident is None and i - owner.line <= 14:
            owner.ident, owner.ident_line = ids[0], i
    return _merged(blocks)


def _alone(line: str, today: date) -> tuple[str, bool] | Match | None:
    """A line holding nothing but a personal name, or nothing but one identifier (a table's column)."""
    stripped = line.strip(" .:;|-_")
    if not stripped:
        return None
    ids = _ids_in(stripped, today)
    if len(ids) == 1 and not re.sub(r"[\d\s.|]", "", stripped):
        return ids[0]
    if len(stripped.split()) <= 6 and not re.search(r"[\d:,;()]", stripped):
        return _person_name(stripped)
    return None


def _fill_from_lines(blocks: list[_Block], lines: list[str], i: int) -> list[_Block]:
    """Name the open (unnamed) heading blocks from the lines after a bare label, one name per line."""
    open_blocks: list[_Block] = []
    for b in reversed(blocks[-2:]):
        if not (b.heading and b.name is None and i - b.line <= 6):
            break
        open_blocks.insert(0, b)
    if not open_blocks:
        return []
    rows = nonempty(lines, i + 1)[: len(open_blocks)]
    names = []
    for k in rows:
        m = _NAME_END_RE.search(fold(lines[k]))
        found = _person_name(lines[k][: m.start()] if m else lines[k])
        if found is None:
            return []
        names.append(found[0])
    if len(names) != len(open_blocks):
        return []
    for b, n in zip(open_blocks, names, strict=True):
        b.name = (n, 0.7)
    return open_blocks


def _merged(blocks: list[_Block]) -> list[_Block]:
    """One person named twice (the applicant who is also the subject, a slip's owner who submitted it)
    is one block, with the identifier of either."""
    out: list[_Block] = []
    for b in blocks:
        same = next((o for o in out if b.name and o.name and fold(o.name[0]) == fold(b.name[0])), None)
        if same is not None:
            if same.ident is None and b.ident is not None:
                same.ident, same.ident_line = b.ident, b.ident_line
            same.members.append(b.kind)
            continue
        out.append(b)
    return out


# --- the citizen ----------------------------------------------------------------------------------------
def _title_words(titles: list[TitleHit], doc_type: str, lines: list[str]) -> str:
    own = [t for t in titles if t.doc_type == doc_type]
    if own:
        return fold(own[0].line)
    return fold(" ".join(lines[i] for i in nonempty(lines)[:12] if is_upper_line(lines[i])))


def _citizen_kinds(doc_type: str, title: str) -> list[str]:
    """The kinds of block that may be the citizen, in order of preference (empty: no citizen)."""
    marriage = bool(re.search(r"\bket hon\b", title)) and "tinh trang hon nhan" not in title
    if doc_type == "gcn_ket_hon" or doc_type == "hop_dong" or (doc_type in ("to_khai", "trich_luc_ho_tich")
                                                                 and marriage):
        return []
    if doc_type in ("to_khai", "trich_luc_ho_tich") and re.search(r"\bkhai tu\b", title):
        return ["deceased", "subject"]
    if doc_type == "giay_bao_tu":
        return ["deceased", "subject"]
    if doc_type == "giay_chung_sinh":
        return ["mother"]
    if doc_type == "giay_uy_quyen":
        return ["principal"]
    if doc_type == "don":
        return ["applicant", "subject"]
    if doc_type == "phieu_mot_cua":
        return ["owner", "applicant", "submitter", "receiver", "subject"]
    if doc_type == "bien_lai":
        return ["payer", "submitter", "subject"]
    if doc_type in ("to_khai", "xac_nhan_tthn"):
        return ["subject", "applicant"]
    if doc_type == "gcn_ho_kinh_doanh":
        return ["owner", "subject"]
    if doc_type == "ban_sao_chung_thuc":
        return ["subject", "holder", "head"]
    return ["subject"]


def read_people(lines: list[str], doc_type: str, titles: list[TitleHit], today: date
                ) -> tuple[dict[str, Field], list[Party]]:
    """The citizen's ``ho_ten`` and ``so_dinh_danh`` and the document's other people."""
    blocks = [b for b in _blocks(lines, today) if b.name is not None or b.ident is not None]
    title = _title_words(titles, doc_type, lines)
    citizen: _Block | None = None
    for kind in _citizen_kinds(doc_type, title):
        # a block whose name OCR garbled is still the citizen's: its identifier is read, and no other
        # person is taken in its place
        found = sorted((b for b in blocks if b.kind == kind or kind in b.members), key=lambda b: b.name is None)
        if found:
            citizen = found[0]
            break
    out: dict[str, Field] = {}
    if citizen is not None:
        if citizen.name is not None:
            out["ho_ten"] = Field(*_as_spelled_elsewhere(*citizen.name, lines, citizen.line))
        if citizen.ident is not None:
            conf = conf_of(0.9, citizen.ident.repaired)
            if not _born_as_numbered(citizen.ident.value, _block_lines(lines, citizen)):
                conf = min(conf, 0.5)
            out["so_dinh_danh"] = Field(citizen.ident.value, conf)
    if doc_type == "ban_sao_chung_thuc" and not out:
        out.update(subject_in_text(lines, today) or _household(lines))  # the copy of a decision about one citizen
    if doc_type == "can_cuoc" and "so_dinh_danh" not in out:
        # the card's machine-readable zone repeats the number under a check digit; its number may be
        # printed above the name ("Số / No.: …" then "Họ và tên / Full name:")
        text = "\n".join(lines)
        mrz = find_mrz_personal_id(text, today=today)
        ids = find_personal_ids(text, today=today)
        if mrz is not None:
            out["so_dinh_danh"] = Field(mrz.value, conf_of(0.85, mrz.repaired))
        elif len({m.value for m in ids}) == 1:
            conf = conf_of(0.75, ids[0].repaired)
            out["so_dinh_danh"] = Field(ids[0].value, conf if _born_as_numbered(ids[0].value, lines) else 0.5)
    if doc_type == "can_cuoc" and citizen is not None and "ho_ten" in out:
        out["ho_ten"] = _checked_by_mrz(out["ho_ten"], lines, citizen.line)
    parties = []
    for b in blocks:
        if b is citizen or b.name is None:
            continue
        ident = b.ident.value if b.ident is not None else None
        conf = b.name[1] if b.ident is None else min(b.name[1], conf_of(0.9, b.ident.repaired))
        parties.append(Party(_role_label(b), b.name[0], ident, round(conf, 3)))
    return out, parties


# "Ngày, tháng, năm sinh: 03/12/1960", "Sinh ngày: 5/4/1950", "Năm sinh: 1986", "Date of birth: …"
_BIRTH_RE = re.compile(r"\b(?:nam sinh|sinh nam|sinh ngay|ngay sinh|date of birth)\b\D{0,12}?"
                       r"(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*)?((?:19|20)\d\d)(?!\d)")


def _block_lines(lines: list[str], b: _Block) -> list[str]:
    """The lines of a person's block: from its label (or its identifier, printed above it) to the next
    person's label or heading, at most ten."""
    start = min(b.line, b.ident_line if b.ident_line is not None else b.line)
    own_label = b.heading  # a heading's name comes on a later line, under its own label
    for i in range(b.line + 1, min(b.line + 10, len(lines))):
        folded = fold(lines[i])
        if _heading(lines[i]) is not None or _NAME_LABEL_RE.search(folded) or any(
                rx.search(folded) for rx, _ in _ROLE_LABELS):
            if own_label:
                own_label = False
                continue
            return lines[start:i]
    return lines[start : b.line + 10]


def _born_as_numbered(ident: str, lines: list[str]) -> bool:
    """Whether the birth years printed in these lines (the person's block) agree with the one the
    identifier encodes (its 4th digit the century, the 5th and 6th the year): "năm sinh: 1986" next to
    "038166617018" means one of the two was misread."""
    year = (1900 if int(ident[3]) < 2 else 2000) + int(ident[4:6])
    printed = {int(m.group(1)) for line in lines for m in _BIRTH_RE.finditer(fold(line))}
    return not printed or year in printed


# The name line of an identity card's machine-readable zone: "NGUYEN<<KHANH<THUY<LINH<<<<<<<"
_MRZ_NAME_RE = re.compile(r"[^A-Z<]{0,2}([A-Z]{1,12})<<([A-Z]{1,12}(?:<[A-Z]{1,12}){0,4})<{3,}\W*")


def _checked_by_mrz(name: Field, lines: list[str], line: int) -> Field:
    """A card's name against the one its machine-readable zone spells without marks: the line the
    card wrapped ("NGUYỄN KHÁNH THÙY" / "LINH") is joined; a name the zone does not spell is doubted."""
    mrz = None
    for text in lines:
        m = _MRZ_NAME_RE.fullmatch(text.replace(" ", ""))
        if m is not None:
            mrz = [m.group(1).lower(), *m.group(2).lower().split("<")]
    if mrz is None:
        return name
    read = fold(name.value).split()
    if len(mrz) == len(read):
        return name  # the same words: a letter the zone's OCR changed ("MTNH" for "MINH") is no doubt
    if len(mrz) < len(read) or mrz[: len(read)] != read:
        return Field(name.value, min(name.confidence, 0.5))
    at = next((i for i in range(line, min(line + 3, len(lines))) if fold(name.value) in fold(lines[i])), None)
    nxt = nonempty(lines, at + 1)[:1] if at is not None else []
    words = lines[nxt[0]].split() if nxt else []
    if [fold(w) for w in words] == mrz[len(read) :] and all(is_syllable(w) for w in words):
        return Field(" ".join([name.value, *(w[:1].upper() + w[1:].lower() for w in words)]), name.confidence)
    return Field(name.value, min(name.confidence, 0.5))


def _as_spelled_elsewhere(name: str, conf: float, lines: list[str], line: int) -> tuple[str, float]:
    """The citizen's name checked against the other places the document prints it (the signature, a
    certification): read with other marks there ("LÝ MỸ HÀNG" over the signature "Lý Mỹ Hằng"), one of the
    two is misread and the name goes to review; read there with marks it lost here, it is taken so."""
    target = fold(name).split()
    own = {line, *nonempty(lines, line + 1)[:1]}  # the lines the name was read from
    spellings: set[str] = set()
    for i, text in enumerate(lines):
        if i in own or text == "\f":
            continue
        words = [w.strip(".,;:()[]\"'") for w in text.split()]
        for k in range(len(words) - len(target) + 1):
            window = words[k : k + len(target)]
            if [fold(w) for w in window] != target or not all(is_syllable(w) for w in window):
                continue
            first = restore_family_name(window[0])
            spelled = [first[0] if first else window[0], *window[1:]]
            # a word read there without marks tells nothing ("Nguyen Van An" under "Nguyễn Văn An")
            if any(has_marks(w) and w.lower() != m.lower() for w, m in zip(spelled, name.split(), strict=True)):
                spellings.add(" ".join(w[:1].upper() + w[1:].lower() for w in spelled))
    if not spellings:
        return name, conf
    if not has_marks(name) and len(spellings) == 1:
        return spellings.pop(), max(conf, 0.75)
    return name, min(conf, 0.5)


def _role_label(b: _Block) -> str:
    role = clean_spacing(b.role).strip(" :.")
    if role:
        return role[:1].upper() + role[1:]
    return {"subject": "Họ, chữ đệm, tên", "other": "Người có tên"}.get(b.kind, b.kind)


# --- a citizen named in running text --------------------------------------------------------------------
# "Số định danh cá nhân: …", "CCCD số …", "số CMND: …", "Căn cước công dân số …" in running text
_ID_IN_TEXT = (r"(?:so dinh danh ca nhan|(?:so\s+)?(?:cccd|cmnd|can cuoc cong dan|the can cuoc|can cuoc)"
               r"(?:\s+so)?)\s*:?\s*")
_NAMED_WITH_ID_RE = re.compile(
    r"\b(ong|ba)\b\s*:?\s+(?P<name>(?:\S+\s+){1,5}?\S+?)\s*[,;]\s*"
    rf"(?:(?:sinh ngay|nam sinh|sinh nam)\s*:?\s*[^,;]{{1,12}}[,;]\s*)?{_ID_IN_TEXT}"
)
# "1. Cấp cho: Ông Võ Văn Lộc" (a permit's grantee, on a line of its own)
_GRANTEE_RE = re.compile(r"^\W*(?:\d{1,2}\s*[.)]\s*)?(?:duoc\s+)?cap cho\s*:")
# "… giao đất ở cho hộ bà Nguyễn Thị Châu." (a decision about one household)
_HOUSEHOLD_RE = re.compile(r"\bcho\s+ho\s+(?:gia dinh\s+)?(?:ong|ba)\s+")


def subject_in_text(lines: list[str], today: date) -> dict[str, Field]:
    """"… đối với bà Trần Thị Thu, sinh ngày 01/02/1940, Số định danh cá nhân: 045172190356",
    "Bà: PHẠM PHƯƠNG VÂN, năm sinh: 1975, Số định danh cá nhân: …" and "Bà Lê Thị Chi, năm sinh 1987,
    CCCD số …": a person named right before an identifier, in the same sentence; else the grantee of
    "Cấp cho: Ông …"."""
    flat = _first_page_flat(lines)
    folded = fold(flat)
    for m in _NAMED_WITH_ID_RE.finditer(folded):
        found = _person_name(flat[m.start("name") : m.end("name")])
        ids = find_personal_ids(flat[m.end() : m.end() + 20], today=today)
        if found is None or not ids or ids[0].start > 2:
            continue
        name, repaired = found
        conf = conf_of(0.85, ids[0].repaired) if _born_as_numbered(ids[0].value, [folded[m.start() : m.end()]]) else 0.5
        return {"ho_ten": Field(name, 0.8 - (0.1 if repaired else 0.0)), "so_dinh_danh": Field(ids[0].value, conf)}
    granted = _granted_to(lines[: lines.index("\f") if "\f" in lines else len(lines)], today)
    if granted:
        return granted
    return _addressed_twice(folded, flat) or _named_with_birth(folded, flat)


def _first_page_flat(lines: list[str]) -> str:
    """The first page's text as one line (a sentence about the citizen wraps anywhere)."""
    return re.sub(r"\s*\n\s*", " ", "\n".join(lines).split("\f", 1)[0])


def _granted_to(lines: list[str], today: date) -> dict[str, Field]:
    """The one person a permit is granted to ("1. Cấp cho: Ông Võ Văn Lộc"), with the identifier printed in
    the lines that follow, if any."""
    found: list[tuple[int, tuple[str, float]]] = []
    for i, line in enumerate(lines):
        m = _GRANTEE_RE.match(fold(line))
        if m is not None and (named := _name_value(lines, i, m.end())) is not None:
            found.append((i, named))
    if len({fold(n[0]) for _, n in found}) != 1:
        return {}
    i, (name, conf) = found[0]
    out = {"ho_ten": Field(name, conf)}
    for k in nonempty(lines, i + 1)[:3]:
        folded = fold(lines[k])
        if _NAME_LABEL_RE.search(folded) or _GRANTEE_RE.match(folded):
            break
        idm = _ID_LINE_RE.search(folded)
        ids = _ids_in(lines[k][idm.start() :], today) if idm else []
        if len(ids) == 1:
            out["so_dinh_danh"] = Field(ids[0].value, conf_of(0.85, ids[0].repaired))
            break
    return out


def _household(lines: list[str]) -> dict[str, Field]:
    """"Điều 1. Giao đất ở cho hộ bà Nguyễn Thị Châu.": the one household a copied decision names."""
    flat = _first_page_flat(lines)
    folded = fold(flat)
    names: set[str] = set()
    first = ""
    for m in _HOUSEHOLD_RE.finditer(folded):
        rest = flat[m.end() : m.end() + 60]
        cut = _NAME_END_RE.search(fold(rest))
        rest = rest[: cut.start()] if cut else rest
        stop = re.search(r"[.:]|\s(?:tai|o|voi|theo)\s", fold(rest))
        found = _person_name(rest[: stop.start()] if stop else rest)
        if found is None:
            return {}  # a household named in some way not read: do not guess among the others
        names.add(fold(found[0]))
        first = first or found[0]
    if len(names) != 1:
        return {}
    return {"ho_ten": Field(first, 0.7)}


def _addressed_twice(folded: str, flat: str) -> dict[str, Field]:
    """"… giao cho ông, bà: Nông Bích Sảng - Nông Đình Huân …" said at least twice, the same first
    name each time, with no identifier printed: a decision granting something to that household;
    the first named is its citizen (as a joint application's first applicant)."""
    names: list[str] = []
    for m in re.finditer(r"\b(?:ong|ba)\s*[,.]?\s*(?:ba|ong)?\s*:\s*", folded):
        rest = flat[m.end() : m.end() + 60]
        cut = re.search(r"\s[-–]\s|,|\s(?:chong|vo)\s|$", fold(rest))
        found = _person_name(rest[: cut.start()] if cut else rest)
        if found is not None:
            names.append(found[0])
    if len(names) >= 2 and len({fold(n) for n in names}) == 1:
        return {"ho_ten": Field(names[0], 0.7)}
    return {}


# "… sinh viên Đỗ Thị Ánh Thư, sinh ngày 13/11/2006, mã sinh viên …": a person named by what they are,
# then born on a date, in the same sentence
_NAMED_WITH_BIRTH_RE = re.compile(
    r"\b(?:sinh vien|hoc sinh|hoc vien|nghien cuu sinh|ong|ba|anh|chi|dong chi|em)\s*:?\s+"
    r"(?P<name>(?:\S+\s+){1,5}?\S+?)\s*[,;]?\s*(?:sinh ngay|ngay sinh|nam sinh|sinh nam)\b"
)


def _named_with_birth(folded: str, flat: str) -> dict[str, Field]:
    """A decision about one student or citizen who has no identifier printed (a student's transfer, a
    scholarship, an award to one person): every person named with a birth date on the first page is the
    same one. Several people born on dates (a list of students awarded) name no citizen."""
    names: list[str] = []
    for m in _NAMED_WITH_BIRTH_RE.finditer(folded):
        found = _person_name(flat[m.start("name") : m.end("name")])
        if found is None:
            return {}  # a person named in some way not read: do not take another in their place
        names.append(found[0])
    if not names or len({fold(n) for n in names}) != 1:
        return {}
    # the same name said again elsewhere in the decision ("Điều 2. … của sinh viên Đỗ Thị Ánh Thư")
    # makes it the paper's subject, not a person it merely mentions
    again = len(re.findall(rf"\b{re.escape(fold(names[0]))}\b", folded)) >= 2
    return {"ho_ten": Field(names[0], 0.7 if again else 0.5)}
