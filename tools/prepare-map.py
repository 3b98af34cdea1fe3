#!/usr/bin/env python3
"""Prepare the map data shipped in data/ref/ from the outlines in ../shared/data/ (run by hand
when the source data changes; the outputs are committed).

Writes
  data/ref/municipality-points.csv  country,code,lon,lat  (a point inside each municipality)
  data/ref/map-outlines.tsv         country, county code, SVG path data of the county outline
                                    in the map's projection (see src/html/map.c), simplified
Sources and licences: data/ref/README.md. Only the Python standard library is used.
"""
import json, math, os, sys

SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data')
OUT = os.path.join(os.path.dirname(__file__), '..', 'data', 'ref')

# The projection, mirrored in src/html/map.c: equirectangular scaled at 63°N.
LON0, LAT1, K = 4.0, 71.3, 50.0
COS = math.cos(math.radians(63.0))
def project(lon, lat):
    return ((lon - LON0) * COS * K, (LAT1 - lat) * K)

def rings(geom):
    if geom['type'] == 'Polygon':
        return [geom['coordinates'][0]]
    return [p[0] for p in geom['coordinates']]

def area_centroid(ring):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        c = x0 * y1 - x1 * y0
        a += c; cx += (x0 + x1) * c; cy += (y0 + y1) * c
    if abs(a) < 1e-12:
        return ring[0]
    return (cx / (3 * a), cy / (3 * a))

def simplify(points, tol):
    """Douglas-Peucker on projected points."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        (x0, y0), (x1, y1) = points[i], points[j]
        dx, dy = x1 - x0, y1 - y0
        norm = math.hypot(dx, dy)
        best, idx = -1.0, -1
        for k in range(i + 1, j):
            x, y = points[k]
            # distance to the chord; to its end point when the chord is a point (a closed ring)
            d = abs(dy * (x - x0) - dx * (y - y0)) / norm if norm > 1e-9 else math.hypot(x - x0, y - y0)
            if d > best:
                best, idx = d, k
        if best > tol:
            keep[idx] = True
            stack += [(i, idx), (idx, j)]
    return [p for p, k in zip(points, keep) if k]

def path(geom, tol=0.9, min_area=4.0):
    parts = []
    for ring in rings(geom):
        pts = simplify([project(x, y) for x, y in ring], tol)
        if len(pts) < 4:
            continue
        a = 0.5 * abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1])))
        if a < min_area:      # islets smaller than a few square pixels
            continue
        parts.append('M' + 'L'.join(f'{x:.0f},{y:.0f}' for x, y in pts) + 'Z')
    return ''.join(parts)

def main():
    points, outlines = [], []
    se_k = json.load(open(os.path.join(SRC, 'se', 'kommuner.geojson'), encoding='utf-8'))
    for f in se_k['features']:
        p = f['properties']
        lat, lon = p['geo_point_2d'][0], p['geo_point_2d'][1]
        points.append(('SE', str(p['id']).zfill(4), lon, lat))
    no_k = json.load(open(os.path.join(SRC, 'no', 'kommuner-2024.geojson'), encoding='utf-8'))
    for f in no_k['features']:
        p = f['properties']
        ring = max(rings(f['geometry']), key=len)
        lon, lat = area_centroid([tuple(c) for c in ring])
        points.append(('NO', str(p['kommunenummer']).zfill(4), lon, lat))
    se_l = json.load(open(os.path.join(SRC, 'se', 'lan.geojson'), encoding='utf-8'))
    for f in se_l['features']:
        outlines.append(('SE', str(f['properties']['l_id']).zfill(2), path(f['geometry'])))
    no_f = json.load(open(os.path.join(SRC, 'no', 'fylker-2024.geojson'), encoding='utf-8'))
    for f in no_f['features']:
        outlines.append(('NO', str(f['properties']['fylkesnummer']).zfill(2), path(f['geometry'])))
    with open(os.path.join(OUT, 'municipality-points.csv'), 'w', encoding='utf-8') as o:
        o.write('country,code,lon,lat\n')
        for c, code, lon, lat in sorted(points):
            o.write(f'{c},{code},{lon:.4f},{lat:.4f}\n')
    with open(os.path.join(OUT, 'map-outlines.tsv'), 'w', encoding='utf-8') as o:
        o.write('country\tcounty\tpath\n')
        for c, code, d in sorted(outlines):
            o.write(f'{c}\t{code}\t{d}\n')

if __name__ == '__main__':
    main()
