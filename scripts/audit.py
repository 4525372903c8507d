"""Known vulnerabilities in the exact dependency versions, by pip-audit (`make audit`, part of `make test`).

What is audited: `requirements.lock` when the project has one, else the exact versions installed in
this virtualenv (`pip freeze`, the project itself left out): what `make test` and `make demo` run.
The vulnerability data comes from PyPI's JSON API (SOHOA_AUDIT_SOURCE=osv for OSV). Exit status:
  0  no known vulnerability, or the source cannot be reached: then it says so plainly and passes,
     unless SOHOA_AUDIT_STRICT=1 (CI with network), where an audit that could not run fails;
  1  a finding (each printed with its fix), or the audit failed for another reason.
A finding judged not to apply is listed in scripts/audit-ignore.txt with its reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
IGNORE = Path(__file__).resolve().parent / "audit-ignore.txt"
SOURCES = {"pypi": "https://pypi.org/pypi/pip/json", "osv": "https://api.osv.dev/v1/query"}
# What pip-audit prints when it cannot reach its source mid-way.
NETWORK_WORDS = ("ConnectionError", "Max retries exceeded", "Name or service not known", "Temporary failure in name",
                 "timed out", "Connection refused", "Network is unreachable", "ProxyError", "SSLError")


def reachable(source: str, timeout: float = 8.0) -> str | None:
    """None when the source answers; else why not."""
    url = SOURCES[source]
    try:
        if source == "osv":
            body = json.dumps({"package": {"name": "pip", "ecosystem": "PyPI"}, "version": "23.0"}).encode()
            req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        else:
            req = urllib.request.Request(url, method="HEAD")
        with urllib.request.urlopen(req, timeout=timeout):
            return None
    except (urllib.error.URLError, OSError) as e:
        return f"{url}: {getattr(e, 'reason', e)}"


def ignored() -> dict[str, str]:
    """Vulnerability id -> why it does not apply (`ID  reason` lines)."""
    out: dict[str, str] = {}
    if IGNORE.exists():
        for line in IGNORE.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                vid, _, why = line.partition(" ")
                out[vid] = why.strip()
    return out


def requirements(tmp: Path) -> tuple[Path, str]:
    if LOCK.exists():
        return LOCK, LOCK.name
    freeze = [sys.executable, "-m", "pip", "freeze", "--exclude-editable", "--disable-pip-version-check"]
    frozen = subprocess.run(freeze, capture_output=True, text=True, check=True).stdout
    pins = [line for line in frozen.splitlines() if "==" in line and not line.startswith("-e")]
    path = tmp / "installed.txt"
    path.write_text("\n".join(pins) + "\n", encoding="utf-8")
    return path, f"the {len(pins)} packages installed in {Path(sys.prefix).name}"


def not_audited(why: str) -> int:
    strict = os.environ.get("SOHOA_AUDIT_STRICT") == "1"
    print(f"audit: NOT AUDITED: {why}", file=sys.stderr)
    if strict:
        print("audit: failing because SOHOA_AUDIT_STRICT=1", file=sys.stderr)
        return 1
    print("audit: passing anyway (set SOHOA_AUDIT_STRICT=1 to fail instead)", file=sys.stderr)
    return 0


def main() -> int:
    source = os.environ.get("SOHOA_AUDIT_SOURCE", "pypi")
    if source not in SOURCES:
        print(f"audit: SOHOA_AUDIT_SOURCE={source!r}: expected one of {', '.join(SOURCES)}", file=sys.stderr)
        return 1
    why = reachable(source)
    if why:
        return not_audited(f"the vulnerability source ({source}) is unreachable: {why}")
    skip = ignored()
    with tempfile.TemporaryDirectory() as tmp:
        req, what = requirements(Path(tmp))
        cmd = [sys.executable, "-m", "pip_audit", "-r", str(req), "--no-deps", "--disable-pip", "-s", source,
               "-f", "json", "--progress-spinner", "off", *(a for vid in skip for a in ("--ignore-vuln", vid))]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    try:
        report = json.loads(run.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    if "dependencies" not in report:
        if any(w in run.stderr for w in NETWORK_WORDS):
            return not_audited(f"the vulnerability source ({source}) failed mid-way: {run.stderr.strip()[-300:]}")
        print(f"audit: pip-audit failed (exit {run.returncode}):\n{run.stderr.strip()}", file=sys.stderr)
        return 1
    for vid, why in skip.items():
        print(f"audit: ignored {vid}: {why}", file=sys.stderr)
    code, lines = judge(report, what, source)
    if code is None:
        return not_audited(lines[-1])
    for line in lines:
        print(f"audit: {line}", file=sys.stderr)
    return code


def judge(report: dict[str, Any], what: str, source: str) -> tuple[int | None, list[str]]:
    """pip-audit's JSON report read: (1, findings) on a known vulnerability, (0, summary) when every
    package was checked and none has one, (None, why) when the source had nothing to say about them
    (a package it does not know is not audited, and an audit of nothing is no pass)."""
    deps = report["dependencies"]
    found = [(d["name"], d["version"], v) for d in deps for v in d.get("vulns", [])]
    unchecked = [d for d in deps if d.get("skip_reason")]
    lines = []
    for name, version, v in found:
        fix = ", ".join(v.get("fix_versions") or []) or "no fixed version yet"
        aliases = f" ({', '.join(v['aliases'])})" if v.get("aliases") else ""
        lines.append(f"{name} {version}: {v['id']}{aliases}, fixed in {fix}")
    if found:
        lines.append(f"{len(found)} known vulnerabilities in {what} ({source})")
        return 1, lines
    if deps and len(unchecked) == len(deps):
        return None, [f"{source} has no data on any of {what} (e.g. {unchecked[0]['skip_reason']}); "
                      "a partial mirror or a proxy that answers only some URLs"]
    lines += [f"not checked: {d['name']}: {d['skip_reason']}" for d in unchecked]
    checked = len(deps) - len(unchecked)
    lines.append(f"no known vulnerability in {what} ({source}, {checked} checked"
                 + (f", {len(unchecked)} not found there" if unchecked else "") + ")")
    return 0, lines

if __name__ == "__main__":
    raise SystemExit(main())
