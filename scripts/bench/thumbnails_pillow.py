#!/usr/bin/env python3
"""Peer for the per-format rows of `scripts/bench.sh decode`: Pillow making
the same 32x32 thumbnail imgsearch makes (decode, RGB, area average), over
every file of one format in a folder.

  python thumbnails_pillow.py DIR --procs N

Each file is opened, offered `draft("RGB", (32, 32))` (libjpeg's DCT
scaling for JPEG; pillow-heif picks the smallest embedded thumbnail that is
at least that large, where it implements draft), converted to RGB and
reduced with a box filter, the area average. HEIC goes through pillow-heif
when it is installed (`pip install pillow-heif`), AVIF through Pillow's own
plugin (Pillow 11.3 and later). Prints images/s, the median of 3 passes.
"""
import argparse, os, statistics, time
from multiprocessing import Pool
from PIL import Image

try:
    from pillow_heif import register_heif_opener
    register_heif_opener()
except ImportError:
    pass

parser = argparse.ArgumentParser()
parser.add_argument("dir")
parser.add_argument("--procs", type=int, default=1)
args = parser.parse_args()
files = sorted(os.path.join(root, name) for root, _, names in os.walk(args.dir) for name in names)


def thumbnail(path):
    with Image.open(path) as image:
        image.draft("RGB", (32, 32))
        return image.convert("RGB").resize((32, 32), Image.Resampling.BOX).tobytes()[:1]


with Pool(args.procs) as pool:
    pool.map(thumbnail, files[:2])
    rates = []
    for _ in range(3):
        start = time.perf_counter()
        pool.map(thumbnail, files, chunksize=1)
        rates.append(len(files) / (time.perf_counter() - start))
print(f"Pillow thumbnail procs={args.procs} files={len(files)}: {statistics.median(rates):.1f} images/s")
