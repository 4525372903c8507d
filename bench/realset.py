"""The real evaluation set: documents this project did not generate, labelled by hand.

    .venv/bin/python bench/realset.py fetch DIR                  # download by commit from GitHub
    .venv/bin/python bench/realset.py fetch DIR --from FOLDER    # or copy from a local copy of the set
    .venv/bin/python bench/realset.py fetch DIR --git MIRRORS    # or derive from local git copies of the sources
    .venv/bin/python bench/realset.py list [--dir DIR]           # what the labels hold (and which files are there)

The files themselves are not in the repository (bench/realset/README.md says why and whose they are):
`bench/realset/labels.jsonl` lists each one with the repository, path and commit it comes from, how
it was derived from that file (`derive`: copied, some pages cut out, page images put into one PDF,
a Word file converted, a blank Word form filled with recorded fictitious values then converted and
optionally scanned, or edited by hand), the sha256 of the derived file, and the hand labels.
`fetch` rebuilds DIR/<id>.pdf from raw.githubusercontent.com and checks each against its sha256 (a
Word file converted by LibreOffice differs in bytes from run to run and between versions: it is kept and
said so). Files
edited by hand (`derive.how == "manual"`) can only come from a copy of the set (`--from`).
`bench/classify.py --set real --dir DIR` scores classification (and metadata) on DIR.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LABELS = Path(__file__).resolve().parent / "realset" / "labels.jsonl"
RAW = "https://raw.githubusercontent.com"
TIMEOUT = 30


@dataclass(frozen=True)
class RealDoc:
    """One hand-labelled document (a line of labels.jsonl)."""

    id: str
    file: str  # files/<id>.pdf in the original set; fetch writes DIR/<id>.pdf
    sha256: str
    source_repo: str
    source_path: str
    commit: str
    derive: dict[str, Any]
    licence: str
    kind: str  # scan, born_digital, template_filled, template_blank
    doc_type: str
    alt_doc_types: tuple[str, ...] = ()
    title_as_printed: str = ""
    truth: dict[str, Any] = field(default_factory=dict)
    parties: tuple[dict[str, Any], ...] = ()
    pages: int = 0
    source_pages: tuple[int, ...] = ()
    notes: str = ""

    @property
    def classes(self) -> set[str]:
        """The classes that count as right: the label and any defensible second reading."""
        return {self.doc_type, *self.alt_doc_types}

    @property
    def blank(self) -> bool:
        """A blank template: scored for its class only (it has no values to read)."""
        return self.kind == "template_blank"

    @property
    def name(self) -> str:
        return f"{self.id}.pdf"


def load(path: Path = LABELS) -> list[RealDoc]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            out.append(RealDoc(
                id=d["id"], file=d["file"], sha256=d["sha256"], source_repo=d["source_repo"],
                source_path=d["source_path"], commit=d["commit"], derive=d["derive"], licence=d["licence"],
                kind=d["kind"], doc_type=d["doc_type"], alt_doc_types=tuple(d.get("alt_doc_types", ())),
                title_as_printed=d.get("title_as_printed", ""), truth=d.get("truth") or {},
                parties=tuple(d.get("parties") or ()), pages=d.get("pages", 0),
                source_pages=tuple(d.get("source_pages") or ()), notes=d.get("notes", ""),
            ))
        except (ValueError, KeyError) as e:
            raise ValueError(f"{path}:{n}: not a real-set label ({type(e).__name__}: {e})") from e
    return out


def locate(doc: RealDoc, folder: Path) -> Path | None:
    """The document's file in a folder made by `fetch` (DIR/<id>.pdf) or in the set's own layout."""
    for p in (folder / doc.name, folder / doc.file, folder / "files" / doc.name):
        if p.is_file():
            return p
    return None


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- fetch ------------------------------------------------------------------------------------------
class FetchError(Exception):
    """A file that could not be fetched or derived; the message names it and says why."""


def raw_url(repo: str, commit: str, path: str) -> str:
    return f"{RAW}/{repo}/{commit}/{urllib.parse.quote(path)}"


def _download(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as r:
            data: bytes = r.read()
            return data
    except urllib.error.HTTPError as e:
        raise FetchError(f"{url}: HTTP {e.code} {e.reason}") from e
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise FetchError(f"{url}: cannot reach {RAW} ({reason}); without access to GitHub, copy the files "
                         f"from a copy of the set with --from FOLDER") from e


def _source_paths(doc: RealDoc) -> list[str]:
    if doc.derive["how"] != "images":
        return [doc.source_path]
    return [doc.source_path.replace(f"{{1..{doc.derive['count']}}}", str(i))
            for i in range(1, doc.derive["count"] + 1)]


def _derive(doc: RealDoc, sources: list[bytes], dest: Path) -> None:
    how = doc.derive["how"]
    if how == "copy":
        dest.write_bytes(sources[0])
    elif how == "pages":
        import pikepdf

        with pikepdf.open(io.BytesIO(sources[0])) as src, pikepdf.new() as out:
            for p in doc.derive["pages"]:
                out.pages.append(src.pages[p - 1])
            out.save(dest, deterministic_id=True)
    elif how == "images":
        from PIL import Image

        images = [Image.open(io.BytesIO(b)).convert("RGB") for b in sources]
        # no creation/modification dates (Pillow stamps the time by default): a fresh fetch gives the same bytes
        images[0].save(dest, "PDF", save_all=True, append_images=images[1:], resolution=doc.derive["dpi"],
                       title=doc.id, creationDate=None, modDate=None)
    elif how == "convert":
        dest.write_bytes(_office(doc, sources[0], Path(doc.source_path).suffix.lower(), "pdf"))
    elif how == "fill":
        word = sources[0]
        if Path(doc.source_path).suffix.lower() == ".doc":  # python-docx reads only .docx
            word = _office(doc, word, ".doc", "docx")
        try:
            filled = fill_docx(word, doc.derive["fill"])
        except ValueError as e:
            raise FetchError(f"{doc.id}: cannot fill {doc.source_path}: {e}") from e
        pdf = _office(doc, filled, ".docx", "pdf")
        scan = doc.derive.get("scan")
        dest.write_bytes(pdf if scan is None else scanned(pdf, scan["dpi"], scan["seed"]))
    else:
        raise FetchError(f"{doc.id}: derived by hand ({doc.derive.get('why', how)}), not reproducible from "
                         f"{doc.source_repo}: copy it from a copy of the set with --from FOLDER")


def _office(doc: RealDoc, word: bytes, suffix: str, to: str) -> bytes:
    """A Word file (`suffix`: .doc, .docx) converted by LibreOffice to `to` (pdf, docx)."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        raise FetchError(f"{doc.id}: {doc.source_path} is a Word file and LibreOffice is not installed to "
                         f"convert it (apt-get install libreoffice-writer), or use --from FOLDER")
    with tempfile.TemporaryDirectory(prefix="sohoa-realset-") as tmp:
        src = Path(tmp) / "in" / ("source" + suffix)
        src.parent.mkdir()
        src.write_bytes(word)
        # a profile of its own: a LibreOffice already running (another fetch, a desktop) would take the job
        profile = f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}"
        run = subprocess.run([office, profile, "--headless", "--convert-to", to, "--outdir", tmp, str(src)],
                             capture_output=True, text=True, timeout=300, check=False)
        made = Path(tmp) / f"source.{to}"
        if run.returncode != 0 or not made.exists():
            raise FetchError(f"{doc.id}: LibreOffice could not convert {doc.source_path}: "
                             f"{(run.stderr or run.stdout).strip()[:300]}")
        return made.read_bytes()


