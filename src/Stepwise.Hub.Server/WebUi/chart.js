// A small SVG line chart: several series, drag to zoom on steps, double-click to reset, log scale.
// No dependencies; the server ships it as a static file.
"use strict";
window.StepwiseChart = (function () {
  const NS = "http://www.w3.org/2000/svg";
  const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#be185d", "#4b5563"];
  const W = 600, H = 260, L = 56, R = 12, T = 10, B = 28;

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (parent) parent.appendChild(node);
    return node;
  }

  function niceTicks(min, max, count) {
    if (!(max > min)) return [min];
    const span = max - min, raw = span / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw) || raw;
    const ticks = [];
    for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
    return ticks;
  }

  function format(v) {
    if (v === 0) return "0";
    const a = Math.abs(v);
    return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : +v.toPrecision(4) + "";
  }

  // series: [{ name, points: [{step, value}] }]
  function Chart(container, options) {
    this.container = container;
    this.options = options || {};
    this.series = [];
    this.zoom = null;       // [minStep, maxStep] or null
    this.log = false;
    this.svg = el("svg", { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none", role: "img" }, container);
    this.legend = document.createElement("div");
    this.legend.className = "legend";
    container.appendChild(this.legend);
    this._bind();
  }

  Chart.prototype.setSeries = function (series) {
    this.series = series.map((s, i) => ({ name: s.name, color: COLORS[i % COLORS.length], points: s.points.slice().sort((a, b) => a.step - b.step) }));
    this.render();
  };

  Chart.prototype.setLog = function (on) { this.log = !!on; this.render(); };
  Chart.prototype.resetZoom = function () { this.zoom = null; this.render(); };
  Chart.prototype.setZoom = function (min, max) { this.zoom = [Math.min(min, max), Math.max(min, max)]; this.render(); };

  Chart.prototype._visible = function (p) {
    if (this.zoom && (p.step < this.zoom[0] || p.step > this.zoom[1])) return false;
    return !this.log || p.value > 0;
  };

  Chart.prototype.render = function () {
    const svg = this.svg;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const pts = this.series.flatMap(s => s.points.filter(p => this._visible(p)));
    svg.dataset.log = this.log ? "true" : "false";
    svg.dataset.zoomed = this.zoom ? "true" : "false";
    if (pts.length === 0) {
      el("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, svg).textContent = this.log ? "no positive values for a log scale" : "no data yet";
      this._legend();
      return;
    }
    let x0 = Math.min(...pts.map(p => p.step)), x1 = Math.max(...pts.map(p => p.step));
    if (this.zoom) { x0 = this.zoom[0]; x1 = this.zoom[1]; }
    if (x1 === x0) { x0 -= 1; x1 += 1; }
    const f = this.log ? v => Math.log10(v) : v => v;
    let y0 = Math.min(...pts.map(p => f(p.value))), y1 = Math.max(...pts.map(p => f(p.value)));
    if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
    const pad = (y1 - y0) * 0.05; y0 -= pad; y1 += pad;
    const sx = s => L + (s - x0) / (x1 - x0) * (W - L - R);
    const sy = v => T + (1 - (f(v) - y0) / (y1 - y0)) * (H - T - B);
    this._scale = { x0, x1, sx };

    for (const t of (this.log ? niceTicks(Math.ceil(y0), Math.floor(y1), 5).filter(Number.isInteger) : niceTicks(y0, y1, 5))) {
      const y = this.log ? T + (1 - (t - y0) / (y1 - y0)) * (H - T - B) : sy(t);
      el("line", { class: "grid", x1: L, x2: W - R, y1: y, y2: y }, svg);
      el("text", { x: L - 4, y: y + 3, "text-anchor": "end" }, svg).textContent = this.log ? format(Math.pow(10, t)) : format(t);
    }
    for (const t of niceTicks(x0, x1, 6)) {
      el("text", { x: sx(t), y: H - B + 14, "text-anchor": "middle" }, svg).textContent = format(t);
    }
    el("line", { class: "axis", x1: L, x2: L, y1: T, y2: H - B }, svg);
    el("line", { class: "axis", x1: L, x2: W - R, y1: H - B, y2: H - B }, svg);
    el("text", { x: W - R, y: H - 4, "text-anchor": "end" }, svg).textContent = "step";

    const clip = el("clipPath", { id: "clip" + Math.random().toString(36).slice(2) }, svg);
    el("rect", { x: L, y: T, width: W - L - R, height: H - T - B }, clip);
    for (const s of this.series) {
      const visible = s.points.filter(p => this._visible(p));
      if (visible.length === 0) continue;
      const line = el("polyline", {
        class: "series", stroke: s.color, "clip-path": `url(#${clip.id})`, "vector-effect": "non-scaling-stroke",
        points: visible.map(p => `${sx(p.step).toFixed(2)},${sy(p.value).toFixed(2)}`).join(" "),
      }, svg);
      line.dataset.series = s.name;
      line.dataset.count = String(visible.length);
      if (visible.length === 1) el("circle", { cx: sx(visible[0].step), cy: sy(visible[0].value), r: 3, fill: s.color }, svg);
    }
    this.selection = el("rect", { class: "selection", x: 0, y: T, width: 0, height: H - T - B, visibility: "hidden" }, svg);
    this._legend();
  };

  Chart.prototype._legend = function () {
    this.legend.textContent = "";
    for (const s of this.series) {
      const item = document.createElement("span");
      item.style.setProperty("--c", s.color);
      const last = s.points[s.points.length - 1];
      item.textContent = last ? `${s.name} ${format(last.value)}` : s.name;
      this.legend.appendChild(item);
    }
  };

  Chart.prototype._toStep = function (evt) {
    const box = this.svg.getBoundingClientRect();
    const x = (evt.clientX - box.left) / box.width * W;
    const { x0, x1 } = this._scale;
    return x0 + (Math.min(Math.max(x, L), W - R) - L) / (W - L - R) * (x1 - x0);
  };

  Chart.prototype._bind = function () {
    let start = null;
    this.svg.addEventListener("mousedown", e => { if (this._scale) { start = this._toStep(e); } });
    this.svg.addEventListener("mousemove", e => {
      if (start === null) return;
      const a = this._scale.sx(start), b = this._scale.sx(this._toStep(e));
      this.selection.setAttribute("x", Math.min(a, b));
      this.selection.setAttribute("width", Math.abs(b - a));
      this.selection.setAttribute("visibility", "visible");
    });
    window.addEventListener("mouseup", e => {
      if (start === null) return;
      const end = this._toStep(e), from = start;
      start = null;
      if (Math.abs(this._scale.sx(end) - this._scale.sx(from)) > 4) this.setZoom(from, end);
      else this.selection.setAttribute("visibility", "hidden");
    });
    this.svg.addEventListener("dblclick", () => this.resetZoom());
  };

  return { Chart, format };
})();
