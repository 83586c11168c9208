// The page of smesim serve: no framework, no request beyond this server.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let scenario = null; // the scenario's view from the server
  let moved = {}; // slider key → the value the user chose
  let controller = null; // aborts the run under way
  let current = null; // the last finished run: {run, figures, result}
  let previous = null; // the one before, for comparison
  let drawnRun = null; // the run whose figures are shown

  function setState(s) { document.body.dataset.state = s; }
  function status(text) { $("status").textContent = text; }
  function showError(msg) {
    $("error").textContent = msg || "";
    $("error").hidden = !msg;
  }

  // number writes v as the sliders show it: whole numbers plainly, large
  // ones with k, M or bn, others with three significant digits.
  function number(v) {
    const a = Math.abs(v);
    if (a >= 1e9) return +(v / 1e9).toPrecision(3) + "bn";
    if (a >= 1e6) return +(v / 1e6).toPrecision(3) + "M";
    if (a >= 1e4) return +(v / 1e3).toPrecision(3) + "k";
    if (Number.isInteger(v)) return String(v);
    return String(+v.toPrecision(3));
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // slider draws one parameter: its label, the value with its unit, the
  // range, and calls onInput with the value when it moves.
  function slider(p, id, onInput) {
    const box = el("div", { class: "param" });
    const label = el("label", { for: id });
    label.append(p.label + ": ");
    const value = el("span", { class: "value" }, number(p.value));
    label.append(value, " " + p.unit);
    const input = el("input", { type: "range", id: id, min: p.min, max: p.max, step: p.step, "data-key": p.key });
    input.value = p.value;
    input.addEventListener("input", () => {
      const v = Number(input.value);
      value.textContent = number(v);
      box.classList.add("moved");
      onInput(v);
    });
    box.append(label, input, el("div", { class: "range" }, "slider from " + number(p.min) + " to " + number(p.max) + "; scenario: " + number(p.value)));
    return box;
  }

  function show(v) {
    scenario = v;
    moved = {};
    const params = $("params");
    params.replaceChildren();
    v.params.forEach((p, i) => params.append(slider(p, "param-" + i, (x) => { moved[p.key] = x; })));
    params.append(slider(v.replications, "replications", (x) => { moved.replications = x; }));
    const arms = $("arms");
    arms.replaceChildren();
    $("arms-section").hidden = v.arms.length === 0;
    for (const a of v.arms) {
      const box = el("input", { type: "checkbox", value: a, checked: "" });
      const label = el("label");
      label.append(box, " " + a);
      arms.append(label);
    }
    $("info-name").textContent = v.name + " (" + v.horizon + (v.facts ? "; " + v.facts + " facts to check" : "") + ")";
    $("info-description").textContent = v.description;
    const dl = $("info-params");
    dl.replaceChildren();
    for (const p of v.params.concat([v.replications])) {
      dl.append(el("dt", {}, p.label + " (" + p.key + ")"), el("dd", {}, p.doc));
    }
    $("run").disabled = false;
    setState("ready");
    status("ready: " + v.name);
  }

  async function answer(resp) {
    let j;
    try { j = await resp.json(); } catch (e) { j = { error: "the server answered " + resp.status }; }
    if (!resp.ok) throw new Error(j.error || "the server answered " + resp.status);
    return j;
  }

  async function loadBuiltin(name) {
    setState("loading");
    try {
      showError("");
      show(await answer(await fetch("/api/scenario?name=" + encodeURIComponent(name))));
    } catch (e) {
      showError(e.message);
      setState("error");
    }
  }

  async function uploadFile(file) {
    const form = new FormData();
    form.append("scenario", file);
    setState("loading");
    try {
      showError("");
      show(await answer(await fetch("/api/upload", { method: "POST", body: form })));
    } catch (e) {
      showError(e.message);
      setState("error");
      status("the upload was refused");
    }
  }

  function chosenArms() {
    const boxes = Array.from($("arms").querySelectorAll("input"));
    if (boxes.every((b) => b.checked)) return null; // the scenario's arms
    const on = boxes.filter((b) => b.checked).map((b) => b.value);
    return on.length ? on : ["baseline"];
  }

  async function run() {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    const values = Object.assign({}, moved);
    const reps = values.replications || 0;
    delete values.replications;
    const body = { source: scenario.source, values: values, replications: reps, arms: chosenArms() };
    const t0 = performance.now();
    showError("");
    setState("running");
    $("cancel").disabled = false;
    $("progress").value = 0;
    status("starting…");
    try {
      const resp = await fetch("/api/run", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal: mine.signal });
      if (!resp.ok) { await answer(resp); return; }
      const reader = resp.body.getReader();
      const decoder = new TextDecoder();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line) handle(JSON.parse(line), t0);
        }
      }
    } catch (e) {
      if (mine.signal.aborted) {
        if (controller === mine) { setState("cancelled"); status("cancelled"); }
        return;
      }
      showError(e.message);
      setState("error");
      status("failed");
    } finally {
      if (controller === mine) { controller = null; $("cancel").disabled = true; }
    }
  }

  function handle(ev, t0) {
    switch (ev.event) {
      case "started":
        status("run " + ev.run + " started");
        break;
      case "progress":
        $("progress").max = ev.total;
        $("progress").value = ev.done;
        status(ev.done + " of " + ev.total + " runs done");
        break;
      case "figures":
        // The figures are drawn; the report is still being written.
        drawFigures(ev.run, ev.figures, t0);
        status("run " + ev.run + ": figures drawn in " + ev.seconds.toFixed(2) + " s; writing the report…");
        break;
      case "done":
        previous = current;
        current = { run: ev.run, figures: ev.figures, result: ev.result };
        $("progress").value = $("progress").max;
        status("run " + ev.run + " done in " + ev.seconds.toFixed(2) + " s");
        drawTable();
        if (drawnRun !== ev.run) drawFigures(ev.run, ev.figures, t0);
        drawOverlay();
        document.body.dataset.runs = String(Number(document.body.dataset.runs) + 1);
        setState("done");
        break;
      case "cancelled":
        setState("cancelled");
        status("cancelled");
        break;
      case "error":
        showError(ev.message);
        setState("error");
        status("the run failed");
        break;
    }
  }

  function tableRows(table, run, result, cls) {
    result.rows.forEach((row, i) => {
      const tr = el("tr", { "data-arm": row[0], "data-failures": String(result.failures[i]), "data-run": run });
      if (cls) tr.className = cls;
      row.forEach((cell, j) => tr.append(el("td", {}, j === 0 && cls ? cell + " (run " + run + ")" : cell)));
      table.append(tr);
    });
  }

  function drawTable() {
    const r = current.result;
    const table = el("table", { id: "arm-table" });
    const head = el("tr");
    r.header.forEach((h) => head.append(el("th", {}, h)));
    table.append(head);
    tableRows(table, current.run, r, "");
    if ($("compare").checked && previous) tableRows(table, previous.run, previous.result, "previous");
    $("table").replaceChildren(table);
    $("text").textContent = r.text;
    $("results-hint").textContent = "Run " + current.run + " of " + scenario.name + ".";
    $("tools").hidden = false;
    $("download").href = "/runs/" + current.run + "/download";
    $("report").href = "/runs/" + current.run + "/report.html";
  }

  function figureURL(run, name) { return "/runs/" + run + "/plots/" + name + ".svg"; }

  // drawFigures shows the figures names of run, and records the time
  // from t0 (pressing Run) to the first one drawn.
  function drawFigures(run, names, t0) {
    let first = true;
    const shown = names.map((name) => {
      const img = el("img", { src: figureURL(run, name), alt: name + " (run " + run + ")" });
      img.addEventListener("load", () => {
        if (first) {
          first = false;
          document.body.dataset.firstFigureMs = String(Math.round(performance.now() - t0));
        }
      });
      const fig = el("figure", { "data-name": name });
      fig.append(img, el("figcaption", {}, name.replace(/-/g, " ") + " (run " + run + ")"));
      return fig;
    });
    $("figures").replaceChildren(...shown);
    drawnRun = run;
  }

  // drawOverlay shows the previous run and this one on the same axes
  // (smesim compare's figures) when the box is ticked.
  async function drawOverlay() {
    const box = $("overlay");
    if (!$("compare").checked || !previous || !current) {
      box.replaceChildren();
      return;
    }
    const runs = [previous.run, current.run];
    try {
      const j = await answer(await fetch("/api/compare", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ runs: runs }) }));
      if (!current || current.run !== runs[1]) return; // a newer run is shown
      const shown = j.figures.map((name) => {
        const fig = el("figure", { "data-name": name, class: "overlay" });
        fig.append(el("img", { src: "/compares/" + j.id + "/" + name + ".svg", alt: name }),
          el("figcaption", {}, name.replace(/-/g, " ") + ": run " + runs[0] + " and run " + runs[1] + " on the same axes"));
        return fig;
      });
      box.replaceChildren(...shown);
    } catch (e) {
      showError(e.message);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("builtin").addEventListener("change", () => { $("upload").value = ""; loadBuiltin($("builtin").value); });
    $("upload").addEventListener("change", () => { if ($("upload").files.length) uploadFile($("upload").files[0]); });
    $("run").addEventListener("click", run);
    $("cancel").addEventListener("click", () => { if (controller) controller.abort(); });
    $("compare").addEventListener("change", () => { if (current) { drawTable(); drawOverlay(); } });
    loadBuiltin($("builtin").value);
  });
})();