# --- fill: a blank form with recorded (fictitious) values written into its blanks --------------------------
# A blank: a dotted leader (dots, ellipses, underscores, spaced dots) or a merge field («…», {…} of a print
# template); or tabs (a tab stop with a dotted leader, as many Word forms draw their lines).
DOTS = r"(?:…|[._](?= ?[.…_]))(?: ?[.…_])*|«[^»]*»|\{[^{}]*\}"
LEADER_RE = re.compile(rf"[ \t]*(?:{DOTS})[ ]*|[ ]*\t+")
DOTS_RE = re.compile(DOTS)
BEFORE_RE = re.compile(rf"(?:{DOTS})[ \t]*$")
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NO_PARENT: Any = None  # a paragraph made from its XML element only reads and writes its runs


def fill_docx(word: bytes, fills: list[list[str]]) -> bytes:
    """Write each value into a blank of a Word form. A fill is [label, value]: the blank right after the
    label as printed (a tab leader is kept after the value, as if typed on the line); with none, the empty
    table cell right of the label's cell (a row of one-character boxes takes one character each), else right
    after the label. [label, value, "before"]: the blank right before the label ("……, ngày"). An empty
    label: the next dotted blank; a label that is a merge field ("{chuHoSo}"): that field. Labels are
    looked for in reading order, each from the previous fill on, so a label printed once per person takes
    its values in turn."""
    import docx

    document = docx.Document(io.BytesIO(word))
    paras = list(document.element.body.iter(f"{W_NS}p"))
    at, offset = 0, 0
    for label, value, *where in fills:
        at, offset = _fill_one(paras, at, offset, unicodedata.normalize("NFC", label), value, "before" in where)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _runs(p: Any) -> list[Any]:
    """The paragraph's runs (those of its hyperlinks too), their text made NFC (labels are matched as
    printed, not as encoded)."""
    from docx.text.run import Run

    runs = [Run(r, _NO_PARENT) for r in p.xpath("./w:r | ./w:hyperlink/w:r")]
    for r in runs:
        if (nfc := unicodedata.normalize("NFC", r.text)) != r.text:
            r.text = nfc
    return runs


