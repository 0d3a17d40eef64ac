// dealwire web page: the read API's deals with its filters, a deal's evidence, value by month.
// Everything from the API is written with textContent, never as HTML.
"use strict";

const form = document.getElementById("filters");
const tbody = document.querySelector("#deals tbody");
const statusLine = document.getElementById("status");
const moreButton = document.getElementById("more");
const detail = document.getElementById("detail");
let nextCursor = null;
let chart = null;

const FIELD_LABELS = {
  type: "type", parties: "parties", assets: "assets", modality: "modality", targets: "targets",
  indications: "indications", upfront: "upfront", milestones: "milestones", royalties: "royalties",
  total_value: "total value", equity: "equity", territory: "territory", regulator: "regulator",
  regulatory_action: "regulatory action", stage: "stage", date: "date",
};

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function filterParams() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (value === "" || name === "sort") continue;
    if (name === "min_upfront_musd") params.set("min_upfront_usd", String(Number(value) * 1e6));
    else if (name === "min_total_musd") params.set("min_total_usd", String(Number(value) * 1e6));
    else if (name === "primary_only") params.set("primary_only", "true");
    else params.set(name, value);
  }
  return params;
}

function money(m) {
  if (!m) return "";
  const amount = m.amount >= 1e9 ? (m.amount / 1e9).toFixed(2) + "B"
    : m.amount >= 1e6 ? (m.amount / 1e6).toFixed(1) + "M" : String(m.amount);
  return `${m.currency} ${amount}`;
}

function terms(deal) {
  const parts = [];
  if (deal.regulator || deal.regulatory_action) {
    parts.push([deal.regulator, (deal.regulatory_action || "").replaceAll("_", " ")].filter(Boolean).join(" "));
  }
  for (const [name, label] of [["upfront", "upfront"], ["milestones", "milestones"], ["total_value", "total"],
                               ["equity", "equity"]]) {
    if (deal[name]) parts.push(`${money(deal[name])} ${label}`);
  }
  return parts.join(" / ");
}

async function fetchJson(url) {
  const response = await fetch(url, {headers: {Accept: "application/json"}});
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detailText = Array.isArray(body.detail)
      ? body.detail.map((d) => `${d.loc.slice(1).join(".")}: ${d.msg}`).join("; ") : body.detail;
    throw new Error(detailText || `HTTP ${response.status}`);
  }
  return body;
}

function dealRow(deal) {
  const row = el("tr");
  row.dataset.dealKey = deal.deal_key;
  row.append(el("td", deal.deal_date || "—"));
  const type = el("td", deal.type, "type");
  if (!deal.primary) type.append(" ", el("span", "mentioned", "secondary"));
  row.append(type);
  row.append(el("td", deal.parties.map(([name, role]) => `${name} (${role})`).join(", ")));
  row.append(el("td", deal.assets.join(", ")));
  row.append(el("td", terms(deal)));
  row.addEventListener("click", () => showDeal(deal.deal_key, row));
  return row;
}

async function loadDeals(append) {
  const params = filterParams();
  params.set("sort", form.elements.sort.value);
  params.set("limit", "50");
  if (append && nextCursor) params.set("cursor", nextCursor);
  statusLine.textContent = "loading…";
  try {
    const page = await fetchJson(`/v1/deals?${params}`);
    if (!append) tbody.replaceChildren();
    for (const deal of page.items) tbody.append(dealRow(deal));
    nextCursor = page.next_cursor;
    moreButton.hidden = !nextCursor;
    statusLine.textContent = `${tbody.rows.length} deal${tbody.rows.length === 1 ? "" : "s"} shown` +
      (nextCursor ? " (more available)" : "");
  } catch (error) {
    statusLine.textContent = `could not load deals: ${error.message}`;
  }
}

function markedSentence(sentence, highlights) {
  const node = el("span", null, "sentence");
  let at = 0;
  for (const [start, end] of highlights) {
    node.append(sentence.slice(at, start), el("mark", sentence.slice(start, end)));
    at = end;
  }
  node.append(sentence.slice(at));
  return node;
}

