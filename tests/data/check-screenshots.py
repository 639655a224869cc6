#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every picture in docs/screenshots is a window alone: no border of the
(black) root window around it, and every README image exists."""
import os
import re
import subprocess
import sys


def black_fraction(path, geometry):
    """The share of pure-black pixels in a strip of the picture."""
    out = subprocess.run(["convert", path, "-alpha", "off", "-crop", geometry, "+repage",
                          "-fill", "white", "+opaque", "#000000", "-format", "%[fx:1-mean]", "info:"],
                         capture_output=True, text=True, check=True).stdout
    return float(out)


def size(path):
    out = subprocess.run(["identify", "-format", "%w %h", path], capture_output=True, text=True,
                         check=True).stdout
    w, h = out.split()
    return int(w), int(h)


def main():
    root = sys.argv[1]
    folder = os.path.join(root, "docs", "screenshots")
    failures = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".png"):
            continue
        path = os.path.join(folder, name)
        w, h = size(path)
        # The last 8 columns and rows: a window's own edge is never black.
        for edge, geometry in (("right", f"8x{h}+{w - 8}+0"), ("bottom", f"{w}x8+0+{h - 8}")):
            fraction = black_fraction(path, geometry)
            if fraction > 0.5:
                failures.append(f"{name}: {fraction:.0%} of its {edge} edge is black (the root window?)")
    with open(os.path.join(root, "README.md")) as f:
        for image in re.findall(r"\(docs/screenshots/([^)]+\.png)\)", f.read()):
            for variant in (image, image.replace(".png", "-dark.png")):
                if not os.path.exists(os.path.join(folder, variant)):
                    failures.append(f"README: docs/screenshots/{variant} is missing")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
