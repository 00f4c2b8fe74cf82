#!/usr/bin/env python3
"""Which input representation should the model learn on? A quick look with
linear methods, before spending a 15-minute training on each idea.

For each representation of the CIFAR-10 training thumbnails, fits PCA-30 on
a database part and reports the mAP@1000 (as issue 7 defines it) and
precision@1 of Euclidean ranking on the 30 projections, for 1,000 queries
(100 per class) against the other 49,000 images; for two of them also ITQ
(50 iterations). The last block tries coarser colour blocks (the thumbnail
area-averaged before contrast normalization) and also reports how often a
half-size copy of 1,000 database images (area-averaged to 16x16, rounded to
8 bits, enlarged back by repeating pixels, as the indexer's thumbnail does)
has its original as nearest neighbour. The split is numpy's seeded shuffle, not
scripts/cifar-split.sh's, so the figures are comparable with each other, not
digit for digit with `imgsearch eval`'s. Needs numpy and Pillow:

    python3 scripts/quality/explore_features.py [../shared/data/cifar10/train]

About 15 minutes on one core (each PCA of a 49,000 x 3,648 matrix and each
ranking takes about a minute). docs/quality.md ("Choosing the input")
has the output of a run.
"""
import os
import sys
import time

import numpy as np
from PIL import Image


def load(root):
    classes = sorted(os.listdir(root))
    images, labels = [], []
    for label, name in enumerate(classes):
        folder = os.path.join(root, name)
        for file in sorted(os.listdir(folder)):
            images.append(np.asarray(Image.open(os.path.join(folder, file)).convert("RGB"), dtype=np.uint8))
            labels.append(label)
    return np.stack(images).astype(np.float32) / 255, np.array(labels)


def split(labels, seed=1, per_class=100):
    generator = np.random.default_rng(seed)
    queries, database = [], []
    for label in np.unique(labels):
        members = np.where(labels == label)[0]
        generator.shuffle(members)
        queries += list(members[:per_class])
        database += list(members[per_class:])
    database = np.array(database)
    generator.shuffle(database)
    return np.array(queries), database


def mean_average_precision(query_codes, database_codes, query_labels, database_labels, hamming=False, depth=1000):
    precisions, firsts = [], []
    for start in range(0, len(query_codes), 200):
        block = query_codes[start:start + 200]
        if hamming:
            distances = (block[:, None, :] != database_codes[None, :, :]).sum(-1).astype(np.float32)
        else:
            distances = (block ** 2).sum(1)[:, None] - 2 * block @ database_codes.T + (database_codes ** 2).sum(1)[None]
        nearest = np.argpartition(distances, depth, axis=1)[:, :depth]
        for row in range(len(block)):
            order = nearest[row][np.argsort(distances[row, nearest[row]], kind="stable")]
            relevant = (database_labels[order] == query_labels[start + row]).astype(np.float64)
            hits = relevant.sum()
            precision_at = np.cumsum(relevant) / np.arange(1, depth + 1)
            precisions.append((precision_at * relevant).sum() / hits if hits else 0.0)
            firsts.append(relevant[0])
    return float(np.mean(precisions)), float(np.mean(firsts))


def contrast_normalized(rows, epsilon=0.05):
    return (rows - rows.mean(1, keepdims=True)) / (rows.std(1, keepdims=True) + epsilon)


def gradient_histograms(images, cell, bins=9):
    """Unsigned orientation histograms of the grey image, magnitude-weighted,
    per cell, the whole vector scaled to unit length (as ThumbnailFeatures)."""
    grey = images.mean(3)
    dx, dy = np.zeros_like(grey), np.zeros_like(grey)
    dx[:, :, 1:-1] = grey[:, :, 2:] - grey[:, :, :-2]
    dy[:, 1:-1, :] = grey[:, 2:, :] - grey[:, :-2, :]
    magnitude = np.sqrt(dx ** 2 + dy ** 2)
    angle = np.mod(np.arctan2(dy, dx), np.pi)
    bin_of = np.minimum(bins - 1, np.floor(angle / np.pi * bins).astype(int))
    cells = images.shape[1] // cell
    histograms = np.zeros((len(images), cells, cells, bins), np.float32)
    for b in range(bins):
        histograms[..., b] = (magnitude * (bin_of == b)).reshape(len(images), cells, cell, cells, cell).sum((2, 4))
    histograms = histograms.reshape(len(images), -1)
    return histograms / (np.linalg.norm(histograms, axis=1, keepdims=True) + 1e-3)


def pooled(images, side):
    """The images area-averaged to side x side."""
    factor = images.shape[1] // side
    return images.reshape(len(images), side, factor, side, factor, 3).mean((2, 4))