function addField(list, label, value) {
  if (!value) return;
  list.append(el("dt", label), el("dd", value));
}

async function showDeal(dealKey, row) {
  for (const selected of tbody.querySelectorAll("tr.selected")) selected.classList.remove("selected");
  row.classList.add("selected");
  try {
    const deal = await fetchJson(`/v1/deals/${encodeURIComponent(dealKey)}`);
    document.getElementById("detail-title").textContent =
      `${deal.type}: ${deal.parties.map((p) => p.name).join(" · ") || deal.assets.join(", ") || deal.deal_key}`;
    const fields = document.getElementById("detail-fields");
    fields.replaceChildren();
    addField(fields, "parties", deal.parties.map((p) => `${p.name} (${p.role})`).join(", "));
    addField(fields, "assets", deal.assets.join(", "));
    addField(fields, "targets", deal.targets.join(", "));
    addField(fields, "indications", deal.indications.join(", "));
    addField(fields, "modality", deal.modality.join(", "));
    addField(fields, "terms", terms(deal));
    if (deal.territory) {
      const include = deal.territory.include.join(", ") || "worldwide";
      addField(fields, "territory", deal.territory.exclude.length
        ? `${include} excl. ${deal.territory.exclude.join(", ")}` : include);
    }
    addField(fields, "stage", deal.stage);
    addField(fields, "date", deal.deal_date);
    const evidence = document.getElementById("evidence");
    evidence.replaceChildren();
    for (const item of deal.evidence) {
      const entry = el("li");
      entry.dataset.field = item.field;
      entry.append(el("span", FIELD_LABELS[item.field] || item.field, "field"),
                   markedSentence(item.sentence, item.highlights));
      evidence.append(entry);
    }
    const sources = document.getElementById("sources");
    sources.replaceChildren();
    for (const source of deal.sources) {
      const entry = el("li");
      const title = source.title || source.article_id;
      if (source.url && /^https?:\/\//.test(source.url)) {
        const link = el("a", title);
        link.href = source.url;
        link.rel = "noopener noreferrer";
        entry.append(link);
      } else {
        entry.append(title);
      }
      if (source.published) entry.append(` (${source.published})`);
      sources.append(entry);
    }
    detail.hidden = false;
  } catch (error) {
    statusLine.textContent = `could not load the deal: ${error.message}`;
  }
}

async function loadChart() {
  try {
    const months = await fetchJson(`/v1/stats/value-by-month?${filterParams()}`);
    const labels = [...new Set(months.map((m) => m.month))].sort();
    const types = [...new Set(months.map((m) => m.type))].sort();
    const palette = ["#3867d6", "#20bf6b", "#f7b731", "#eb3b5a", "#8854d0", "#0fb9b1"];
    const datasets = types.map((type, index) => ({
      label: type,
      backgroundColor: palette[index % palette.length],
      data: labels.map((month) => {
        const found = months.find((m) => m.month === month && m.type === type);
        return found ? Math.round(found.value_usd / 1e4) / 100 : 0;
      }),
    }));
    if (chart) chart.destroy();
    chart = new Chart(document.getElementById("value-chart"), {
      type: "bar",
      data: {labels, datasets},
      options: {animation: false, responsive: true, scales: {x: {stacked: true}, y: {stacked: true}}},
    });
  } catch (error) {
    statusLine.textContent = `could not load the chart: ${error.message}`;
  }
}

function refresh() {
  loadDeals(false);
  loadChart();
}

form.addEventListener("submit", (event) => { event.preventDefault(); refresh(); });
form.addEventListener("reset", () => setTimeout(refresh, 0));
moreButton.addEventListener("click", () => loadDeals(true));
document.getElementById("close-detail").addEventListener("click", () => { detail.hidden = true; });
form.elements.sort.value = "newest";
refresh();
