#!/usr/bin/env python3
"""Would the colour histogram help the model's input? A linear look first.

The shipped model's first layer sees gradient histograms and a
contrast-normalized 8x8 colour block (ThumbnailFeatures); contrast
normalization removes which colours a picture has, and on COIL-17 the plain
HSV histogram retrieves far better than the model (docs/quality.md). This
script adds the thumbnail's 8x4x4 HSV histogram, square-rooted, as a third
block with weight W after standardization, fits PCA-30 (and ITQ-30 on it) on
9,000 CIFAR-10 training images (the first 1,000 of each class, a seeded
shuffle; statistics from the same 9,000), and reports for each W:

- CIFAR-10: mAP@1000 of 1,000 held-out queries against the 9,000 (AP over
  the first 1,000 results, divided by min(relevant, 1000));
- Caltech-101 and COIL-17 leave-one-out: mAP@1000 and the N-S score, the
  projection fitted on CIFAR-10 only, as the shipped model is.

The features are this script's numpy versions (as in explore_features.py),
so its figures compare with each other, not digit for digit with
`imgsearch eval`'s. Needs numpy and Pillow; about 2 minutes:

    python3 scripts/quality/explore_colour_histogram.py [../shared/data]
"""
import os
import sys

import numpy as np
from PIL import Image

# The gradient and colour blocks exactly as the feature study computes them.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from explore_features import contrast_normalized, gradient_histograms, pooled  # noqa: E402


def hsv_histogram(rgb, hue_bins=8, saturation_bins=4, value_bins=4):
    """Shares of an (h, w, 3) uint8 picture's pixels in ColourHistogram's bins."""
    a = rgb.reshape(-1, 3).astype(np.float32) / 255
    maximum, minimum = a.max(1), a.min(1)
    spread = maximum - minimum
    saturation = np.where(maximum > 0, spread / np.maximum(maximum, 1e-12), 0)
    r, g, b = a[:, 0], a[:, 1], a[:, 2]
    safe = np.where(spread > 0, spread, 1)
    hue = np.where(maximum == r, (g - b) / safe, np.where(maximum == g, 2 + (b - r) / safe, 4 + (r - g) / safe)) / 6
    hue = np.where(hue < 0, hue + 1, hue)
    hue = np.minimum(np.where(spread > 0, hue, 0), 0.999999)
    h = np.minimum(hue_bins - 1, (hue * hue_bins).astype(int))
    s = np.minimum(saturation_bins - 1, (saturation * saturation_bins).astype(int))
    v = np.minimum(value_bins - 1, (maximum * value_bins).astype(int))
    counts = np.bincount((h * saturation_bins + s) * value_bins + v, minlength=hue_bins * saturation_bins * value_bins)
    return counts.astype(np.float32) / len(a)


def thumbnails(root, per_class=None):
    images, labels = [], []
    for label in sorted(os.listdir(root)):
        folder = os.path.join(root, label)
        if not os.path.isdir(folder):
            continue
        names = sorted(f for f in os.listdir(folder) if f.lower().endswith((".jpg", ".jpeg", ".png")))
        for name in names[:per_class]:
            picture = Image.open(os.path.join(folder, name)).convert("RGB")
            images.append(np.asarray(picture.resize((32, 32), Image.BOX), dtype=np.uint8))
            labels.append(label)
    return np.stack(images), np.array(labels)


def blocks(thumbs):
    x = thumbs.astype(np.float32) / 255
    colour = pooled(x, 8).transpose(0, 3, 1, 2).reshape(len(x), -1)
    colour = contrast_normalized(colour, 0.05)
    return [gradient_histograms(x, 4), gradient_histograms(pooled(x, 16), 2), colour,
            np.sqrt(np.stack([hsv_histogram(t) for t in thumbs]))]


def ranked_scores(distances, query_labels, database_labels, leave_one_out, depth=1000):
    if leave_one_out:
        np.fill_diagonal(distances, np.inf)
    order = np.argsort(distances, axis=1, kind="stable")[:, :min(depth, distances.shape[1] - leave_one_out)]
    relevant = database_labels[order] == query_labels[:, None]
    totals = (database_labels[None, :] == query_labels[:, None]).sum(1) - leave_one_out
    precision = np.cumsum(relevant, 1) / np.arange(1, relevant.shape[1] + 1)
    average_precision = (relevant * precision).sum(1) / np.maximum(1, np.minimum(totals, depth))
    return average_precision.mean(), 1 + relevant[:, :3].sum(1).mean()


def euclidean(a, b):
    return (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T


def hamming(a, b):
    a, b = a.astype(np.float32), b.astype(np.float32)
    return a.shape[1] - a @ b.T - (1 - a) @ (1 - b).T


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
    cifar, cifar_labels = thumbnails(os.path.join(data, "cifar10/train"), per_class=1000)
    order = np.random.default_rng(1).permutation(len(cifar_labels))
    queries, database = order[:1000], order[1000:]
    cifar_blocks = blocks(cifar)
    photo_sets = {name: thumbnails(os.path.join(data, name)) for name in ["caltech101", "coil17"]}
    photo_blocks = {name: (blocks(images), labels) for name, (images, labels) in photo_sets.items()}
    means = [block[database].mean(0) for block in cifar_blocks]
    deviations = [np.maximum(block[database].std(0), 1e-3) for block in cifar_blocks]
    for histogram_weight in [0, 0.8, 1.6, 2.4, 3.2]:
        weights = [1, 1, 0.8, histogram_weight]

        def features(parts):
            return np.concatenate([(p - m) / d * w for p, m, d, w in zip(parts, means, deviations, weights)], 1)

        cifar_features = features(cifar_blocks)
        centre = cifar_features[database].mean(0)
        directions = np.linalg.svd(cifar_features[database] - centre, full_matrices=False)[2][:30].T
        projected = (cifar_features - centre) @ directions
        rotation = np.linalg.qr(np.random.default_rng(1).standard_normal((30, 30)))[0]
        for _ in range(50):
            left, _, right = np.linalg.svd(np.sign(projected[database] @ rotation).T @ projected[database])
            rotation = (left @ right).T
        line = [f"histogram weight {histogram_weight}:"]
        pca_map, _ = ranked_scores(euclidean(projected[queries], projected[database]), cifar_labels[queries],
                                   cifar_labels[database], 0)
        bits = projected @ rotation > 0
        itq_map, _ = ranked_scores(hamming(bits[queries], bits[database]), cifar_labels[queries], cifar_labels[database], 0)
        line.append(f"CIFAR-10 PCA {pca_map:.4f} ITQ {itq_map:.4f}")
        for name, (parts, labels) in photo_blocks.items():
            codes = (features(parts) - centre) @ directions
            pca = ranked_scores(euclidean(codes, codes), labels, labels, 1)
            codes_bits = codes @ rotation > 0
            itq = ranked_scores(hamming(codes_bits, codes_bits), labels, labels, 1)
            line.append(f"{name} PCA {pca[0]:.4f}/{pca[1]:.2f} ITQ {itq[0]:.4f}/{itq[1]:.2f}")
        print(" | ".join(line), flush=True)


if __name__ == "__main__":
    main()
