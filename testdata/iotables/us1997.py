"""Aggregate the 1997 U.S. benchmark use table to 15 sectors for smesim.

Source: Bureau of Economic Analysis, "Benchmark Input-Output Accounts of
the United States, 1997", summary use table before redefinitions, at
producers' prices (file NAICSUseSummary.txt of the summary diskette,
millions of dollars). BEA: "No copyrighted data are found in these
files"; the tables are a work of the U.S. Government.

Usage: python3 us1997.py NAICSUseSummary.txt > us1997.csv

Commodities (rows) and industries (columns) are grouped by their NAICS
sector, so that commodity group i and industry group i are the same
sector (the usual approximation of an industry-by-industry table from a
use table at this level of aggregation). Final demand is every final-use
column except imports (F050), which are not domestic output, and the
change in private inventories (F030), which may be negative. Government
enterprises and special industries (S codes) are one sector; the
noncomparable-import, scrap and used-goods rows (S003, S004, S006) and
value added (V rows) are left out. A sector's output in the table is its
intermediate sales plus its final demand.
"""
import collections
import sys

SECTORS = [
    ("agriculture", ("11",)),
    ("mining", ("21",)),
    ("utilities", ("22",)),
    ("construction", ("23",)),
    ("manufacturing", ("31", "32", "33")),
    ("wholesale", ("42",)),
    ("retail", ("44", "45", "4A")),
    ("transport", ("48", "49")),
    ("information", ("51",)),
    ("finance-real-estate", ("52", "53")),
    ("business-services", ("54", "55", "56")),
    ("education-health", ("61", "62")),
    ("leisure-hospitality", ("71", "72")),
    ("other-services", ("81",)),
    ("government-enterprises", ("S001", "S002", "S005", "S007", "S008")),
]


def sector(code):
    for name, prefixes in SECTORS:
        if any(code.startswith(p) for p in prefixes):
            return name
    return None


def main(path):
    z = collections.defaultdict(float)
    f = collections.defaultdict(float)
    with open(path) as src:
        for line in src:
            rec = line.strip().split(",")
            if len(rec) < 5:
                continue
            row, col, value = rec[0], rec[1], float(rec[4])
            r = sector(row)
            if r is None:
                continue
            if col.startswith("F"):
                if col not in ("F050", "F030"):
                    f[r] += value
                continue
            c = sector(col)
            if c is not None:
                z[r, c] += value
    names = [n for n, _ in SECTORS]
    print("sector," + ",".join(names) + ",final_demand")
    for r in names:
        cells = ["%.1f" % round(z[r, c], 1) for c in names]
        if any(z[r, c] < 0 for c in names) or f[r] < 0:
            sys.exit("negative entry in row " + r)
        print(r + "," + ",".join(cells) + ",%.1f" % round(f[r], 1))


if __name__ == "__main__":
    main(sys.argv[1])