def _text(p: Any) -> str:
    return "".join(r.text for r in _runs(p))


def _fill_one(paras: list[Any], at: int, offset: int, label: str, value: str, before: bool) -> tuple[int, int]:
    """Fill one blank from paragraph `at`, character `offset` on; returns where the next search starts."""
    for i in range(at, len(paras)):
        text = _text(paras[i])
        start = text.find(label, offset if i == at else 0)
        if start < 0:
            continue
        end = start + len(label)
        field = bool(label) and DOTS_RE.fullmatch(label) is not None  # a merge field named as its own label
        if field:
            leader = DOTS_RE.match(text, start)
        elif before:
            leader = BEFORE_RE.search(text, offset if i == at else 0, start)
        elif not label:
            leader = DOTS_RE.search(text, end)
        else:
            leader = LEADER_RE.match(text, end)
        if leader is not None:
            s, e = leader.span()
            if before or not label or field:
                e = s + len(text[s:e].rstrip(" \t"))
            tab = not text[s:e].strip(" \t")  # a tab leader: type before it, the line goes on after it
            cut = s if tab else e
            new = _spaced(text, s, cut, value)
            _replace(paras[i], s, cut, new)
            if before:  # go on from the label (its own blank may come next)
                return i, start - (cut - s) + len(new)
            return i, s + len(new) + (e - cut)
        if not label:
            continue
        if before:
            raise ValueError(f"no blank before {label!r} for {value!r}")
        cells = _empty_cells_right(paras, i) if not text[end:].strip() else []
        if len(cells) > 1 and len(cells) == len(value):  # a row of boxes, one character each
            for j, ch in zip(cells, value, strict=True):
                _replace(paras[j], 0, 0, ch)
            return cells[-1], 1
        if cells:
            _replace(paras[cells[0]], 0, 0, value)
            return cells[0], len(value)
        new = _spaced(text, end, end, value)
        _replace(paras[i], end, end, new)
        return i, end + len(new)
    raise ValueError(f"no blank after {label!r} for {value!r}")


def _spaced(text: str, s: int, e: int, value: str) -> str:
    before = "" if s == 0 or text[s - 1] in "(/ \t" or text[s - 1].isdigit() else " "
    after = " " if e < len(text) and text[e] not in " \t,.;:)/" else ""
    return before + value + after


