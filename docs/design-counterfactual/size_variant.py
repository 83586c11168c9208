#!/usr/bin/env python3
"""size_variant.py SRC CHAINS OUT: writes OUT, the scenario SRC (china-2020,
eight chains) on CHAINS chains with every intervention's budget scaled by
CHAINS/8, for the size convergence of issue 15 (must-show 5;
docs/calibration.md, "Size convergence"). SRC must not set [network]."""
import re, sys
src, chains, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = open(src).read()
def scale(m):
    return f"{m.group(1)}{float(m.group(2)) * chains / 8:g}"
s = re.sub(r'(?m)^(budget = )([0-9.e+]+)', scale, s)
s += f"\n[network]\nchains = {chains}\n"
open(out, 'w').write(s)
