"""The names people read for each class and role (pipeline/catalogue.py): every code has both, and no page
shows a raw code where a name exists (issue 14: `bao_cao` on the status page, no name for `khac`)."""

from __future__ import annotations

from pipeline.catalogue import DOC_TYPE_NAMES, DOC_TYPES, ROLE_NAMES, ROLES, doc_type_name, role_name


def test_every_class_and_role_has_a_vietnamese_and_an_english_name() -> None:
    assert set(DOC_TYPE_NAMES) == set(DOC_TYPES) and set(ROLE_NAMES) == set(ROLES)
    for vi, en in [*DOC_TYPE_NAMES.values(), *ROLE_NAMES.values()]:
        assert vi and en and vi != en
    assert doc_type_name("khac") == "Loại khác" and doc_type_name("khac", "en") == "Other"
    assert doc_type_name("phieu_mot_cua").startswith("Phiếu một cửa")
    assert doc_type_name("bao_cao") == "Báo cáo" and role_name("ket_qua", "en") == "Result"
    assert doc_type_name("not_a_class") == "not_a_class" and role_name(None) == "—"
