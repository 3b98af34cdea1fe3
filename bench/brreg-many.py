#!/usr/bin/env python3
"""brreg-many.py N IN.csv OUT.csv [FROM]: rows FROM (default 0) to N-1 of N rows of Enhetsregisteret's CSV made from the real rows of
IN.csv (data/no/brreg-enheter-selection.csv, NLOD 2.0), repeated with new organisation numbers
(valid mod-11 check digits) and a copy number after the name; for `granslos import brreg` at
scale (docs/performance.md, "Moving a store to PostgreSQL")."""
import csv, sys

def orgnr(k):
    w = [3, 2, 7, 6, 5, 4, 3, 2]
    while True:
        base = f"{80000000 + k:08d}"
        r = 11 - sum(int(d) * x for d, x in zip(base, w)) % 11
        if r == 11: r = 0
        if r != 10: return base + str(r), k + 1
        k += 1

n, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
start = int(sys.argv[4]) if len(sys.argv) > 4 else 0
with open(src, newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f))
head, body = rows[0], rows[1:]
num, name = head.index('organisasjonsnummer'), head.index('navn')
with open(dst, 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f, quoting=csv.QUOTE_ALL)
    w.writerow(head)
    k = 0
    for i in range(n):
        row = list(body[i % len(body)])
        row[num], k = orgnr(k)
        if i < start: continue
        if i >= len(body): row[name] = f"{row[name]} {i // len(body)}"
        w.writerow(row)