def _empty_cells_right(paras: list[Any], i: int) -> list[int]:
    """The first paragraphs of the empty table cells right of paragraph i's cell, up to a filled one."""
    tc = paras[i].getparent()
    out: list[int] = []
    if tc is None or tc.tag != f"{W_NS}tc":
        return out
    j = i + 1
    for nxt in tc.itersiblings(f"{W_NS}tc"):
        cell = list(nxt.iter(f"{W_NS}p"))
        if not cell or j >= len(paras) or paras[j] is not cell[0] or any(_text(p).strip() for p in cell):
            break
        out.append(j)
        j += len(cell)
    return out


def _replace(p: Any, s: int, e: int, new: str) -> None:
    """Replace characters s:e of a paragraph's runs by `new`, in a run of its own formatted like the text
    before it (a label's font and size, not the small print of a leader) but plain: not bold, underlined
    or raised (a label's note mark)."""
    import copy

    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    runs = _runs(p)
    if not runs:
        Paragraph(p, _NO_PARENT).add_run(new)
        return
    for cut in (s, e):  # split runs so that s and e fall on run boundaries
        pos = 0
        for r in _runs(p):
            a, b = pos, pos + len(r.text)
            pos = b
            if a < cut < b:
                tail = copy.deepcopy(r._r)
                r._r.addnext(tail)
                Run(tail, r._parent).text = r.text[cut - a:]
                r.text = r.text[: cut - a]
                break
    pos, before, after = 0, None, None
    for r in _runs(p):
        a, b = pos, pos + len(r.text)
        pos = b
        if s <= a and b <= e and a < b:
            r.text = ""
        if b <= s and a < b:
            before = r
        if a >= e and after is None:
            after = r
    model = before or after or runs[0]
    made = copy.deepcopy(model._r)
    for tag in ("b", "bCs", "u", "vertAlign"):
        for el in made.findall(f"{W_NS}rPr/{W_NS}{tag}"):
            el.getparent().remove(el)
    if before is not None:
        before._r.addnext(made)
    elif after is not None:
        after._r.addprevious(made)
    else:
        p.append(made)
    Run(made, model._parent).text = new


