"""The real evaluation set: documents this project did not generate, labelled by hand.

    .venv/bin/python bench/realset.py fetch DIR                  # download by commit from GitHub
    .venv/bin/python bench/realset.py fetch DIR --from FOLDER    # or copy from a local copy of the set
    .venv/bin/python bench/realset.py fetch DIR --git MIRRORS    # or derive from local git copies of the sources
    .venv/bin/python bench/realset.py list [--dir DIR]           # what the labels hold (and which files are there)

The files themselves are not in the repository (bench/realset/README.md says why and whose they are):
`bench/realset/labels.jsonl` lists each one with the repository, path and commit it comes from, how
it was derived from that file (`derive`: copied, some pages cut out, page images put into one PDF,
a Word file converted, or edited by hand), the sha256 of the derived file, and the hand labels.
`fetch` rebuilds DIR/<id>.pdf from raw.githubusercontent.com and checks each against its sha256 (a
Word file converted by another LibreOffice may differ in bytes: it is kept and said so). Files
edited by hand (`derive.how == "manual"`) can only come from a copy of the set (`--from`).
`bench/classify.py --set real --dir DIR` scores classification (and metadata) on DIR.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
        images[0].save(dest, "PDF", save_all=True, append_images=images[1:], resolution=doc.derive["dpi"])
    elif how == "convert":
        office = shutil.which("libreoffice") or shutil.which("soffice")
        if office is None:
            raise FetchError(f"{doc.id}: {doc.source_path} is a Word file and LibreOffice is not installed to "
                             f"convert it to PDF (apt-get install libreoffice-writer), or use --from FOLDER")
        with tempfile.TemporaryDirectory(prefix="sohoa-realset-") as tmp:
            src = Path(tmp) / ("source" + Path(doc.source_path).suffix.lower())
            src.write_bytes(sources[0])
            run = subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(src)],
                                 capture_output=True, text=True, timeout=300, check=False)
            made = src.with_suffix(".pdf")
            if run.returncode != 0 or not made.exists():
                raise FetchError(f"{doc.id}: LibreOffice could not convert {doc.source_path}: "
                                 f"{(run.stderr or run.stdout).strip()[:300]}")
            shutil.copyfile(made, dest)
    else:
        raise FetchError(f"{doc.id}: derived by hand ({doc.derive.get('why', how)}), not reproducible from "
                         f"{doc.source_repo}: copy it from a copy of the set with --from FOLDER")


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
            word = doc.derive["how"] == "convert"
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
