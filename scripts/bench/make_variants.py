#!/usr/bin/env python3
"""Near-duplicate variants of every image in a folder, for the dupes
measurement: make_variants.py SRC DST writes, for each SRC/<name>,
DST/jpeg50/<name>.jpg (re-encoded at JPEG quality 50), DST/half/<name>.png
(half the width and height), DST/noise/<name>.png (Gaussian noise, standard
deviation 8 levels, seed fixed). Needs Pillow and numpy."""
import os, sys
import numpy as np
from PIL import Image

source, target = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(1)
for kind in ("jpeg50", "half", "noise"):
    os.makedirs(os.path.join(target, kind), exist_ok=True)
for name in sorted(os.listdir(source)):
    image = Image.open(os.path.join(source, name)).convert("RGB")
    image.save(os.path.join(target, "jpeg50", name + ".jpg"), quality=50)
    image.resize((max(1, image.width // 2), max(1, image.height // 2)), Image.BILINEAR).save(
        os.path.join(target, "half", name + ".png"))
    noisy = np.asarray(image, dtype=np.float32) + rng.normal(0, 8, (image.height, image.width, 3))
    Image.fromarray(np.clip(noisy, 0, 255).round().astype(np.uint8)).save(os.path.join(target, "noise", name + ".png"))