def scanned(pdf: bytes, dpi: int, seed: int) -> bytes:
    """The PDF printed and scanned: pages rasterised at `dpi`, tilted and degraded by the sample generator's
    scanner (pipeline/samples/degrade.py) with a plan drawn from `seed`, kept upright, JPEG pages in a PDF."""
    import dataclasses

    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from pipeline.samples import degrade as dg

    rng = np.random.default_rng(seed)
    plan = dataclasses.replace(dg.plan("scan", rng), rotation=0)
    doc = pdfium.PdfDocument(pdf)
    try:
        pages = [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()
    tilted = [im.rotate(plan.skew, resample=Image.Resampling.BICUBIC, fillcolor="white") for im in pages]
    return dg.save([dg.degrade(im, plan, rng) for im in tilted], "pdf-scan", dpi, plan)


def git_dir(mirrors: Path, repo: str) -> Path | None:
    """The local git copy of `repo` under MIRRORS: `owner+name/repo` (as the search tool's fetch lays them out),
    `owner+name` or `owner/name`, bare or with a work tree."""
    owner, name = repo.split("/", 1)
    for d in (mirrors / f"{owner}+{name}" / "repo", mirrors / f"{owner}+{name}", mirrors / owner / name):
        for g in (d, d / ".git"):
            if (g / "objects").is_dir() and (g / "HEAD").is_file():
                return g
    return None


def _from_git(mirrors: Path, doc: RealDoc, path: str) -> bytes:
    g = git_dir(mirrors, doc.source_repo)
    if g is None:
        raise FetchError(f"{doc.id}: no git copy of {doc.source_repo} in {mirrors}")
    run = subprocess.run(["git", "--git-dir", str(g), "show", f"{doc.commit}:{path}"], capture_output=True,
                         timeout=120, check=False)
    if run.returncode != 0:
        raise FetchError(f"{doc.id}: {doc.source_repo} at {doc.commit[:12]} has no {path}: "
                         f"{run.stderr.decode(errors='replace').strip()[:200]}")
    return run.stdout


def fetch(dest: Path, docs: list[RealDoc], from_dir: Path | None = None,
          mirrors: Path | None = None) -> tuple[int, list[str], list[str]]:
    """Write DIR/<id>.pdf for every document, copied from FROM_DIR, derived from the git copies under
    MIRRORS or downloaded. Returns (written, warnings, errors)."""
    dest.mkdir(parents=True, exist_ok=True)
    written, warnings, errors = 0, [], []
    downloaded: dict[str, bytes] = {}  # several documents are cut from one source file
    for doc in docs:
        target = dest / doc.name
        try:
            if from_dir is not None:
                src = locate(doc, from_dir)
                if src is None:
                    raise FetchError(f"{doc.id}: no {doc.name} in {from_dir}")
                shutil.copyfile(src, target)
            else:
                blobs = []
                for path in _source_paths(doc):
                    url = raw_url(doc.source_repo, doc.commit, path)
                    if url not in downloaded:
                        downloaded[url] = _from_git(mirrors, doc, path) if mirrors else _download(url)
                    blobs.append(downloaded[url])
                _derive(doc, blobs, target)
        except FetchError as e:
            errors.append(str(e))
            if from_dir is None and "cannot reach" in str(e):
                break  # no network: one clear message, not 83 of them
            continue
        written += 1
        if sha256_of(target) != doc.sha256:
            word = doc.derive["how"] in ("convert", "fill")
            note = " (converted from Word: LibreOffice versions differ in bytes)" if word else ""
            warnings.append(f"{doc.id}: sha256 differs from the labelled file{note}")
    return written, warnings, errors


def _list(docs: list[RealDoc], folder: Path | None) -> None:
    kinds = Counter((d.doc_type, d.kind) for d in docs)
    for (cls, kind), n in sorted(kinds.items()):
        print(f"  {cls:20} {kind:16} {n}")
    print(f"{len(docs)} documents, {len({d.doc_type for d in docs})} classes, "
          f"{len({d.source_repo for d in docs})} sources")
    if folder is not None:
        missing = [d.id for d in docs if locate(d, folder) is None]
        tail = f", missing {', '.join(missing)}" if missing else ""
        print(f"in {folder}: {len(docs) - len(missing)} present{tail}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fetch", help="write DIR/<id>.pdf for every labelled document")
    f.add_argument("dir", type=Path)
    f.add_argument("--from", dest="from_dir", type=Path, help="copy from this folder instead of downloading")
    f.add_argument("--git", dest="mirrors", type=Path,
                   help="derive from local git copies of the source repositories in this folder")
    f.add_argument("--labels", type=Path, default=LABELS)
    ls = sub.add_parser("list", help="classes and kinds of the set")
    ls.add_argument("--dir", type=Path)
    ls.add_argument("--labels", type=Path, default=LABELS)
    args = ap.parse_args(argv)
    docs = load(args.labels)
    if args.cmd == "list":
        _list(docs, args.dir)
        return 0
    if args.from_dir is not None and not args.from_dir.is_dir():
        print(f"realset: --from {args.from_dir}: not a folder", file=sys.stderr)
        return 2
    if args.mirrors is not None and not args.mirrors.is_dir():
        print(f"realset: --git {args.mirrors}: not a folder", file=sys.stderr)
        return 2
    written, warnings, errors = fetch(args.dir, docs, args.from_dir, args.mirrors)
    for w in warnings:
        print(f"realset: warning: {w}", file=sys.stderr)
    for e in errors:
        print(f"realset: error: {e}", file=sys.stderr)
    print(f"{written} of {len(docs)} documents in {args.dir}")
    return 0 if not errors else 1 if written else 2


if __name__ == "__main__":
    sys.exit(main())
