"""Template families of the sample generator, so that a model tuned to one of them shows it.

- **A** is the original generator (pipeline/samples/admin.py and forms.py): one layout per class,
  Liberation Serif, every form filled in type.
- **B** (`b_admin.py`, `b_forms.py`, `b_civil.py`, sharing `b_parts.py`) was written apart from A, from the wording
  of the official forms: the Ministry of Justice's hộ tịch forms (Thông tư 04/2020/TT-BTP and
  04/2024/TT-BTP), the chứng thực forms (Nghị định 23/2015/NĐ-CP, Thông tư 01/2020/TT-BTP), the
  one-stop-shop slips (Thông tư 01/2018/TT-VPCP), the identity-card and social-insurance
  declarations, and the Decree 30/2020 layouts with the variants offices really print (the number
  and date on their own row, the number written by hand, normative symbols with the year, stray
  spaces in symbols, "Về việc" in full under a công văn, drafts with blank numbers). Several
  templates per class, one- and two-column headers, company letterheads, a three-column receipt
  header, other typefaces with Vietnamese glyphs (FreeSerif, DejaVu Serif, Noto Serif and Sans,
  Liberation Sans), values filled in by hand (blue, off the baseline, over dotted leaders) and blank
  templates. The forms of state bodies are state documents, which Article 15 of the Law on
  Intellectual Property (Law 50/2005/QH11) excludes from copyright protection; the texts here are
  written for this project after their wording, not copied from any other generator or data set.

`TEMPLATES[family][doc_type]` is the list of (template id, builder) of a class.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.samples.admin import ADMIN
from pipeline.samples.b_admin import B_ADMIN
from pipeline.samples.b_civil import B_CIVIL
from pipeline.samples.b_forms import B_FORMS
from pipeline.samples.forms import FORMS
from pipeline.samples.model import Doc
from pipeline.samples.parts import Ctx

Builder = Callable[[Ctx], Doc]
FAMILIES: tuple[str, ...] = ("A", "B")

TEMPLATES: dict[str, dict[str, list[tuple[str, Builder]]]] = {
    "A": {doc_type: [(f"A.{doc_type}", fn)] for doc_type, fn in {**ADMIN, **FORMS}.items()},
    "B": {doc_type: list(variants) for doc_type, variants in {**B_ADMIN, **B_FORMS, **B_CIVIL}.items()},
}


def template_ids(family: str) -> list[str]:
    return [tid for variants in TEMPLATES[family].values() for tid, _ in variants]


__all__ = ["FAMILIES", "TEMPLATES", "Builder", "template_ids"]
