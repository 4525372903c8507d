"""requirements.lock, the versions make test, make demo and the image install: it must pin every
dependency pyproject.toml declares (runtime and dev) at a version the declaration allows, or
scripts/setup.sh would install an unaudited version beside it; `make lock` remakes it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not pinned with =="
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_lock_pins_every_declared_dependency_within_its_range() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _pins()
    for spec in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is declared but not in requirements.lock: run make lock"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {req.name}=={pins[name]}, outside {req.specifier}: run make lock")


def test_setup_and_image_install_with_the_lock() -> None:
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert len(re.findall(r"pip install -q -c requirements\.lock -e", setup)) == 2, "dev and runtime installs"
    assert "requirements.lock" in setup.split("hash=", 1)[1].splitlines()[0], "a new lock reinstalls"
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"COPY [^\n]*requirements\.lock", dockerfile)
    assert "pip install -c requirements.lock" in dockerfile
