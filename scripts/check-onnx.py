#!/usr/bin/python3
"""Runs onnx.checker (full check, with shape inference) on every .onnx file under the given folders.

Usage: /usr/bin/python3 scripts/check-onnx.py [DIR_OR_FILE ...]   (default: every target/onnx-models folder and model-zoo/)
Needs Debian's python3-onnx; Kiln's build does not.
"""
import glob
import os
import sys

import onnx

paths = sys.argv[1:] or glob.glob("**/target/onnx-models", recursive=True) + ["model-zoo"]
files = []
for p in paths:
    if os.path.isdir(p):
        files += sorted(glob.glob(os.path.join(p, "**", "*.onnx"), recursive=True))
    else:
        files.append(p)
if not files:
    print("no .onnx files found under", paths)
    sys.exit(1)
failed = 0
for f in files:
    try:
        onnx.checker.check_model(f, full_check=True)
        print("ok    ", f)
    except Exception as e:  # report every failure, not just the first
        failed += 1
        print("FAILED", f, "\n      ", str(e).strip().replace("\n", "\n       "))
print(f"{len(files) - failed}/{len(files)} models pass onnx.checker (onnx {onnx.__version__})")
sys.exit(1 if failed else 0)
