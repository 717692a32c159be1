#!/usr/bin/env python3
"""Word clusters from unlabelled text: a cheap stand-in for Brown clusters.

Each word seen 3+ times gets a vector of counts of its left and right
neighbours (the 1,000 most frequent words), log-scaled and reduced by SVD to
64 dimensions; k-means makes 32 coarse clusters, and k-means again splits each
into up to 16 fine ones. Cluster id = coarse·16 + fine + 1, so the tagger's
coarse feature (id >> 4) is the coarse cluster.
Text: shared/data/langid/train/en.txt and the tokens (not the tags) of eng.train.
Run: python3 build_clusters.py EN_TXT ENG_TRAIN > clusters.tsv
"""
import re
import sys
from collections import Counter

import numpy as np

rng = np.random.default_rng(7)
sents = []
for line in open(sys.argv[1], encoding="utf-8"):
    toks = re.findall(r"\w+(?:[-'’.]\w+)*|[^\w\s]", line)
    if toks:
        sents.append(toks)
cur = []
for line in open(sys.argv[2], encoding="utf-8"):
    c = line.split()
    if not c or c[0] == "-DOCSTART-":
        if cur:
            sents.append(cur)
        cur = []
    else:
        cur.append(c[0])


def norm(w):
    return re.sub(r"\d", "0", w.lower().replace("’", "'"))


sents = [[norm(w) for w in s] for s in sents]
freq = Counter(w for s in sents for w in s)
vocab = [w for w, c in freq.items() if c >= 3]
index = {w: i for i, w in enumerate(vocab)}
ctx = [w for w, _ in freq.most_common(1000)]
cidx = {w: i for i, w in enumerate(ctx)}
M = np.zeros((len(vocab), 2 * len(ctx) + 2), dtype=np.float32)
for s in sents:
    for i, w in enumerate(s):
        r = index.get(w)
        if r is None:
            continue
        left = s[i - 1] if i > 0 else None
        right = s[i + 1] if i + 1 < len(s) else None
        M[r, cidx[left] if left in cidx else (2 * len(ctx) if left is None else 2 * len(ctx) + 1)] += 1
        M[r, len(ctx) + cidx[right] if right in cidx else 2 * len(ctx) + 1] += 1
M = np.log1p(M)
M /= np.linalg.norm(M, axis=1, keepdims=True) + 1e-9
U, S, _ = np.linalg.svd(M - M.mean(0), full_matrices=False)
X = U[:, :64] * S[:64]
X /= np.linalg.norm(X, axis=1, keepdims=True) + 1e-9


def kmeans(X, k, iters=25):
    k = min(k, len(X))
    C = X[rng.choice(len(X), k, replace=False)]
    for _ in range(iters):
        a = np.argmax(X @ C.T, axis=1)
        for j in range(k):
            m = X[a == j]
            if len(m):
                C[j] = m.mean(0)
                C[j] /= np.linalg.norm(C[j]) + 1e-9
    return np.argmax(X @ C.T, axis=1)


coarse = kmeans(X, 32)
out = {}
for c in range(32):
    ids = np.where(coarse == c)[0]
    if len(ids) == 0:
        continue
    fine = kmeans(X[ids], 16) if len(ids) > 16 else np.zeros(len(ids), dtype=int)
    for i, f in zip(ids, fine):
        out[vocab[i]] = c * 16 + int(f) + 1
for w in sorted(out):
    sys.stdout.write(f"{w}\t{out[w]}\n")
sys.stderr.write(f"{len(out)} words clustered from {sum(freq.values())} tokens\n")