def half_size_copies(images):
    """What the indexer sees of a half-size copy: 2x2 means rounded to 8 bits, each repeated over its block."""
    small = np.clip(np.round(pooled(images * 255, images.shape[1] // 2)), 0, 255) / 255
    return small.repeat(2, 1).repeat(2, 2).astype(np.float32)


def standardized(features, database):
    mean, deviation = features[database].mean(0), features[database].std(0)
    return (features - mean) / np.maximum(deviation, 1e-3)


def pca_projections(features, database, components=30):
    mean = features[database].mean(0)
    covariance = np.cov((features[database] - mean).T)
    values, vectors = np.linalg.eigh(covariance)
    order = np.argsort(values)[::-1][:components]
    return (features - mean) @ vectors[:, order]


def itq_bits(projections, database, iterations=50, seed=0):
    rotation = np.linalg.qr(np.random.default_rng(seed).standard_normal((projections.shape[1],) * 2))[0]
    for _ in range(iterations):
        bits = np.sign(projections[database] @ rotation)
        left, _, right = np.linalg.svd(bits.T @ projections[database])
        rotation = (left @ right).T
    return (projections @ rotation > 0).astype(np.uint8)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/cifar10/train"
    images, labels = load(root)
    queries, database = split(labels)
    pixels = images.reshape(len(images), -1)

    def report(name, features, itq=False):
        started = time.time()
        projections = pca_projections(features, database)
        score, first = mean_average_precision(projections[queries], projections[database], labels[queries], labels[database])
        line = f"{name:45s} PCA-30 mAP@1000 {score:.4f}  P@1 {first:.3f}"
        if itq:
            bits = itq_bits(projections, database)
            score, first = mean_average_precision(bits[queries], bits[database], labels[queries], labels[database], hamming=True)
            line += f"   ITQ mAP@1000 {score:.4f}  P@1 {first:.3f}"
        print(f"{line}  ({time.time() - started:.0f} s)", flush=True)

    def report_colour_side(side, weight, copies, originals, scales=1):
        started = time.time()

        def blocks(images):
            histograms = gradient_histograms(images, 4)
            if scales == 2:  # and of the image averaged to 16x16, over the same cells
                histograms = np.concatenate([histograms, gradient_histograms(pooled(images, 16), 2)], 1)
            return histograms, contrast_normalized(pooled(images, side).reshape(len(images), -1))

        def features(histograms, colour):
            return np.concatenate([(histograms - mean_h) / deviation_h, weight * (colour - mean_c) / deviation_c], 1)

        histograms, colour = blocks(images)
        mean_h, deviation_h = histograms[database].mean(0), np.maximum(histograms[database].std(0), 1e-3)
        mean_c, deviation_c = colour[database].mean(0), np.maximum(colour[database].std(0), 1e-3)
        combined = features(histograms, colour)
        mean = combined[database].mean(0)
        values, vectors = np.linalg.eigh(np.cov((combined[database] - mean).T))
        basis = vectors[:, np.argsort(values)[::-1][:30]]
        projections = (combined - mean) @ basis
        score, first = mean_average_precision(projections[queries], projections[database], labels[queries], labels[database])
        copied = (features(*blocks(copies)) - mean) @ basis
        stored = projections[database]
        distances = (copied ** 2).sum(1)[:, None] - 2 * copied @ stored.T + (stored ** 2).sum(1)[None]
        found = np.mean(database[distances.argmin(1)] == originals)
        name = f"histograms (4x4{', and 2x2 at 16x16' if scales == 2 else ''}) + colour {side}x{side} x {weight}"
        print(f"{name:45s} PCA-30 mAP@1000 {score:.4f}  P@1 {first:.3f}"
              f"   half-size copy finds its original {100 * found:.1f}%  ({time.time() - started:.0f} s)", flush=True)

    report("pixels", pixels, itq=True)
    for epsilon in (0.01, 0.05, 0.1, 0.2):
        report(f"contrast-normalized pixels, epsilon {epsilon}", contrast_normalized(pixels, epsilon), itq=epsilon == 0.05)
    channels = images.transpose(0, 3, 1, 2).reshape(len(images), 3, -1)
    per_channel = (channels - channels.mean(2, keepdims=True)) / (channels.std(2, keepdims=True) + 0.05)
    report("contrast-normalized per channel", per_channel.reshape(len(images), -1))
    colour = standardized(contrast_normalized(pixels), database)
    for cell in (8, 4):
        report(f"gradient histograms, {cell}x{cell} cells", gradient_histograms(images, cell))
    histograms = standardized(gradient_histograms(images, 4), database)
    for weight in (0.15, 0.3, 0.5, 1.0):
        report(f"standardized histograms (4x4) + colour x {weight}", np.concatenate([histograms, weight * colour], 1),
               itq=weight == 0.3)
    originals = np.random.default_rng(7).choice(database, 1000, replace=False)
    copies = half_size_copies(images[originals])
    for side, weight in ((32, 0.3), (16, 0.3), (16, 0.4), (16, 0.6), (8, 0.4), (8, 0.6), (8, 0.8), (8, 1.2)):
        report_colour_side(side, weight, copies, originals)
    report_colour_side(8, 0.8, copies, originals, scales=2)


if __name__ == "__main__":
    main()
