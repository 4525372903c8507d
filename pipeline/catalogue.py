"""The project's vocabulary in one place: the document classes and roles of DOMAIN.md, which class
cannot stand in which role, which role is a dossier's result and which fields each class must have.
Everything else (rules, model, metrics, review, web) reads them from here."""

from __future__ import annotations

from typing import get_args

from schemas.document import Role

DOC_TYPES: tuple[str, ...] = (
    "quyet_dinh",
    "chi_thi",
    "nghi_quyet",
    "huong_dan",
    "cong_van",
    "thong_bao",
    "to_trinh",
    "bao_cao",
    "ke_hoach",
    "bien_ban",
    "giay_moi",
    "giay_uy_quyen",
    "hop_dong",
    "to_khai",
    "don",
    "giay_khai_sinh",
    "trich_luc_ho_tich",
    "gcn_ket_hon",
    "xac_nhan_tthn",
    "giay_chung_sinh",
    "giay_bao_tu",
    "ban_sao_chung_thuc",
    "gcn_qsdd",
    "giay_phep_xay_dung",
    "gcn_ho_kinh_doanh",
    "can_cuoc",
    "phieu_mot_cua",
    "bien_lai",
    "khac",
)
ROLES: tuple[str, ...] = get_args(Role)  # schemas/document.py is the one definition

# --- role check ------------------------------------------------------------------------------------
# Filled in and handed over by the applicant; the unit never issues these as the outcome of a
# procedure, nor as an intermediate processing result. Deliberately *not* listed although the
# applicant often submits them: ban_sao_chung_thuc, giay_uy_quyen and hop_dong are the very result
# of the certification procedures (2.000815 bản sao, 2.000884 chữ ký, contract certification).
_NEVER_A_RESULT = frozenset({"to_khai", "don", "can_cuoc", "giay_chung_sinh", "giay_bao_tu"})

# Per result class, may a citizen submit it as a component? Only "no" is a mismatch.
#   giay_khai_sinh, trich_luc_ho_tich, gcn_ket_hon: yes, copies back most civil-status procedures.
#   xac_nhan_tthn: yes, it is a required component of marriage registration.
#   gcn_qsdd: yes, for building permits, transfers, mortgages.
#   giay_phep_xay_dung: yes, for completion, adjustment or extension of a permit.
#   gcn_ho_kinh_doanh: yes, for changes to or closure of the business.
#   quyet_dinh: yes, an earlier decision (land allocation, compensation) is routinely attached.
#   phieu_mot_cua: scanned with the components (the slip starts the batch): not a mismatch.
#   to_trinh, chi_thi: internal documents of the administration; a citizen cannot hold one.
_NEVER_A_COMPONENT = frozenset({"to_trinh", "chi_thi"})


def role_mismatch(doc_type: str, role: str | None) -> bool:
    """True when the clerk's folder (role) clearly contradicts the document's class.

    Conservative by design: a mismatch sends the document to review, and a false alarm costs a
    clerk's time on every dossier, so only contradictions that cannot happen in practice count.
    """
    if doc_type not in DOC_TYPES:
        raise ValueError(f"unknown doc_type {doc_type!r}")
    if role is None:
        return False
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if role in ("ket_qua", "ket_qua_xu_ly"):
        return doc_type in _NEVER_A_RESULT
    return doc_type in _NEVER_A_COMPONENT


RESULT_ROLE = "ket_qua"

# Mandatory metadata per class: what Decree 30 (Appendix VI) requires to identify a document of that
# class and what the extractor can read from it. Classes not listed (`khac`) have no mandatory field
# and do not enter the completeness rate.
_DECREE30 = ("so_ky_hieu", "ngay_ban_hanh", "co_quan_ban_hanh", "trich_yeu")
_CIVIL = ("ho_ten", "so_dinh_danh", "ngay_ban_hanh")
MANDATORY_FIELDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("quyet_dinh", "chi_thi", "nghi_quyet", "huong_dan", "thong_bao", "to_trinh", "bao_cao", "ke_hoach"),
        _DECREE30,
    ),
    "cong_van": _DECREE30,  # the "V/v" line is its trích yếu
    "giay_moi": ("so_ky_hieu", "ngay_ban_hanh", "co_quan_ban_hanh"),
    "giay_phep_xay_dung": ("so_ky_hieu", "ngay_ban_hanh", "co_quan_ban_hanh"),
    **dict.fromkeys(("bien_ban", "hop_dong", "giay_uy_quyen", "ban_sao_chung_thuc", "bien_lai"), ("ngay_ban_hanh",)),
    **dict.fromkeys(("gcn_qsdd", "gcn_ho_kinh_doanh"), ("ngay_ban_hanh", "co_quan_ban_hanh")),
    **dict.fromkeys(("giay_khai_sinh", "trich_luc_ho_tich", "xac_nhan_tthn", "giay_bao_tu"), _CIVIL),
    "giay_chung_sinh": ("ho_ten", "ngay_ban_hanh"),
    "gcn_ket_hon": ("ngay_ban_hanh",),  # two persons on equal footing: no single ho_ten
    "can_cuoc": ("ho_ten", "so_dinh_danh"),
    **dict.fromkeys(("to_khai", "don"), ("ho_ten",)),
    "phieu_mot_cua": ("ma_ho_so",),
}

