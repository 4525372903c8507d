"""Vietnamese text helpers: normalisation, dates and administrative codes, tolerant of OCR noise."""

from pipeline.vn.codes import (
    DOSSIER_CODE_RE,
    DocNumber,
    Match,
    find_dossier_codes,
    find_personal_ids,
    find_procedure_codes,
    parse_doc_number,
    parse_dossier_code,
    parse_personal_id,
    parse_procedure_code,
    parse_unit_code,
)
from pipeline.vn.dates import DateMatch, find_dates, parse_date
from pipeline.vn.text import (
    clean_spacing,
    fold,
    is_upper_line,
    nfc,
    normalize,
    sentence_case,
    split_motto,
    strip_marks,
    title_lines,
)

__all__ = [
    "DOSSIER_CODE_RE",
    "DateMatch",
    "DocNumber",
    "Match",
    "clean_spacing",
    "find_dates",
    "find_dossier_codes",
    "find_personal_ids",
    "find_procedure_codes",
    "fold",
    "is_upper_line",
    "nfc",
    "normalize",
    "parse_date",
    "parse_doc_number",
    "parse_dossier_code",
    "parse_personal_id",
    "parse_procedure_code",
    "parse_unit_code",
    "sentence_case",
    "split_motto",
    "strip_marks",
    "title_lines",
]
