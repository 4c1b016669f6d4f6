// Run by `make vendor` (never by the site): cuts the United Kingdom, Ireland, the Isle of Man and the
// Channel Islands out of world-atlas's Natural Earth countries (1:10m), simplifies the coastline and
// writes uk-outline.geojson beside this file, small enough to serve with every map page.
"use strict";
const fs = require("fs");
const path = require("path");
const topojson = require("topojson-client");
const world = require("world-atlas/countries-10m.json");

// ISO 3166-1 numeric codes, as world-atlas names its features.
const PLACES = { 826: "United Kingdom", 372: "Ireland", 833: "Isle of Man", 831: "Guernsey", 832: "Jersey" };
// About 300 m: finer than a pin at the zoom levels where the outline is the only background.
const TOLERANCE = 0.003;
const DECIMALS = 3;

function distanceToSegment(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSquared = dx * dx + dy * dy;
  let t = lengthSquared ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / lengthSquared : 0;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

// Douglas-Peucker, iterative so long coastlines do not exhaust the stack.
function simplify(points) {
  if (points.length < 4) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    let furthest = -1;
    let furthestDistance = TOLERANCE;
    for (let i = first + 1; i < last; i++) {
      const d = distanceToSegment(points[i], points[first], points[last]);
      if (d > furthestDistance) {
        furthest = i;
        furthestDistance = d;
      }
    }
    if (furthest !== -1) {
      keep[furthest] = 1;
      stack.push([first, furthest], [furthest, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

function round(value) {
  const factor = 10 ** DECIMALS;
  return Math.round(value * factor) / factor;
}

function cleanRing(ring) {
  const rounded = simplify(ring).map(([x, y]) => [round(x), round(y)]);
  const points = rounded.filter((p, i) => i === 0 || p[0] !== rounded[i - 1][0] || p[1] !== rounded[i - 1][1]);
  return points.length >= 4 ? points : null; // a ring smaller than the tolerance is dropped
}

function cleanPolygon(rings) {
  const cleaned = rings.map(cleanRing);
  return cleaned[0] ? cleaned.filter(Boolean) : null; // an islet whose outer ring vanished goes with its holes
}

const geometries = world.objects.countries.geometries.filter((g) => g.id in PLACES);
if (geometries.length !== Object.keys(PLACES).length) {
  throw new Error("world-atlas no longer has every place this outline needs: " + Object.values(PLACES).join(", "));
}
const features = topojson.feature(world, { type: "GeometryCollection", geometries }).features.map((feature) => {
  const polygons = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  return {
    type: "Feature",
    properties: { name: PLACES[feature.id] },
    geometry: { type: "MultiPolygon", coordinates: polygons.map(cleanPolygon).filter(Boolean) },
  };
});
const out = path.join(__dirname, "uk-outline.geojson");
fs.writeFileSync(out, JSON.stringify({ type: "FeatureCollection", features }) + "\n");
console.log(out + ": " + fs.statSync(out).size + " bytes");
