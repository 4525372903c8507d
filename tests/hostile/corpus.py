"""A corpus of hostile and broken files, made by code (issue 12): `make(out)` writes them and returns
what each must become: ("processed", None) or ("quarantined", <error code>).

    python -m tests.hostile.corpus OUT    writes the corpus (bench/hostile.py runs it too)

Files named `segfault-*`, `hang-*` and `eatmemory-*` are healthy scans that crash, hang or exhaust their
child only when tests.hostile.faults is preloaded in the children (SOHOA_ISOLATE_PRELOAD); without it
they are processed like any scan."""

from __future__ import annotations

import io
import struct
import sys
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pikepdf
from PIL import Image, ImageDraw, ImageFont

Expect = tuple[str, str | None]
PROCESSED: Expect = ("processed", None)
# What each crash-on-cue file becomes when tests.hostile.faults is preloaded.
FAULTS: dict[str, Expect] = {
    "segfault-scan.png": ("quarantined", "child_crashed"),
    "hang-scan.png": ("quarantined", "timeout"),
    "eatmemory-scan.png": ("quarantined", "memory_limit"),
}


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/liberation2/"
                 "LiberationSans-Regular.ttf"):
        if Path(name).exists():
            return ImageFont.truetype(name, size)
    return ImageFont.load_default()


def scan_image(text: str = "ỦY BAN NHÂN DÂN XÃ THANH THẠCH\nTHÔNG BÁO\nVề việc tiếp nhận hồ sơ") -> Image.Image:
    """A small page with a few lines of Vietnamese, grey, 150 dpi A5-ish: quick to OCR."""
    img = Image.new("L", (900, 600), 255)
    draw = ImageDraw.Draw(img)
    draw.multiline_text((60, 80), text, fill=0, font=_font(34), spacing=18)
    return img


def _png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", dpi=(150, 150))
    return buf.getvalue()


def _pdf_with_image(img: Image.Image, stream: bytes, filt: str, parms: dict[str, object] | None = None,
                    colour: str = "/DeviceGray", bpc: int = 8) -> bytes:
    pdf = pikepdf.new()
    w, h = img.size
    image = pikepdf.Stream(pdf, stream)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height = w, h
    image.Filter = pikepdf.Name(filt)
    if filt != "/JPXDecode":
        image.ColorSpace, image.BitsPerComponent = pikepdf.Name(colour), bpc
    if parms:
        image.DecodeParms = pikepdf.Dictionary(parms)
    pw, ph = w * 72 / 150, h * 72 / 150
    content = pikepdf.Stream(pdf, f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q".encode())
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, pw, ph], Contents=content,
                              Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)))
    pdf.pages.append(pikepdf.Page(page))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _flate_pdf(img: Image.Image) -> bytes:
    return _pdf_with_image(img, zlib.compress(img.tobytes()), "/FlateDecode")


def _ccitt_pdf(img: Image.Image) -> bytes:
    """A CCITT G4 image: Pillow writes a G4 TIFF; its single strip is the stream a PDF embeds."""
    bw = img.convert("1")
    buf = io.BytesIO()
    bw.save(buf, "TIFF", compression="group4")
    tif = Image.open(io.BytesIO(buf.getvalue()))
    offset, count = tif.tag_v2[273][0], tif.tag_v2[279][0]
    data = buf.getvalue()[offset:offset + count]
    return _pdf_with_image(bw, data, "/CCITTFaxDecode",
                           {"/K": -1, "/Columns": bw.width, "/Rows": bw.height, "/BlackIs1": False}, bpc=1)


