"""A Python user loads wmd's results with numpy and the json module alone.

Usage: load_results.py OUT   (OUT from `wmd run tests/python/arrays.wmd --format json --out OUT`)

Every array referenced from results.json ({"npy": path, "shape": [...]}) loads with
numpy.load to its stated shape, and the 128 x 128 matrix of k/7 is exact."""
import json
import os
import sys

import numpy as np


def refs(tree):
    if isinstance(tree, dict):
        if "npy" in tree:
            yield tree
        for v in tree.values():
            yield from refs(v)
    elif isinstance(tree, list):
        for v in tree:
            yield from refs(v)


out = sys.argv[1]
with open(os.path.join(out, "results.json")) as f:
    results = json.load(f)
found = list(refs(results))
assert found, "no array file referenced"
for r in found:
    a = np.load(os.path.join(out, r["npy"]))
    assert list(a.shape) == r["shape"], (r, a.shape)
    assert a.dtype == np.float64, a.dtype
big = np.load(os.path.join(out, results["reports"]["r"]["big"]["npy"]))
assert np.array_equal(big, (np.arange(16384) / 7).reshape(128, 128)), "values differ"
assert results["reports"]["r"]["small"] == [1, 2]
print(f"numpy {np.__version__}: {len(found)} arrays load exactly from {out}")
