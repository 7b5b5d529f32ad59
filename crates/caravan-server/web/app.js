// caravan's web map: plans routes through the native API (/v1/) and draws them on a
// basemap of country polygons served by caravan itself (no tile server, works offline).
"use strict";

const MODE_COLOURS = {
  road: "#d9822b", rail: "#2a6fdb", sea: "#0f9d8a", ferry: "#8e44ad",
  air: "#c0392b", pipeline: "#7f8c8d",
};
const EVENT_COLOURS = {
  border: "#c0392b", gauge_change: "#2c3e50", transshipment: "#f39c12",
  ferry_wait: "#8e44ad", rail_terminal: "#16a085",
};
const $ = (id) => document.getElementById(id);
// What a test (or a curious user in the console) can read about the page.
window.caravan = { drawn: 0, error: null, comparing: false };

const map = new maplibregl.Map({
  container: "map",
  style: {
    version: 8,
    sources: {},
    layers: [{ id: "sea", type: "background", paint: { "background-color": "#cfe3f2" } }],
  },
  center: [70, 42],
  zoom: 3,
  attributionControl: false,
});
map.addControl(new maplibregl.AttributionControl({
  customAttribution: "Natural Earth · © OpenStreetMap contributors · caravan",
}));
map.addControl(new maplibregl.NavigationControl(), "top-right");

const empty = () => ({ type: "FeatureCollection", features: [] });

map.on("load", async () => {
  try {
    const topo = await (await fetch("/basemap/countries.json")).json();
    const land = topojson.feature(topo, topo.objects.countries);
    // Antarctica's ring runs round the pole and cannot be unwrapped; no freight goes there.
    land.features = land.features.filter((f) => f.id !== "010");
    land.features.forEach(unwrapRings);
    map.addSource("countries", { type: "geojson", data: land });
    map.addLayer({ id: "land", type: "fill", source: "countries", paint: { "fill-color": "#f3f1ea" } });
    map.addLayer({ id: "borders", type: "line", source: "countries", paint: { "line-color": "#b9b3a3", "line-width": 0.6 } });
  } catch (e) {
    showError("The basemap could not be loaded: " + e);
  }
  for (const id of ["baseline", "route"]) {
    map.addSource(id, { type: "geojson", data: empty() });
  }
  map.addLayer({
    id: "baseline-line", type: "line", source: "baseline",
    paint: { "line-color": "#888", "line-width": 3, "line-dasharray": [2, 2] },
  });
  map.addLayer({
    id: "route-line", type: "line", source: "route",
    filter: ["any", ["==", ["geometry-type"], "LineString"], ["==", ["geometry-type"], "MultiLineString"]],
    layout: { "line-cap": "round", "line-join": "round" },
    paint: {
      "line-width": 4,
      "line-color": ["match", ["get", "mode"], ...Object.entries(MODE_COLOURS).flat(), "#333"],
    },
  });
  map.addLayer({
    id: "route-events", type: "circle", source: "route",
    filter: ["==", ["geometry-type"], "Point"],
    paint: {
      "circle-radius": 6, "circle-stroke-width": 1.5, "circle-stroke-color": "#fff",
      "circle-color": ["match", ["get", "kind"], ...Object.entries(EVENT_COLOURS).flat(), "#333"],
    },
  });
  map.on("click", "route-events", (e) => {
    const p = e.features[0].properties;
    new maplibregl.Popup().setLngLat(e.lngLat)
      .setText(`${p.kind.replace("_", " ")} at ${p.place} (${p.detail}): ${Number(p.duration_h).toFixed(1)} h, USD ${Number(p.cost_usd).toFixed(0)}`)
      .addTo(map);
  });
  window.caravan.mapReady = true;
});

// Clicking the map sets From, then To.
let clickNext = "from";
map.on("click", (e) => {
  if (map.queryRenderedFeatures(e.point, { layers: ["route-events"] }).length) return;
  $(clickNext).value = `${e.lngLat.lat.toFixed(4)},${e.lngLat.lng.toFixed(4)}`;
  clickNext = clickNext === "from" ? "to" : "from";
});