def _jpx_pdf(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG2000")
    return _pdf_with_image(img, buf.getvalue(), "/JPXDecode")


def _broken_xref(pdf: bytes) -> bytes:
    """Every cross-reference offset wrong by a few bytes, and startxref off too: qpdf must rebuild."""
    start = pdf.rindex(b"startxref")
    xref = pdf.rindex(b"xref", 0, start)
    head, table = pdf[:xref], pdf[xref:start]
    lines = table.split(b"\n")
    out = []
    for line in lines:
        if len(line) >= 18 and line[10:11] == b" " and line.strip().endswith(b"n"):
            off = int(line[:10]) + 7
            line = b"%010d" % off + line[10:]
        out.append(line)
    return head + b"\n".join(out) + b"startxref\n99999\n%%EOF\n"


def _encrypted(img: Image.Image, *, user: str) -> bytes:
    src = pikepdf.open(io.BytesIO(_flate_pdf(img)))
    buf = io.BytesIO()
    src.save(buf, encryption=pikepdf.Encryption(owner="proprietaire", user=user, R=6,
                                                allow=pikepdf.Permissions(extract=False, modify_other=False)))
    return buf.getvalue()


def _xfa(dynamic: bool) -> bytes:
    pdf = pikepdf.open(io.BytesIO(_flate_pdf(scan_image("Please wait...\nXFA"))))
    xfa = pikepdf.Stream(pdf, b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><template/></xdp:xdp>")
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=xfa)
    if dynamic:
        pdf.Root.NeedsRendering = True
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _bomb_png(side: int = 20_000) -> bytes:
    """A grey PNG of side² pixels (400 MP) that is a few hundred kilobytes: all zero rows."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    comp = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    body = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def _blank_pages(n: int, size: tuple[float, float] = (595, 842)) -> bytes:
    pdf = pikepdf.new()
    for _ in range(n):
        pdf.add_blank_page(page_size=(min(size[0], 612), min(size[1], 792)))
        pdf.pages[-1].obj.MediaBox = [0, 0, *size]  # pikepdf refuses to make what a hostile writer would
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _deep_forms(depth: int) -> bytes:
    """Form XObjects each drawing the next, `depth` deep."""
    pdf = pikepdf.new()
    inner = pikepdf.Stream(pdf, b"0 0 m 10 10 l S")
    inner.Type, inner.Subtype, inner.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 10, 10]
    for _ in range(depth):
        outer = pikepdf.Stream(pdf, b"/F0 Do")
        outer.Type, outer.Subtype, outer.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 10, 10]
        outer.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(F0=inner))
        inner = outer
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842],
                              Contents=pikepdf.Stream(pdf, b"/F0 Do"),
                              Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(F0=inner)))
    pdf.pages.append(pikepdf.Page(page))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def _zip_bomb() -> bytes:
    """One entry of 200 MB of zeros in about 200 KB: harmless as long as nothing extracts it."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z, z.open("bomb.bin", "w") as f:
        block = b"\x00" * 2**20
        for _ in range(200):
            f.write(block)
    return buf.getvalue()


def _heic(img: Image.Image) -> bytes:
    import pillow_heif

    buf = io.BytesIO()
    pillow_heif.from_pillow(img.convert("RGB")).save(buf, quality=90)
    return buf.getvalue()


def make(out: Path, *, faults: bool = True) -> dict[str, Expect]:
    """Write the corpus into `out`; return file name -> expected outcome."""
    out.mkdir(parents=True, exist_ok=True)
    scan = scan_image()
    good_pdf = _flate_pdf(scan)
    jpeg = io.BytesIO()
    scan.convert("RGB").save(jpeg, "JPEG", quality=85, dpi=(150, 150))
    files: dict[str, tuple[bytes, Expect]] = {
        "healthy-scan.png": (_png_bytes(scan), PROCESSED),
        "healthy-scan.pdf": (good_pdf, PROCESSED),
        "zero-bytes.pdf": (b"", ("quarantined", "empty_file")),
        "truncated.pdf": (good_pdf[: len(good_pdf) // 2], ("quarantined", "truncated_file")),
        "truncated.jpg": (jpeg.getvalue()[: len(jpeg.getvalue()) // 2], ("quarantined", "truncated_file")),
        "header-only.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", ("quarantined", "header_only_pdf")),
        "broken-xref.pdf": (_broken_xref(_flate_pdf(scan_image("BIÊN BẢN\nxref hỏng"))), PROCESSED),
        "encrypted-user-password.pdf": (_encrypted(scan, user="matkhau"), ("quarantined", "encrypted_pdf")),
        "encrypted-owner-only.pdf": (_encrypted(scan_image("QUYẾT ĐỊNH\nchủ sở hữu"), user=""), PROCESSED),
        "ccitt-g4.pdf": (_ccitt_pdf(scan_image("GIẤY MỜI\nCCITT G4")), PROCESSED),
        "jpeg2000.pdf": (_jpx_pdf(scan_image("BÁO CÁO\nJPEG 2000")), PROCESSED),
        "xfa-dynamic.pdf": (_xfa(True), ("quarantined", "xfa_form")),
        "xfa-static.pdf": (_xfa(False), PROCESSED),
        "bomb.png": (_bomb_png(), ("quarantined", "image_too_large")),
        "huge-page.pdf": (_blank_pages(1, (20_000, 20_000)), ("quarantined", "page_too_large")),
        "too-many-pages.pdf": (_blank_pages(2001, (200, 200)), ("quarantined", "too_many_pages")),
        "deep-forms.pdf": (_deep_forms(40), ("quarantined", "too_deep")),
        "blank-page.pdf": (_blank_pages(1), PROCESSED),  # near-empty is no reason to quarantine
        "jpeg-named.pdf": (jpeg.getvalue(), PROCESSED),  # a lying extension: read as the JPEG it is
        "html-named.pdf": (b"<!DOCTYPE html><html><body>404</body></html>", ("quarantined", "unsupported_format")),
        "letter.docx": (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
                        ("quarantined", "office_document")),
        "scans.zip": (_zip({"a.pdf": good_pdf}), ("quarantined", "archive")),
        "zip-bomb.zip": (_zip_bomb(), ("quarantined", "archive")),
        "phone-photo.heic": (_heic(scan_image("GIẤY KHAI SINH\nảnh HEIC")), PROCESSED),
        # odd names: NFD, control character, `..`, a name of 250 bytes
        unicodedata.normalize("NFD", "Quyết định số 5.png"): (_png_bytes(scan_image("QUYẾT ĐỊNH\nNFD")), PROCESSED),
        "tab\there.png": (_png_bytes(scan_image("control\ncharacter")), PROCESSED),
        "hai..cham..png": (_png_bytes(scan_image("hai chấm")), PROCESSED),
        ("đ" * 123) + ".png": (_png_bytes(scan_image("tên dài 250 byte")), PROCESSED),
    }
    if faults:
        for name, expect in FAULTS.items():
            files[name] = (_png_bytes(scan_image(name)), expect)
    expected: dict[str, Expect] = {}
    for name, (data, expect) in files.items():
        (out / name).write_bytes(data)
        expected[name] = expect
    link = out / "link-to-passwd.pdf"
    link.unlink(missing_ok=True)
    link.symlink_to("/etc/passwd")
    expected[link.name] = ("quarantined", "symlink")
    return expected


if __name__ == "__main__":
    made = make(Path(sys.argv[1]), faults="--faults" in sys.argv)
    for name, (outcome, code) in sorted(made.items()):
        print(f"{outcome:12} {code or '':20} {name!r}")
