#!/usr/bin/env python3
"""Helpers for scripts/stress.sh that look inside an imgsearch index or make
hostile files. Python's standard library only (sqlite3, zlib, struct).

  dbtool.py check DB              integrity_check, and hash_blocks == images; prints "ok" or the problems
  dbtool.py snapshot DB OUT       every (path, hash) as JSON lines, sorted: what must never be lost
  dbtool.py lost OLD NEW          rows of snapshot OLD that are missing or different in NEW (a count)
  dbtool.py count DB              number of indexed images
  dbtool.py hash DB PATH          the stored hash of PATH; exit status 1 when it is not indexed
  dbtool.py account DIR DB ERR GOOD
                                  every file below DIR either indexed in DB or named in ERR
                                  ("<path>: <reason>" lines); prints "files named indexed
                                  unaccounted good-missing", GOOD being the folder of good files
  dbtool.py set-version DB N      PRAGMA user_version = N (a database "from a newer imgsearch")
  dbtool.py cut-model DB          truncate the active model's stored file (a damaged model in the index)
  dbtool.py corrupt FILE SEED     overwrite random bytes of FILE (seeded)
  dbtool.py bombs DIR             write the decompression bombs into DIR
"""
import json
import random
import sqlite3
import struct
import sys
import zlib


def connect(path):
    # mode=ro: a checker must not change what it checks.
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def check(path):
    problems = []
    db = connect(path)
    result = [row[0] for row in db.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        problems.append("integrity_check: " + "; ".join(result[:5]))
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    if "images" in tables and "hash_blocks" in tables:
        rows = dict(db.execute("SELECT id, hash & 0xFFFFFFFFFFFFFFFF FROM images"))
        packed = {}
        for block, ids, hashes in db.execute("SELECT block, ids, hashes FROM hash_blocks"):
            offsets = struct.unpack(f"<{len(ids) // 2}H", ids)
            values = struct.unpack(f"<{len(hashes) // 8}Q", hashes)
            if len(offsets) != len(values):
                problems.append(f"block {block}: {len(offsets)} ids, {len(values)} hashes")
            for offset, value in zip(offsets, values):
                packed[block * 4096 + offset] = value
        rows = {key: value & 0xFFFFFFFFFFFFFFFF for key, value in rows.items()}
        if rows != packed:
            missing = len(set(rows) - set(packed))
            extra = len(set(packed) - set(rows))
            differ = sum(1 for key in set(rows) & set(packed) if rows[key] != packed[key])
            problems.append(f"hash_blocks disagree with images: {missing} missing, {extra} extra, {differ} differ")
    print("ok" if not problems else "\n".join(problems))
    return 0 if not problems else 1


def snapshot(path, out):
    db = connect(path)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    # A run killed before its first migration committed leaves no tables.
    rows = sorted(db.execute("SELECT path, hash FROM images")) if "images" in tables else []
    with open(out, "w") as file:
        for row in rows:
            file.write(json.dumps(row) + "\n")
    return 0


def read_snapshot(path):
    with open(path) as file:
        return dict(tuple(json.loads(line)) for line in file)


def lost(old, new):
    before, after = read_snapshot(old), read_snapshot(new)
    print(sum(1 for key, value in before.items() if after.get(key) != value))
    return 0


def count(path):
    db = connect(path)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    print(db.execute("SELECT count(*) FROM images").fetchone()[0] if "images" in tables else 0)
    return 0


def stored_hash(path, image):
    row = connect(path).execute("SELECT hash FROM images WHERE path = ?", (image,)).fetchone()
    if row is None:
        return 1
    print(row[0])
    return 0


def account(folder, path, errors, good):
    import os
    files = []
    for root, _, names in os.walk(folder):
        files += [os.path.join(root, name) for name in names]
    indexed = {row[0] for row in connect(path).execute("SELECT path FROM images")}
    with open(errors, errors="replace") as file:
        text = file.read()
    named = {name for name in files if (name + ": ") in text}
    unaccounted = [name for name in files if name not in indexed and name not in named]
    good_missing = [name for name in files if name.startswith(good + "/") and name not in indexed]
    print(len(files), len(named), len(indexed & set(files)), len(unaccounted), len(good_missing))
    for name in unaccounted + good_missing:
        print("  " + name, file=sys.stderr)
    return 0


def set_version(path, version):
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {int(version)}")
    db.commit()
    db.close()
    return 0


def cut_model(path):
    db = sqlite3.connect(path)
    db.execute("UPDATE models SET file = substr(file, 1, 1000) WHERE id = (SELECT value FROM state WHERE key = 'active_model')")
    db.commit()
    db.close()
    return 0


def corrupt(path, seed):
    # Damage of the kinds storage produces: a few flipped bytes, a run of
    # garbage, a page of zeros; sometimes in the 100-byte header.
    generator = random.Random(int(seed))
    with open(path, "r+b") as file:
        data = bytearray(file.read())
        kind = generator.choice(["bytes", "run", "zero-page", "header"])
        if kind == "bytes":
            for _ in range(generator.randint(1, 16)):
                data[generator.randrange(len(data))] = generator.randrange(256)
        elif kind == "run":
            start = generator.randrange(len(data))
            for index in range(start, min(len(data), start + generator.randint(16, 512))):
                data[index] = generator.randrange(256)
        elif kind == "zero-page":
            page = generator.randrange(max(1, len(data) // 4096))
            data[page * 4096:(page + 1) * 4096] = bytes(min(4096, len(data) - page * 4096))
        else:
            data[generator.randrange(16, 100)] = generator.randrange(256)
        file.seek(0)
        file.write(data)
    print(kind)
    return 0


def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


def png(width, height, colour=None):
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    # Header only: an empty IDAT, where libpng stops reading the header.
    body = png_chunk(b"IDAT", b"")
    if colour is not None:
        # One colour, streamed through zlib: the file stays about a
        # thousandth of the pixels' size, the point of a bomb. Z_RLE
        # compresses runs of one byte value (a grey) as well as level 9
        # does, many times faster.
        compressor = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
        row = b"\x00" + colour * width
        parts = [compressor.compress(row) for _ in range(height)]
        parts.append(compressor.flush())
        body = png_chunk(b"IDAT", b"".join(parts))
    return b"\x89PNG\r\n\x1a\n" + header + body + png_chunk(b"IEND", b"")


def jpeg_header(width, height):
    # SOI, a quantization table, SOF0 (baseline, 3 components), the standard
    # DC luminance Huffman table (for AC too), SOS, a few bytes of scan data, EOI.
    quantization = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes([1] * 64)
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x11\x00\x02\x11\x00\x03\x11\x00"
    counts = bytes([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    huffman_dc = b"\xff\xc4" + struct.pack(">H", 3 + 16 + 12) + b"\x00" + counts + bytes(range(12))
    huffman_ac = b"\xff\xc4" + struct.pack(">H", 3 + 16 + 12) + b"\x10" + counts + bytes(range(12))
    scan = b"\xff\xda" + struct.pack(">HB", 12, 3) + b"\x01\x00\x02\x00\x03\x00" + b"\x00\x3f\x00"
    return b"\xff\xd8" + quantization + frame + huffman_dc + huffman_ac + scan + b"\x00" * 64 + b"\xff\xd9"


def bombs(folder):
    files = {
        "header-65535.png": png(65535, 65535),
        "header-65535.jpg": jpeg_header(65535, 65535),
        "real-20000-one-colour.png": png(20000, 20000, colour=b"\x80\x80\x80"),
        "real-10000-one-colour.png": png(10000, 10000, colour=b"\x80\x80\x80"),
    }
    for name, data in files.items():
        with open(f"{folder}/{name}", "wb") as file:
            file.write(data)
        print(f"{name} {len(data)}")
    return 0


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    handlers = {"check": check, "snapshot": snapshot, "lost": lost, "count": count, "hash": stored_hash,
                "account": account, "set-version": set_version,
                "cut-model": cut_model, "corrupt": corrupt, "bombs": bombs}
    sys.exit(handlers[command](*arguments))