// Autocomplete from /v1/places.
for (const id of ["from", "to"]) {
  let timer;
  $(id).addEventListener("input", () => {
    clearTimeout(timer);
    const q = $(id).value.trim();
    if (q.length < 2 || /^-?\d/.test(q)) return;
    timer = setTimeout(async () => {
      const r = await fetch("/v1/places?q=" + encodeURIComponent(q));
      if (!r.ok) return;
      const list = $(id + "-list");
      list.replaceChildren(...(await r.json()).places.map((p) => {
        const o = document.createElement("option");
        o.value = p.query;
        o.label = p.label;
        return o;
      }));
    }, 150);
  });
}

// Scenarios for the selector.
fetch("/v1/scenarios").then((r) => r.json()).then((j) => {
  for (const s of j.scenarios) {
    const o = document.createElement("option");
    o.value = s.name;
    o.textContent = s.name;
    o.title = s.description;
    $("scenario").appendChild(o);
  }
}).catch(() => {});

function showError(message) {
  window.caravan.error = message;
  const box = $("error");
  box.textContent = message;
  box.hidden = false;
}

function params() {
  const p = new URLSearchParams();
  p.set("from", $("from").value.trim());
  p.set("to", $("to").value.trim());
  p.set("optimize", $("optimize").value);
  p.set("cargo", $("cargo").value);
  const modes = [...document.querySelectorAll("#modes input:checked")].map((i) => i.value);
  if (modes.length) p.set("modes", modes.join(","));
  for (const k of ["avoid_countries", "avoid_passages", "cargo_value"]) {
    const v = $(k).value.trim();
    if (v) p.set(k, v);
  }
  return p;
}

async function call(url) {
  const r = await fetch(url);
  const body = await r.json().catch(() => ({ message: `HTTP ${r.status}` }));
  if (!r.ok) throw new Error(body.message || `HTTP ${r.status}`);
  return body;
}

const fmt = (x, d = 0) => Number(x).toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d });

function totalsLine(t) {
  return `${fmt(t.duration_days, 1)} days · USD ${fmt(t.cost_usd)} · ${fmt(t.co2_kg)} kg CO2e · ${fmt(t.distance_km)} km`;
}

