#!/usr/bin/python3
"""The Xapian baseline of `granslos bench search` (docs/performance.md).

Reads the corpus and the queries `granslos bench search --dump DIR` wrote, indexes the corpus
with Xapian 1.4 (Debian python3-xapian; used only here) and answers every query with BM25
(Xapian's default weighting) top 20, one query at a time on one thread, like the C benchmark.

Indexing: name, tags and body as one text with within-document frequencies 3 / 2 / 1 (the field
weights FTS5 gets in the same run), no stemming (like FTS5's unicode61 tokenizer; Xapian folds
case, not diacritics), the country, country-county and status as boolean terms and as values.
Queries: the words with AND (ours and FTS5 answer with AND), the last word of a prefix query as a
prefix (FLAG_PARTIAL), active organisations only; the facets class filters by its country or
county and counts the country, county and status values of all matches (ValueCountMatchSpy),
as ours counts its facets. Prints per class n, p50, p99 (ms) and the queries per second.

Usage: /usr/bin/python3 bench/xapian_baseline.py DIR [--db XAPIAN_DIR]
"""
import os
import shutil
import sys
import tempfile
import time

import xapian

V_COUNTRY, V_COUNTY, V_STATUS = 0, 1, 2
CLASSES = ["rare", "mid", "common", "prefix", "and", "facets", "cross"]


def build(corpus, path):
    db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    n = 0
    t0 = time.monotonic()
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            id_, name, tags, body, country, county, status = line.rstrip("\n").split("\t")
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(name, 3)
            tg.increase_termpos()
            tg.index_text(tags, 2)
            tg.increase_termpos()
            tg.index_text(body, 1)
            doc.add_boolean_term("C" + country)
            doc.add_boolean_term("K" + county)
            doc.add_boolean_term("S" + status)
            doc.add_value(V_COUNTRY, country)
            doc.add_value(V_COUNTY, county)
            doc.add_value(V_STATUS, status)
            db.replace_document(int(id_), doc)
            n += 1
    db.commit()
    return db, n, time.monotonic() - t0


def pct(v, p):
    v = sorted(v)
    if not v:
        return 0.0
    k = min(len(v) - 1, max(0, int(round(p * (len(v) - 1)))))
    return v[k]


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    src = sys.argv[1]
    own = "--db" not in sys.argv
    path = sys.argv[sys.argv.index("--db") + 1] if not own else tempfile.mkdtemp(prefix="granslos-xapian-")
    try:
        db, n, build_s = build(os.path.join(src, "corpus.tsv"), path)
        print(f"xapian: {n} documents indexed in {build_s:.1f} s (Xapian {xapian.version_string()})")
        queries = []
        with open(os.path.join(src, "queries.tsv"), encoding="utf-8") as f:
            for line in f:
                cls, text, country, county = line.rstrip("\n").split("\t")
                queries.append((cls, text, country, county))
        qp = xapian.QueryParser()
        qp.set_database(db)
        qp.set_default_op(xapian.Query.OP_AND)
        qp.set_stemming_strategy(xapian.QueryParser.STEM_NONE)
        enq = xapian.Enquire(db)
        enq.set_weighting_scheme(xapian.BM25Weight())
        active = xapian.Query("Sactive")
        times = {c: [] for c in CLASSES}
        total = 0.0
        # a warm-up, not counted (as in the C benchmark)
        for cls, text, country, county in queries[: 2 * len(CLASSES)]:
            enq.set_query(qp.parse_query(text.strip() or "x"))
            enq.get_mset(0, 20)
        for cls, text, country, county in queries:
            t0 = time.perf_counter()
            flags = xapian.QueryParser.FLAG_DEFAULT | (xapian.QueryParser.FLAG_PARTIAL if cls == "prefix" else 0)
            q = qp.parse_query(text if cls == "prefix" else text.strip(), flags)
            filt = active
            if country:
                filt = xapian.Query(xapian.Query.OP_AND, filt, xapian.Query("C" + country))
            if county:
                filt = xapian.Query(xapian.Query.OP_AND, filt, xapian.Query("K" + county))
            enq.set_query(xapian.Query(xapian.Query.OP_FILTER, q, filt))
            enq.clear_matchspies()
            spies = []
            if cls == "facets":
                for v in (V_COUNTRY, V_COUNTY, V_STATUS):
                    s = xapian.ValueCountMatchSpy(v)
                    enq.add_matchspy(s)
                    spies.append(s)
                m = enq.get_mset(0, 20, db.get_doccount())  # every match seen by the spies
            else:
                m = enq.get_mset(0, 20)
            for s in spies:
                for _ in s.values():
                    pass
            _ = [x.docid for x in m]
            dt = (time.perf_counter() - t0) * 1e3
            times[cls].append(dt)
            total += dt
        print(f"\n{'class':<8} {'n':>6} {'xap_p50':>9} {'xap_p99':>9} {'xap_qps':>9}")
        allt = []
        for c in CLASSES:
            v = times[c]
            allt += v
            qps = len(v) / (sum(v) / 1e3) if v and sum(v) > 0 else 0
            print(f"{c:<8} {len(v):>6} {pct(v, 0.5):>9.3f} {pct(v, 0.99):>9.3f} {qps:>9.0f}")
        print(f"\nxapian_build_s: {build_s:.1f}")
        print(f"xapian_p50_ms: {pct(allt, 0.5):.3f}")
        print(f"xapian_p99_ms: {pct(allt, 0.99):.3f}")
        print(f"xapian_qps: {len(allt) / (total / 1e3) if total else 0:.1f}")
        db.close()
    finally:
        if own:
            shutil.rmtree(path, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