# Inbox folder names are the role codes with hyphens, as clerks see them.
ROLE_FOLDERS: dict[str, str] = {r.replace("_", "-"): r for r in ROLES}

# --- names people read (web pages, CLI tables): Vietnamese first, English second ---------------------
DOC_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "quyet_dinh": ("Quyết định", "Decision"),
    "chi_thi": ("Chỉ thị", "Directive"),
    "nghi_quyet": ("Nghị quyết", "Resolution"),
    "huong_dan": ("Hướng dẫn", "Guidance"),
    "cong_van": ("Công văn", "Official letter"),
    "thong_bao": ("Thông báo", "Notice"),
    "to_trinh": ("Tờ trình", "Submission"),
    "bao_cao": ("Báo cáo", "Report"),
    "ke_hoach": ("Kế hoạch", "Plan"),
    "bien_ban": ("Biên bản", "Minutes"),
    "giay_moi": ("Giấy mời / giấy giới thiệu", "Invitation / introduction letter"),
    "giay_uy_quyen": ("Giấy ủy quyền", "Power of attorney"),
    "hop_dong": ("Hợp đồng", "Contract"),
    "to_khai": ("Tờ khai", "Application form"),
    "don": ("Đơn", "Application / request"),
    "giay_khai_sinh": ("Giấy khai sinh", "Birth certificate"),
    "trich_luc_ho_tich": ("Trích lục hộ tịch", "Civil-status extract"),
    "gcn_ket_hon": ("Giấy chứng nhận kết hôn", "Marriage certificate"),
    "xac_nhan_tthn": ("Giấy xác nhận tình trạng hôn nhân", "Marital-status certificate"),
    "giay_chung_sinh": ("Giấy chứng sinh", "Birth notification"),
    "giay_bao_tu": ("Giấy báo tử", "Death notification"),
    "ban_sao_chung_thuc": ("Bản sao chứng thực", "Certified copy"),
    "gcn_qsdd": ("Giấy chứng nhận quyền sử dụng đất", "Land-use right certificate"),
    "giay_phep_xay_dung": ("Giấy phép xây dựng", "Building permit"),
    "gcn_ho_kinh_doanh": ("Giấy chứng nhận đăng ký hộ kinh doanh", "Household-business registration"),
    "can_cuoc": ("Căn cước / CCCD", "Identity card"),
    "phieu_mot_cua": ("Phiếu một cửa (tiếp nhận, bổ sung, từ chối)", "One-stop-shop slip"),
    "bien_lai": ("Biên lai thu phí, lệ phí", "Fee receipt"),
    "khac": ("Loại khác", "Other"),
}
ROLE_NAMES: dict[str, tuple[str, str]] = {
    "thanh_phan": ("Thành phần hồ sơ", "Component"),
    "ket_qua_xu_ly": ("Kết quả xử lý trung gian", "Intermediate result"),
    "ket_qua": ("Kết quả giải quyết", "Result"),
}


def _lang_index(lang: str) -> int:
    return 1 if lang == "en" else 0


def doc_type_name(code: str | None, lang: str = "vi") -> str:
    """A class as a reader names it; an unknown code is shown as it is."""
    if not code:
        return "—"
    names = DOC_TYPE_NAMES.get(code)
    return names[_lang_index(lang)] if names else code


def role_name(code: str | None, lang: str = "vi") -> str:
    if not code:
        return "—"
    names = ROLE_NAMES.get(code)
    return names[_lang_index(lang)] if names else code
