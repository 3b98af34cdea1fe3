#!/usr/bin/env python3
"""Municipality weights for the benchmark's directory generator (data/bench/municipality-weights.csv).

Population figures are not among the project's public sources, so the weights are proxies taken
from them: in Sweden the number of postal codes in each kommun (sjbrg/swedish-geodata, CC0), in
Norway the number of units registered in each kommune in the Enhetsregisteret sample
(Brønnøysundregistrene, NLOD 2.0). Both grow with population. Every municipality gets at least 1.
Usage: tools/prepare-bench-weights.py ../shared/data > data/bench/municipality-weights.csv"""
import csv, collections, sys

root = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
w = collections.Counter()
with open(f"{root}/se/postnummer-kommun.csv", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        w[("SE", r["municipality_code"])] += 1
with open(f"{root}/no/brreg-enheter-selection.csv", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        k = r.get("forretningsadresse.kommunenummer") or r.get("postadresse.kommunenummer")
        if k:
            w[("NO", k)] += 1
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["country", "code", "weight"])
with open("data/ref/municipality-points.csv", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        out.writerow([r["country"], r["code"], max(1, w[(r["country"], r["code"])])])
