"""The site's favicon.ico, made from its favicon.svg by Chromium: a feed or a data file opened
in a browser has no page head to name the SVG icon, and the browser asks for /favicon.ico.

Run `python -m tests.browser.favicon_ico` after changing site_templates/static/assets/favicon.svg;
tests/browser/test_site_pages.py checks the two still look alike.
"""

from __future__ import annotations

import base64
import struct
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SVG = REPO / "site_templates" / "static" / "assets" / "favicon.svg"
ICO = REPO / "site_templates" / "static" / "favicon.ico"
SIZES = (16, 32, 48)


def rasterised(browser: Any, svg: bytes, size: int) -> bytes:
    """The SVG drawn at `size` pixels square on a transparent background, as a PNG."""
    page = browser.new_page(viewport={"width": size, "height": size})
    source = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    page.set_content(
        f'<body style="margin:0"><img src="{source}" width="{size}" height="{size}" style="display:block"></body>'
    )
    page.wait_for_function("document.images[0].complete")
    png: bytes = page.screenshot(omit_background=True, clip={"x": 0, "y": 0, "width": size, "height": size})
    page.close()
    return png


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """An icon file holding PNG images (every browser reads them), one entry each."""
    entries, data = b"", b""
    offset = 6 + 16 * len(images)
    for size, png in images:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return struct.pack("<HHH", 0, 1, len(images)) + entries + data


def images_of(icon: bytes) -> list[tuple[int, bytes]]:
    """Each image of an icon file whose images are PNGs: its size and its bytes."""
    reserved, kind, count = struct.unpack_from("<HHH", icon)
    assert (reserved, kind) == (0, 1), "not an icon file"
    images = []
    for index in range(count):
        width, _height, _colours, _reserved, _planes, _bits, length, offset = struct.unpack_from(
            "<BBBBHHII", icon, 6 + 16 * index
        )
        images.append((width or 256, icon[offset : offset + length]))
    return images


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_FLAGS, chromium_path

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        ICO.write_bytes(ico([(size, rasterised(browser, SVG.read_bytes(), size)) for size in SIZES]))
        browser.close()
    print(f"{ICO.relative_to(REPO)} written")


if __name__ == "__main__":
    main()
