"""PDF/A-2b for the searchable PDF, where the input allows it, and a check of its essentials.

No validator can be installed here (veraPDF is a download), so `problems` checks what PDF/A-2b
asks of files like ours — a scan image plus tesseract's invisible text in GlyphLessFont — with
pikepdf: identification in XMP, an output intent with an ICC profile, no encryption, embedded
fonts, no forbidden filters or actions, no device colour the output intent does not cover.
`convert` refuses (returns the reasons) rather than writing a file that claims PDF/A falsely.
"""

from __future__ import annotations

from functools import lru_cache

import pikepdf
from pikepdf import Name

SRGB_ID = "sRGB IEC61966-2.1"
_FORBIDDEN_FILTERS = {"/LZWDecode", "/Crypt"}
_FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide"}


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """An sRGB ICC profile: Debian's icc-profiles-free copy when installed, else littleCMS's own."""
    for path in ("/usr/share/color/icc/sRGB.icc", "/usr/share/color/icc/colord/sRGB.icc"):
        try:
            with open(path, "rb") as f:
                return f.read()
        except OSError:
            continue
    from PIL import ImageCms

    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def _fonts(res: pikepdf.Object | None, seen: set[tuple[int, int]]) -> list[pikepdf.Object]:
    """Every font reachable from a resource dictionary, through form XObjects too."""
    out: list[pikepdf.Object] = []
    if not isinstance(res, pikepdf.Dictionary):
        return out
    fonts = res.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        out.extend(f for _, f in fonts.items() if isinstance(f, pikepdf.Dictionary))
    xobjects = res.get("/XObject")
    if isinstance(xobjects, pikepdf.Dictionary):
        for _, x in xobjects.items():
            key = x.objgen
            if key in seen or x.get("/Subtype") != Name.Form:
                continue
            seen.add(key)
            out.extend(_fonts(x.get("/Resources"), seen))
    return out


def _font_embedded(font: pikepdf.Object) -> bool:
    if font.get("/Subtype") == Name.Type3:
        return True  # glyphs are content streams of the font itself
    if font.get("/Subtype") == Name.Type0:
        descendants = font.get("/DescendantFonts")
        return isinstance(descendants, pikepdf.Array) and len(descendants) > 0 and all(
            _font_embedded(d) for d in descendants
        )
    desc = font.get("/FontDescriptor")
    return isinstance(desc, pikepdf.Dictionary) and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def blockers(pdf: pikepdf.Pdf) -> list[str]:
    """What in the content keeps this PDF from being PDF/A-2b (fixable metadata aside)."""
    out: list[str] = []
    if pdf.is_encrypted:
        out.append("encrypted")
    if "/Names" in pdf.Root and "/JavaScript" in pdf.Root.Names:
        out.append("document JavaScript")
    if "/Names" in pdf.Root and "/EmbeddedFiles" in pdf.Root.Names:
        out.append("embedded files (allowed only when they are PDF/A themselves)")
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            filters = obj.get("/Filter")
            names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
            if _FORBIDDEN_FILTERS & set(names):
                out.append(f"forbidden filter in object {obj.objgen[0]}")
            if obj.get("/Subtype") == Name.Image and obj.get("/ColorSpace") == Name.DeviceCMYK:
                out.append(f"DeviceCMYK image in object {obj.objgen[0]} (the sRGB intent does not cover it)")
        elif isinstance(obj, pikepdf.Dictionary):
            action = obj.get("/S")
            if isinstance(action, Name) and str(action) in _FORBIDDEN_ACTIONS:
                out.append(f"forbidden action {obj.get('/S')} in object {obj.objgen[0]}")
    seen: set[tuple[int, int]] = set()
    for i, page in enumerate(pdf.pages):
        for font in _fonts(page.obj.get("/Resources"), seen):
            if not _font_embedded(font):
                out.append(f"page {i + 1}: font {font.get('/BaseFont')} not embedded")
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") not in (Name.Link, Name.Popup) and not int(annot.get("/F", 0)) & 4:
                out.append(f"page {i + 1}: annotation without the print flag")
    return sorted(set(out))


def convert(pdf: pikepdf.Pdf, *, title: str | None = None) -> list[str]:
    """Make `pdf` PDF/A-2b in place; returns the blockers instead when it cannot (pdf untouched)."""
    problems = blockers(pdf)
    if problems:
        return problems
    intents = pdf.Root.get("/OutputIntents")
    if not intents:
        icc = pikepdf.Stream(pdf, srgb_profile())
        icc.N = 3
        pdf.Root.OutputIntents = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=SRGB_ID, Info=SRGB_ID,
            RegistryName="http://www.color.org", DestOutputProfile=pdf.make_indirect(icc),
        )]))
    # open_metadata keeps the Info dictionary and the XMP in step, as PDF/A requires.
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        if title and not meta.get("dc:title"):
            meta["dc:title"] = title
    return []


def problems(pdf: pikepdf.Pdf) -> list[str]:
    """Essentials of PDF/A-2b this file misses (empty: passes the check)."""
    out = blockers(pdf)
    meta = pdf.open_metadata()
    if meta.get("pdfaid:part") != "2" or meta.get("pdfaid:conformance") != "B":
        out.append("XMP lacks pdfaid:part=2 / pdfaid:conformance=B")
    if "/Metadata" in pdf.Root and "/Filter" in pdf.Root.Metadata:
        out.append("metadata stream is compressed")
    intents = pdf.Root.get("/OutputIntents")
    pdfa_intents = [i for i in intents if i.get("/S") == Name.GTS_PDFA1] if isinstance(intents, pikepdf.Array) else []
    if len(pdfa_intents) != 1:
        out.append("needs exactly one GTS_PDFA1 output intent")
    else:
        profile = pdfa_intents[0].get("/DestOutputProfile")
        data = profile.read_bytes() if isinstance(profile, pikepdf.Stream) else b""
        if len(data) < 128 or data[36:40] != b"acsp":
            out.append("output intent has no valid ICC profile")
        elif data[16:20] != b"RGB ":
            out.append("output intent profile is not RGB")
    if "/ID" not in pdf.trailer:
        out.append("trailer lacks /ID")
    if pdf.pdf_version > "1.7":
        out.append(f"PDF version {pdf.pdf_version} is newer than PDF/A-2 allows")
    return out
