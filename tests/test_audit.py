"""scripts/audit.py: pip-audit's verdict read right: a finding fails, an audit that could not look
(source unreachable, or knowing none of the packages) says so and passes unless SOHOA_AUDIT_STRICT=1."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
assert spec and spec.loader
audit: Any = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

CLEAN = {"name": "jinja2", "version": "3.1.6", "vulns": []}
VULN = {"name": "jinja2", "version": "2.4.1", "vulns": [
    {"id": "PYSEC-2014-8", "aliases": ["CVE-2014-1402"], "fix_versions": ["2.7.2"], "description": "..."}]}
UNKNOWN = {"name": "sohoa-private", "version": "1.0", "skip_reason": "Dependency not found on PyPI"}


def test_a_finding_fails_and_names_its_fix() -> None:
    code, lines = audit.judge({"dependencies": [CLEAN, VULN]}, "2 packages", "pypi")
    assert code == 1
    assert "jinja2 2.4.1: PYSEC-2014-8 (CVE-2014-1402), fixed in 2.7.2" in lines


def test_clean_and_partly_unknown_pass_and_say_so() -> None:
    code, lines = audit.judge({"dependencies": [CLEAN]}, "1 package", "pypi")
    assert code == 0 and "1 checked" in lines[-1]
    code, lines = audit.judge({"dependencies": [CLEAN, UNKNOWN]}, "2 packages", "pypi")
    assert code == 0 and "1 not found there" in lines[-1] and any("sohoa-private" in x for x in lines)


def test_knowing_none_of_the_packages_is_not_an_audit() -> None:
    code, lines = audit.judge({"dependencies": [UNKNOWN, {**UNKNOWN, "name": "x"}]}, "2 packages", "pypi")
    assert code is None and "no data on any" in lines[-1]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(("strict", "expected"), [("", 0), ("1", 1)])
def test_unreachable_source_passes_unless_strict(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                                 strict: str, expected: int) -> None:
    monkeypatch.setitem(audit.SOURCES, "pypi", f"http://127.0.0.1:{_closed_port()}/pypi/pip/json")
    monkeypatch.setenv("SOHOA_AUDIT_STRICT", strict)
    monkeypatch.delenv("SOHOA_AUDIT_SOURCE", raising=False)
    assert audit.main() == expected
    assert "NOT AUDITED" in capsys.readouterr().err


def test_pip_audit_is_installed() -> None:
    run = subprocess.run([sys.executable, "-m", "pip_audit", "--version"], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.startswith("pip-audit")
