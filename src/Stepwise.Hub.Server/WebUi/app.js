// Stepwise Hub web UI: runs list, run page (live charts, params, checkpoints, stop), compare view.
// Plain JavaScript against the REST API; the API key stays in this browser tab's session storage.
"use strict";
(function () {
  const KEY = "stepwise.hub.key";
  const PROJECT = "stepwise.hub.project";
  const REFRESH_MS = 3000;
  const $ = id => document.getElementById(id);
  const fmt = window.StepwiseChart.format;
  let me = null;
  let timer = null;

  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(c === undefined || c === null ? "" : String(c)));
    return node;
  }

  async function api(path, init) {
    const key = sessionStorage.getItem(KEY);
    const response = await fetch("/api/v1" + path, { ...(init || {}), headers: { "x-api-key": key || "", ...((init && init.headers) || {}) } });
    if (response.status === 401) { logout("The key was refused (unknown or revoked)."); throw new Error("unauthorized"); }
    if (!response.ok) {
      let detail = response.statusText;
      try { const p = await response.json(); detail = p.detail || p.title || detail; } catch (_) { /* not JSON */ }
      throw new Error(`${response.status}: ${detail}`);
    }
    return response;
  }
  const getJson = async path => (await api(path)).json();

  function logout(message) {
    sessionStorage.removeItem(KEY);
    me = null;
    clearInterval(timer);
    $("view").hidden = true;
    $("view").textContent = "";
    $("nav").hidden = true;
    $("login").hidden = false;
    $("login-error").textContent = message || "";
  }

  async function login(key) {
    sessionStorage.setItem(KEY, key);
    try {
      me = await getJson("/me");
    } catch (e) {
      if (e.message !== "unauthorized") logout(e.message);
      return false;
    }
    $("login").hidden = true;
    $("nav").hidden = false;
    $("view").hidden = false;
    $("who").textContent = `${me.name} (${me.scope}${me.project ? " · " + me.project : ""})`;
    await loadProjects();
    return true;
  }

  async function loadProjects() {
    const projects = await getJson("/projects");
    const select = $("project");
    select.textContent = "";
    for (const p of projects) select.append(h("option", { value: p.name }, `${p.name} (${p.runCount})`));
    const saved = localStorage.getItem(PROJECT);
    if (saved && projects.some(p => p.name === saved)) select.value = saved;
  }

  const project = () => $("project").value;
  const statusCell = status => h("span", { class: `status status-${status}`, "data-status": status }, h("i", { class: "dot" }), status);
  const when = iso => iso ? new Date(iso).toLocaleString() : "";
  function duration(seconds) {
    const s = Math.round(seconds), hh = Math.floor(s / 3600), mm = Math.floor(s % 3600 / 60), ss = s % 60;
    return hh ? `${hh}h ${mm}m` : mm ? `${mm}m ${ss}s` : `${ss}s`;
  }

  function live(fn) {
    clearInterval(timer);
    timer = setInterval(() => fn().catch(() => { /* shown on the next successful refresh */ }), REFRESH_MS);
  }

  // ---- runs list ----
  async function runsView() {
    const view = $("view");
    if (!project()) { view.replaceChildren(h("p", { class: "muted" }, "No projects yet: start a run with the hub integration on.")); return; }
    const body = h("tbody");
    const compare = h("button", { type: "button", id: "compare-selected", onclick: () => {
      const ids = [...body.querySelectorAll("input:checked")].map(c => c.value);
      location.hash = `#/compare?runs=${ids.join(",")}`;
    } }, "Compare selected");
    view.replaceChildren(
      h("h1", {}, `Runs in ${project()}`),
      h("div", { class: "toolbar" }, compare, h("span", { class: "muted", id: "runs-total" })),
      h("table", { id: "runs" }, h("thead", {}, h("tr", {}, h("th"), h("th", {}, "Project"), h("th", {}, "Name"), h("th", {}, "Status"), h("th", {}, "Task"),
        h("th", {}, "Started"), h("th", {}, "Duration"), h("th", {}, "Best"))), body));
    const checked = new Set();
    async function refresh() {
      body.querySelectorAll("input:checked").forEach(c => checked.add(c.value));
      const list = await getJson(`/projects/${encodeURIComponent(project())}/runs?limit=200`);
      $("runs-total").textContent = `${list.total} runs`;
      body.replaceChildren(...list.items.map(r => h("tr", { "data-run": r.id },
        h("td", {}, h("input", { type: "checkbox", value: r.id, checked: checked.has(r.id) })),
        h("td", {}, r.project),
        h("td", { class: "name" }, h("a", { href: `#/run/${r.id}` }, r.name)),
        h("td", {}, statusCell(r.status)),
        h("td", {}, r.task || ""),
        h("td", {}, when(r.createdAt)),
        h("td", { class: "num" }, duration(r.durationSeconds)),
        h("td", { class: "num" }, r.best ? `${r.best.name} ${fmt(r.best.value)}` : ""))));
    }
    await refresh();
    live(refresh);
  }

  // ---- run page ----
  function groupSeries(series) {
    // train/loss and val/loss share a "loss" chart; other names get their own.
    const groups = new Map();
    for (const s of series) {
      const key = s.name.includes("/") ? s.name.slice(s.name.lastIndexOf("/") + 1) : s.name;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(s);
    }
    return groups;
  }

  async function runView(id) {
    const view = $("view");
    const header = h("div");
    const charts = h("div", { class: "charts", id: "charts" });
    const params = h("tbody");
    const checkpoints = h("tbody");
    const images = h("div", { class: "images", id: "images" });
    const imageUrls = new Map();
    const logScale = h("input", { type: "checkbox", id: "log-scale" });
    view.replaceChildren(header,
      h("div", { class: "toolbar" }, h("label", {}, logScale, " log scale"), h("span", { class: "muted" }, "drag on a chart to zoom, double-click to reset")),
      charts,
      h("h2", {}, "Params"), h("table", { id: "params" }, h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Value"))), params),
      h("h2", {}, "Checkpoints"), h("table", { id: "checkpoints" }, h("thead", {}, h("tr", {}, h("th", {}, "Kind"), h("th", {}, "Epoch"), h("th", {}, "Name"),
        h("th", {}, "Size"), h("th", {}, "SHA-256"), h("th", {}, "Saved"), h("th"))), checkpoints),
      h("h2", {}, "Images"), images);
    const chartObjects = new Map();
    logScale.addEventListener("change", () => chartObjects.forEach(c => c.setLog(logScale.checked)));

    async function refresh() {
      const [run, metrics, ps, cks, imgs] = await Promise.all([
        getJson(`/runs/${id}`), getJson(`/runs/${id}/metrics`), getJson(`/runs/${id}/params`), getJson(`/runs/${id}/checkpoints`),
        getJson(`/runs/${id}/images`).catch(() => [])]);
      const canWrite = me.scope === "admin" || (me.scope === "write" && me.project === run.project);
      const stop = h("button", { type: "button", id: "stop", class: "danger", disabled: run.stopRequested || !canWrite || !(run.status === "running" || run.status === "stalled"),
        onclick: async () => { stop.disabled = true; await api(`/runs/${id}/stop`, { method: "POST" }); await refresh(); } },
        run.stopRequested ? "Stop requested" : "Stop run");
      header.replaceChildren(
        h("h1", {}, h("span", { id: "run-name" }, run.name), " ", statusCell(run.status)),
        h("p", { class: "muted" }, `${run.project} · ${run.task || "no task"} · started ${when(run.createdAt)} · ${duration(run.durationSeconds)}`
          + (run.best ? ` · best ${run.best.name} ${fmt(run.best.value)} at step ${run.best.step}` : "")),
        h("div", { class: "toolbar" }, (run.status === "running" || run.status === "stalled") ? stop : "", run.stopReason ? h("span", { class: "muted" }, `reason: ${run.stopReason}`) : ""));
      for (const [name, series] of groupSeries(metrics.series)) {
        let chart = chartObjects.get(name);
        if (!chart) {
          const box = h("div", { class: "chart", "data-chart": name }, h("h3", {}, name));
          charts.append(box);
          chart = new window.StepwiseChart.Chart(box);
          chart.log = logScale.checked;
          chartObjects.set(name, chart);
        }
        chart.setSeries(series);
      }
      const all = { ...(run.args || {}), ...ps.params };
      params.replaceChildren(...Object.keys(all).sort().map(k => h("tr", {}, h("td", {}, k), h("td", {}, JSON.stringify(all[k])))));
      checkpoints.replaceChildren(...cks.map(c => h("tr", { "data-checkpoint": c.id },
        h("td", {}, c.kind), h("td", { class: "num" }, c.epoch ?? ""), h("td", {}, c.name), h("td", { class: "num" }, `${(c.size / 1048576).toFixed(2)} MB`),
        h("td", {}, h("code", {}, c.sha256.slice(0, 12))), h("td", {}, when(c.createdAt)),
        h("td", {}, h("button", { type: "button", class: "download", onclick: () => download(run.id, c) }, "Download")))));
      await showImages(imgs);
      return run;
    }

    async function showImages(list) {
      // The latest step of each image name; bytes fetched once per content hash.
      const latest = new Map();
      for (const img of list) if (!latest.has(img.name) || latest.get(img.name).step < img.step) latest.set(img.name, img);
      const figures = [];
      for (const img of [...latest.values()].sort((a, b) => a.name.localeCompare(b.name))) {
        if (!imageUrls.has(img.sha256)) {
          const blob = await (await api(`/runs/${id}/images/content?name=${encodeURIComponent(img.name)}&step=${img.step}`)).blob();
          imageUrls.set(img.sha256, URL.createObjectURL(blob));
        }
        figures.push(h("figure", { "data-image": img.name }, h("img", { src: imageUrls.get(img.sha256), alt: img.name }),
          h("figcaption", {}, `${img.name} · step ${img.step}`)));
      }
      images.replaceChildren(...(figures.length ? figures : [h("p", { class: "muted" }, "No images.")]));
    }
    const run = await refresh();
    if (run.status === "running" || run.status === "stalled") live(async () => { const r = await refresh(); if (!(r.status === "running" || r.status === "stalled")) clearInterval(timer); });
  }

  async function download(runId, checkpoint) {
    const blob = await (await api(`/runs/${runId}/checkpoints/${checkpoint.id}/content`)).blob();
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: checkpoint.name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  // ---- compare ----
  async function compareView(query) {
    const view = $("view");
    const ids = (query.get("runs") || "").split(",").filter(Boolean);
    const list = await getJson(`/projects/${encodeURIComponent(project())}/runs?limit=200`);
    const chosen = ids.length ? list.items.filter(r => ids.includes(r.id)) : list.items.slice(0, 5);
    const summaries = await Promise.all(chosen.map(r => getJson(`/runs/${r.id}/metrics/summary`)));
    const names = [...new Set(summaries.flat().map(s => s.name))].sort();
    const metric = h("select", { id: "compare-metric" }, ...names.map(n => h("option", { value: n }, n)));
    if (query.get("metric") && names.includes(query.get("metric"))) metric.value = query.get("metric");
    const logScale = h("input", { type: "checkbox", id: "log-scale" });
    const box = h("div", { class: "chart", "data-chart": "compare" }, h("h3", {}, "Compare"));
    view.replaceChildren(h("h1", {}, `Compare ${chosen.length} runs`),
      h("div", { class: "toolbar" }, h("label", {}, "Metric ", metric), h("label", {}, logScale, " log scale")), box);
    const chart = new window.StepwiseChart.Chart(box);
    async function draw() {
      if (!metric.value) { chart.setSeries([]); return; }
      const series = await Promise.all(chosen.map(async r => {
        const m = await getJson(`/runs/${r.id}/metrics?name=${encodeURIComponent(metric.value)}&maxPoints=1000`);
        return { name: r.name, points: m.series.length ? m.series[0].points : [] };
      }));
      chart.setSeries(series);
    }
    metric.addEventListener("change", draw);
    logScale.addEventListener("change", () => chart.setLog(logScale.checked));
    await draw();
    live(draw);
  }

  async function route() {
    clearInterval(timer);
    if (!me) return;
    const [path, search] = location.hash.slice(1).split("?");
    const query = new URLSearchParams(search || "");
    try {
      if (path && path.startsWith("/run/")) await runView(path.slice(5));
      else if (path === "/compare") await compareView(query);
      else await runsView();
    } catch (e) {
      if (e.message !== "unauthorized") $("view").replaceChildren(h("p", { class: "error", role: "alert" }, e.message));
    }
  }

  $("login-form").addEventListener("submit", async e => {
    e.preventDefault();
    if (await login($("api-key").value.trim())) { $("api-key").value = ""; await route(); }
  });
  $("logout").addEventListener("click", () => logout());
  $("project").addEventListener("change", () => { localStorage.setItem(PROJECT, project()); location.hash = "#/"; route(); });
  window.addEventListener("hashchange", route);

  (async () => {
    const key = sessionStorage.getItem(KEY);
    if (key && await login(key)) await route();
    else logout();
  })();
})();