function legsTable(route) {
  const rows = route.legs.map((l) =>
    `<tr><td><span class="swatch" style="background:${MODE_COLOURS[l.mode] || "#333"}"></span>${l.mode}</td>` +
    `<td>${escapeHtml(l.from)} → ${escapeHtml(l.to)}</td><td>${fmt(l.distance_km)} km</td><td>${fmt(l.duration_h, 1)} h</td><td>USD ${fmt(l.cost_usd)}</td></tr>`);
  const events = route.events.map((e) =>
    `<tr><td><span class="swatch" style="background:${EVENT_COLOURS[e.kind] || "#333"}"></span>${e.kind.replace("_", " ")}</td>` +
    `<td>${escapeHtml(e.place)} (${escapeHtml(e.detail)})</td><td></td><td>${fmt(e.duration_h, 1)} h</td><td>USD ${fmt(e.cost_usd)}</td></tr>`);
  return `<table class="legs" data-testid="legs">${rows.join("")}${events.join("")}</table>`;
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// Rings that cross the antimeridian jump from +180 to -180; shifting each point next to
// its predecessor keeps the ring whole (MapLibre draws beyond ±180), instead of a band
// across the whole map.
function unwrapRings(feature) {
  const g = feature.geometry;
  if (!g) return;
  const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  for (const poly of polygons) {
    for (const ring of poly) {
      for (let i = 1; i < ring.length; i++) {
        let lon = ring[i][0];
        while (lon - ring[i - 1][0] > 180) lon -= 360;
        while (lon - ring[i - 1][0] < -180) lon += 360;
        ring[i] = [lon, ring[i][1]];
      }
    }
  }
}

let geojson = null;

function drawRoute(index) {
  if (!geojson) return;
  const features = geojson.features.filter((f) => f.properties.route === index);
  map.getSource("route").setData({ type: "FeatureCollection", features });
  document.querySelectorAll(".option").forEach((el) => el.classList.toggle("selected", Number(el.dataset.index) === index));
  window.caravan.drawn = features.filter((f) => f.geometry.type !== "Point").length;
  fit(features);
  const blob = new Blob([JSON.stringify({ type: "FeatureCollection", features })], { type: "application/geo+json" });
  $("geojson").href = URL.createObjectURL(blob);
  $("download").hidden = false;
}

function fit(features) {
  const b = new maplibregl.LngLatBounds();
  for (const f of features) {
    const g = f.geometry;
    const lines = g.type === "Point" ? [[g.coordinates]] : g.type === "LineString" ? [g.coordinates] : g.coordinates;
    for (const line of lines) for (const c of line) b.extend(c);
  }
  if (!b.isEmpty()) map.fitBounds(b, { padding: 40, maxZoom: 8, duration: 0 });
}

async function route() {
  const p = params();
  p.set("alternatives", $("alternatives").value || "1");
  const [plan, gj] = await Promise.all([
    call("/v1/route?" + p),
    call("/v1/route?" + p + "&format=geojson"),
  ]);
  geojson = gj;
  map.getSource("baseline").setData(empty());
  $("result").innerHTML = plan.routes.map((r, i) =>
    `<div class="option" data-index="${i}" data-testid="option"><h3>Option ${i + 1}: ${escapeHtml(r.main_modes.join(" + "))}</h3>` +
    `<div class="totals">${totalsLine(r.totals)}</div><div>${escapeHtml(r.countries.join(" → "))}</div>${legsTable(r)}</div>`).join("");
  document.querySelectorAll(".option").forEach((el) => el.addEventListener("click", () => drawRoute(Number(el.dataset.index))));
  drawRoute(0);
}

function lines(route, extra) {
  return route.geometry.map((l) => ({
    type: "Feature",
    geometry: { type: "MultiLineString", coordinates: l.coordinates },
    properties: { mode: l.mode, route: 0, ...extra },
  }));
}

async function compare() {
  const p = params();
  p.set("scenario", $("scenario").value);
  const c = await call("/v1/compare?" + p);
  window.caravan.comparing = true;
  const features = [];
  if (c.scenario) {
    features.push(...lines(c.scenario, {}));
    for (const e of c.scenario.events) {
      features.push({ type: "Feature", geometry: { type: "Point", coordinates: [e.lon, e.lat] }, properties: { ...e, route: 0 } });
    }
  }
  geojson = { type: "FeatureCollection", features };
  map.getSource("baseline").setData({ type: "FeatureCollection", features: c.baseline ? lines(c.baseline, {}) : [] });
  const side = (name, r, reason) => r
    ? `<div class="option" data-index="0" data-testid="option"><h3>${name}: ${escapeHtml(r.main_modes.join(" + "))}</h3><div class="totals">${totalsLine(r.totals)}</div><div>${escapeHtml(r.countries.join(" → "))}</div>${legsTable(r)}</div>`
    : `<div class="option"><h3>${name}</h3>no route: ${escapeHtml(reason || "")}</div>`;
  const d = c.delta;
  const delta = d
    ? `<div class="delta" data-testid="delta"><b>Scenario − baseline:</b> ${fmt(d.duration_h / 24, 1)} days, USD ${fmt(d.cost_usd)}, ${fmt(d.co2_kg)} kg CO2e, ${fmt(d.distance_km)} km<br>${escapeHtml(c.summary)}</div>`
    : `<div class="delta" data-testid="delta">${escapeHtml(c.summary)}</div>`;
  $("result").innerHTML = delta + side("Scenario " + c.scenarios.join(", "), c.scenario, c.scenario_reason) + side("Baseline (dashed)", c.baseline, c.baseline_reason);
  drawRoute(0);
  fit([...features, ...(c.baseline ? lines(c.baseline, {}) : [])]);
}

$("form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  $("error").hidden = true;
  window.caravan.error = null;
  window.caravan.comparing = false;
  $("go").disabled = true;
  try {
    if ($("scenario").value) await compare();
    else await route();
  } catch (e) {
    showError(e.message);
    $("result").innerHTML = "";
  } finally {
    $("go").disabled = false;
  }
});
