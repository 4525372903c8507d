"""Make a clean raster page look scanned or photographed, and write it in the claimed format.

Noise and lighting are computed on one channel (or at low resolution and scaled up) because a
300 dpi A4 page has 26 million samples; per-channel full-size float work would dominate the run.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops

PAPER_SCAN = (238, 236, 230)
TABLE = (96, 84, 70)  # a desk behind a photographed page


@dataclass(frozen=True)
class Plan:
    """What to do to every page of one document; drawn once so all pages agree with the label."""

    kind: str  # clean, scan, photo
    skew: float  # degrees, counter-clockwise (PIL's sense), applied before `rotation`
    rotation: int  # 0, 90, 180, 270 degrees counter-clockwise
    grey: bool  # scanned in greyscale (many office scanners default to it)
    noise: float
    blur: float
    jpeg_quality: int


def plan(kind: str, rng: np.random.Generator) -> Plan:
    if kind == "clean":
        return Plan("clean", 0.0, 0, False, 0.0, 0.0, 92)
    u = float(rng.random())
    if kind == "scan":
        rotation = 180 if u < 0.125 else (90 if u < 0.16 else (270 if u < 0.19 else 0))
        skew = float(rng.uniform(0.3, 2.0)) * (1 if rng.random() < 0.5 else -1)
        return Plan("scan", round(skew, 2), rotation, bool(rng.random() < 0.2), float(rng.uniform(3, 7)),
                    float(rng.uniform(0.3, 0.7)), int(rng.integers(80, 92)))
    rotation = 90 if u < 0.125 else (180 if u < 0.2 else (270 if u < 0.25 else 0))
    skew = float(rng.uniform(0.5, 3.0)) * (1 if rng.random() < 0.5 else -1)
    return Plan("photo", round(skew, 2), rotation, False, float(rng.uniform(8, 14)), float(rng.uniform(0.8, 1.4)),
                int(rng.integers(40, 65)))


def _lighting(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A smooth brightness field: a linear falloff from one side and a vignette, 0.6-1.0."""
    w, h = size
    sw, sh = max(2, w // 16), max(2, h // 16)
    y, x = np.mgrid[0:sh, 0:sw].astype(np.float32)
    x /= sw - 1
    y /= sh - 1
    a = float(rng.uniform(0, 2 * np.pi))
    lin = (x - 0.5) * np.cos(a) + (y - 0.5) * np.sin(a)
    vig = (x - 0.5) ** 2 + (y - 0.5) ** 2
    field = 1.0 - float(rng.uniform(0.15, 0.35)) * (lin + 0.5) - float(rng.uniform(0.1, 0.3)) * vig
    img = Image.fromarray(np.clip(field * 255, 0, 255).astype(np.uint8), "L").resize(size, Image.Resampling.BILINEAR)
    return np.asarray(img, dtype=np.float32) / 255.0


def _noise(size: tuple[int, int], sigma: float, rng: np.random.Generator) -> Image.Image:
    """Luminance noise centred on 128, one channel: the sensor grain of a scanner or phone."""
    # Drawn at half resolution: grain of two pixels is what 200-300 dpi sensors show, at a quarter the cost.
    w, h = size
    n = rng.standard_normal(((h + 1) // 2, (w + 1) // 2), dtype=np.float32) * sigma + 128.0
    small = Image.fromarray(np.clip(n, 0, 255).astype(np.uint8), "L")
    return small.resize(size, Image.Resampling.NEAREST)


def degrade(page: Image.Image, p: Plan, rng: np.random.Generator) -> Image.Image:
    if p.kind == "clean":
        return page
    img = page.convert("RGB")
    if p.blur:
        # Optical softness as a down- and up-scale: it looks like a lens blur and costs a tenth of a filter.
        w, h = img.size
        f = 1.0 / (1.0 + p.blur)
        img = img.resize((int(w * f), int(h * f)), Image.Resampling.BOX).resize((w, h), Image.Resampling.BILINEAR)
    if p.kind == "scan":
        img = ImageChops.multiply(img, Image.new("RGB", img.size, PAPER_SCAN))
    else:
        light = Image.fromarray((_lighting(img.size, rng) * 255).astype(np.uint8), "L")
        warm = Image.merge("RGB", (light, light.point(lambda v: v * 0.96), light.point(lambda v: v * 0.86)))
        img = ImageChops.multiply(img, warm)
    grain = _noise(img.size, p.noise, rng)
    img = ImageChops.add(img, Image.merge("RGB", (grain, grain, grain)), offset=-128)
    # The skew was drawn by the renderer (see layout.render); only whole turns are left to do here.
    if p.rotation:
        img = img.transpose({90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180,
                             270: Image.Transpose.ROTATE_270}[p.rotation])
    if p.kind == "photo":
        # Phones hand over JPEGs: bake the compression artefacts in whatever the final format.
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=p.jpeg_quality)
        buf.seek(0)
        img = Image.open(buf)
        img.load()
    if p.grey:
        img = img.convert("L")
    return img


def save(pages: list[Image.Image], fmt: str, dpi: int, p: Plan) -> bytes:
    """Encode the pages as `fmt` (pdf-scan, tiff, jpeg, png) with the dpi recorded in the file."""
    buf = io.BytesIO()
    first, rest = pages[0], pages[1:]
    if fmt == "png":
        first.save(buf, "PNG", dpi=(dpi, dpi), compress_level=1)
    elif fmt == "jpeg":
        first.save(buf, "JPEG", dpi=(dpi, dpi), quality=p.jpeg_quality if p.kind != "clean" else 92)
    elif fmt == "tiff":
        comp = "tiff_deflate" if p.kind == "clean" else "jpeg"
        extra = {"quality": 85} if comp == "jpeg" else {}
        first.save(buf, "TIFF", dpi=(dpi, dpi), compression=comp, save_all=True, append_images=rest, **extra)
    elif fmt == "pdf-scan":
        # JPEG-compressed pages, as scanners write; page size follows from pixels and resolution.
        rgb = [im.convert("RGB") if im.mode not in ("RGB", "L") else im for im in pages]
        rgb[0].save(buf, "PDF", resolution=float(dpi), save_all=True, append_images=rgb[1:], quality=80,
                    title="", author="", creator="", producer="", creationDate=None, modDate=None)
    else:
        raise ValueError(f"not a raster format: {fmt}")
    return buf.getvalue()
