// The recruiter page of the Rediscovery search API: search, filters, profile and insights.
//
// Plain ES modules served from /static (no build step, no CDN, nothing fetched from anywhere but
// this server). The API key is kept in sessionStorage (this tab only) and sent as a Bearer token.
//
// Safety: every server value is put into the page with textContent / DOM properties, except the
// search highlights, which are HTML with <mark> tags and otherwise unescaped text: those go
// through markedHtml(), which escapes everything and then re-allows only <mark> and </mark>.
// Links are only ever http(s) (safeUrl). The page's Content-Security-Policy forbids inline
// scripts and any request to another origin.
//
// Insight bar → filter (INSIGHT_FILTERS below): clicking a bar adds the filter that selects the
// candidates counted under it.
//
//   dimension (facet)                        adds
//   location (location)                      filters.location        "Austin, TX" as is; "Toronto,
//                                                                    Ontario, CA" as "Toronto Ontario"
//                                                                    (the index's city-state term)
//   current_company (current_company)        filters.current_company
//   current_title (current_title)            the query scope current_title:"…" (ANDed to the query;
//                                                                    the API has no current-title filter)
//   past_company (past_companies)            filters.past_company
//   past_title (past_titles)                 filters.title           (current, past or resume titles:
//                                                                    the API has no past-title filter)
//   skills (skills)                          filters.skills          (skills_mode "all": narrows)
//   years_of_experience (experience_bucket)  filters.years_of_experience {min, max}: bucket "1-3" is
//                                                                    1 ≤ years < 3, sent as {min: 1,
//                                                                    max: 2.99} (years have one
//                                                                    decimal); "20+" is {min: 20}
//   years_in_role (tenure_bucket)            filters.years_in_current_role, the same way
//   school (schools)                         filters.school
//   degree (degrees)                         filters.degree
//   major (majors)                           filters.major
//   diversity_* (diversity_*)                filters.diversity_*     (exact values)
//   industry (industry)                      filters.industry
//   company_size (company_size)              filters.company_size    (exact values)
//   certifications (certifications)          filters.certifications
//   languages (languages)                    filters.languages
//   groups, interests, honors                none: the index has no filter or search field for
//                                                                    them (their bars are not clickable)
//
// Word filters (location, companies, titles, skills, education, industry, certifications,
// languages) match the value as a phrase inside one of the candidate's values, so "Google" also
// selects "Google Cloud": a filtered count can be a little above the bar's count.

import { barChart } from "./chart.js";

const KEY_STORAGE = "rediscovery.apiKey";
const PER_PAGE = 20;
const INSIGHTS_TOP = 15;
const SHOWN_VALUES = 8;
const MAX_PAGES = 500; // the index pages through the first 10,000 hits (MAX_TOTAL_HITS)
const NARROW = "(max-width: 900px)";

// --- filter panel definition -------------------------------------------------------------------

const jobLabel = (value) => `Job ${value}`;
const jobStatusLabel = (value) => {
  const cut = value.indexOf("|");
  return cut < 0 ? value : `Job ${value.slice(0, cut)} — ${value.slice(cut + 1)}`;
};

// Checkbox groups: the request filter (SearchFilters field) and the facet whose counts it shows.
const GROUPS = [
  { field: "application_type", facet: "application_type", label: "Application type", section: "ats" },
  { field: "status", facet: "status", label: "Status", section: "ats" },
  { field: "job_ids", facet: "job_ids", label: "Job", section: "ats", display: jobLabel, addable: "job id" },
  { field: "job_status", facet: "job_status", label: "Application status per job", section: "ats", display: jobStatusLabel },
  { field: "recruiter_names", facet: "recruiter_names", label: "Recruiter", section: "ats", addable: "recruiter" },
  { field: "skills", facet: "skills", label: "Skills", section: "power", addable: "skill", modes: true },
  { field: "title", facet: "titles", label: "Title (current, past or resume)", section: "power", addable: "title" },
  { field: "current_company", facet: "current_company", label: "Current company", section: "power", addable: "company" },
  { field: "company", facet: "companies", label: "Company (current or past)", section: "power", addable: "company" },
  { field: "past_company", facet: "past_companies", label: "Past company", section: "power", addable: "company" },
  { field: "location", facet: "location", label: "Location", section: "power", addable: "city, state or country" },
  { field: "industry", facet: "industry", label: "Industry", section: "power" },
  { field: "company_size", facet: "company_size", label: "Company size", section: "power" },
  { field: "school", facet: "schools", label: "School", section: "power", addable: "school" },
  { field: "degree", facet: "degrees", label: "Degree", section: "power" },
  { field: "major", facet: "majors", label: "Major", section: "power" },
  { field: "certifications", facet: "certifications", label: "Certifications", section: "power", addable: "certification" },
  { field: "languages", facet: "languages", label: "Languages", section: "power" },
  { field: "diversity_gender", facet: "diversity_gender", label: "Gender", section: "diversity" },
  { field: "diversity_ethnicity", facet: "diversity_ethnicity", label: "Ethnicity", section: "diversity" },
  { field: "diversity_veteran", facet: "diversity_veteran", label: "Veteran status", section: "diversity" },
  { field: "diversity_disability", facet: "diversity_disability", label: "Disability", section: "diversity" },
];
const GROUP_BY_FIELD = Object.fromEntries(GROUPS.map((group) => [group.field, group]));
const RANGES = {
  years_of_experience: { label: "Years of experience", facet: "experience_bucket" },
  years_in_current_role: { label: "Years in current role", facet: "tenure_bucket" },
};
const PANEL_FACETS = [
  ...GROUPS.map((group) => group.facet),
  ...Object.values(RANGES).map((range) => range.facet),
  "is_matched",
  "is_active",
];

// Insight dimension key → how a click on one of its bars filters (see the table at the top).
const INSIGHT_FILTERS = {
  location: { list: "location" },
  current_company: { list: "current_company" },
  current_title: { scope: "current_title" },
  past_company: { list: "past_company" },
  past_title: { list: "title" },
  skills: { list: "skills" },
  years_of_experience: { range: "years_of_experience" },
  years_in_role: { range: "years_in_current_role" },
  school: { list: "school" },
  degree: { list: "degree" },
  major: { list: "major" },
  diversity_gender: { list: "diversity_gender" },
  diversity_ethnicity: { list: "diversity_ethnicity" },
  diversity_veteran: { list: "diversity_veteran" },
  diversity_disability: { list: "diversity_disability" },
  industry: { list: "industry" },
  company_size: { list: "company_size" },
  certifications: { list: "certifications" },
  languages: { list: "languages" },
  groups: null,
  interests: null,
  honors: null,
};

// Highlighted fields shown as snippets under a hit, in this order, with their labels.
const SNIPPET_FIELDS = {
  profile_headline: "Headline",
  titles: "Titles",
  companies: "Companies",
  skills: "Skills",
  job_titles: "Applied to",
  schools: "Schools",
  degrees: "Degrees",
  majors: "Majors",
  certifications: "Certifications",
  industry: "Industry",
  location: "Location",
  emails: "E-mail",
  resume_text: "Resume",
  attachment_text: "Attachments",
};

// --- state -------------------------------------------------------------------------------------

const state = {
  q: "",
  lists: {}, // SearchFilters list field → selected values (as displayed)
  skillsMode: "all",
  ranges: { years_of_experience: {}, years_in_current_role: {} },
  updatedAfter: "",
  updatedBefore: "",
  isActive: null,
  isMatched: null,
  sort: "",
  page: 1,
};
let lastResult = null;
let lastHits = new Map();
let searchToken = 0;
let insightsToken = 0;
let insightsStale = true;
let profileOpener = null;
let pending = 0; // requests in flight (busy)
const expandedGroups = new Set();

const $ = (selector) => document.querySelector(selector);

// --- DOM helpers -------------------------------------------------------------------------------

/** An element with properties/attributes and children (strings become text nodes). */
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && !key.includes("-")) node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Server highlight → safe HTML: everything escaped, then only <mark> and </mark> re-allowed. */
export function markedHtml(text) {
  return escapeHtml(text).replace(/&#60;(\/?)mark&#62;/g, "<$1mark>");
}

/** A fragment for a highlight string (see markedHtml); a list keeps the items with a match. */
function highlighted(value, { compact = true } = {}) {
  let text = Array.isArray(value)
    ? value.filter((item) => String(item).includes("<mark>")).join(", ")
    : String(value);
  // Crops of resumes and attachments keep their line breaks: one line in a list, fewer blank
  // lines in the profile.
  text = compact ? text.replace(/\s+/g, " ") : text.replace(/\n\s*\n+/g, "\n");
  // A list shows three lines of a crop: start it shortly before its first match (no tag
  // comes before the first <mark>, so the cut never splits one).
  const first = text.indexOf("<mark>");
  if (compact && first > 90) text = `…${text.slice(first - 70).replace(/^[^\s<]*\s/, "")}`;
  const template = document.createElement("template");
  template.innerHTML = markedHtml(text);
  return template.content;
}

/** An http(s) URL for a link, or null (no javascript:, data: …). Bare hosts get https://. */
export function safeUrl(value) {
  if (!value) return null;
  const text = String(value).trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function externalLink(href, text, label) {
  const url = safeUrl(href);
  if (!url) return null;
  return h("a", {
    href: url, target: "_blank", rel: "noopener noreferrer", class: "external",
    "aria-label": label ? `${label} (opens in a new tab)` : null,
  }, text);
}

function day(value) {
  return value ? String(value).slice(0, 10) : "";
}

function plural(count, word) {
  return `${count.toLocaleString()} ${word}${count === 1 ? "" : "s"}`;
}

function notify(message) {
  const notice = $("#notice");
  notice.textContent = message;
  notice.hidden = !message;
}

// --- the API -----------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, payload) {
    const error = payload?.error ?? { code: "http_error", message: `HTTP ${status}` };
    super(error.message);
    this.status = status;
    this.error = error;
  }
}

function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

async function api(path, { method = "GET", body, raw = false } = {}) {
  const key = apiKey();
  if (!key) {
    askForKey();
    throw new ApiError(401, { error: { code: "unauthorized", message: "an API key is needed" } });
  }
  const headers = { Authorization: `Bearer ${key}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer",
    });
  } catch {
    throw new ApiError(0, { error: { code: "network", message: "the search API cannot be reached" } });
  }
  if (!response.ok) {
    let payload = null;
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
    if (response.status === 401) {
      sessionStorage.removeItem(KEY_STORAGE);
      askForKey("That API key was not accepted. Enter a valid key.");
    }
    throw new ApiError(response.status, payload);
  }
  return raw ? response : response.json();
}

// --- request building --------------------------------------------------------------------------

/** "Toronto, Ontario, CA" → "Toronto Ontario": the index's location terms have the city with its
 * state but not the whole non-US display string. US values ("Austin, TX") are used as they are. */
function locationTerm(value) {
  const parts = value.split(",").map((part) => part.trim()).filter(Boolean);
  return parts.length >= 3 ? parts.slice(0, 2).join(" ") : value;
}

function requestValues(field, values) {
  if (field === "location") return values.map(locationTerm);
  if (field === "job_status") {
    return values.map((value) => {
      const cut = value.indexOf("|");
      return { job_id: value.slice(0, cut), status: value.slice(cut + 1) };
    });
  }
  return values;
}

/** The SearchFilters object of the current state; `without` leaves one list field out (used
 * to count a group's other values while some of its values are selected). */
function requestFilters(without = null) {
  const filters = {};
  for (const [field, values] of Object.entries(state.lists)) {
    if (field !== without && values.length) filters[field] = requestValues(field, values);
  }
  if ((state.lists.skills?.length ?? 0) > 1 && without !== "skills") {
    filters.skills_mode = state.skillsMode;
  }
  for (const [field, range] of Object.entries(state.ranges)) {
    const value = {};
    if (range.min !== undefined && range.min !== null) value.min = range.min;
    if (range.max !== undefined && range.max !== null) value.max = range.max;
    if (Object.keys(value).length) filters[field] = value;
  }
  if (state.updatedAfter) filters.updated_after = state.updatedAfter;
  if (state.updatedBefore) filters.updated_before = state.updatedBefore;
  if (state.isActive !== null) filters.is_active = state.isActive;
  if (state.isMatched !== null) filters.is_matched = state.isMatched;
  return Object.keys(filters).length ? filters : null;
}

function activeFilterCount() {
  let count = Object.values(state.lists).reduce((sum, values) => sum + values.length, 0);
  for (const range of Object.values(state.ranges)) {
    if (range.min != null || range.max != null) count += 1;
  }
  count += [state.updatedAfter, state.updatedBefore].filter(Boolean).length;
  count += [state.isActive, state.isMatched].filter((value) => value !== null).length;
  return count;
}

// --- search ------------------------------------------------------------------------------------

async function refresh() {
  const token = ++searchToken;
  insightsStale = true;
  renderActiveFilters();
  syncControls();
  clearQueryError();
  const filters = requestFilters();
  const body = {
    q: state.q, filters, sort: state.sort ? [state.sort] : [], page: state.page,
    per_page: PER_PAGE, highlight: true, facets: PANEL_FACETS,
  };
  // Counts for a group with selected values come from the same search without that group, so
  // the other values stay visible (and can be added: several values of one filter mean OR).
  const selectedGroups = GROUPS.filter((group) => state.lists[group.field]?.length);
  const sideSearches = selectedGroups.map((group) => api("/search", {
    method: "POST",
    body: {
      q: state.q, filters: requestFilters(group.field), page: 1, per_page: 1, highlight: false,
      facets: [group.facet],
    },
  }));
  busy(1);
  $("#results").setAttribute("aria-busy", "true");
  let searched = false;
  try {
    try {
      const [result, ...sides] = await Promise.all([api("/search", { method: "POST", body }),
        ...sideSearches]);
      if (token !== searchToken) return;
      const groupCounts = {};
      selectedGroups.forEach((group, index) => {
        groupCounts[group.facet] = sides[index].facets?.[group.facet] ?? {};
      });
      lastResult = result;
      renderResults(result);
      renderFilterGroups(result.facets ?? {}, groupCounts);
      renderPlan();
      searched = true;
    } catch (error) {
      if (token !== searchToken) return;
      showSearchError(error);
    } finally {
      if (token === searchToken) $("#results").removeAttribute("aria-busy");
    }
    if (searched && currentTab() === "insights") await loadInsights();
  } finally {
    busy(-1);
  }
}

/** body.busy while any search or insights request runs (dims the results; tests wait on it). */
function busy(delta) {
  pending = Math.max(0, pending + delta);
  document.body.classList.toggle("busy", pending > 0);
}

function showSearchError(error) {
  const code = error.error?.code;
  if (code === "query_syntax" || code === "query_limit") {
    showQueryError(error.error);
    return;
  }
  const box = $("#q-error");
  box.replaceChildren(h("strong", {}, error.status === 422 ? "Invalid filters: " : "Search failed: "),
    error.error?.message ?? String(error));
  for (const problem of error.error?.problems ?? []) {
    box.append(h("div", { class: "small" },
      `${(problem.location ?? []).filter((part) => part !== "body").join(" › ")}: ${problem.message}`));
  }
  if (error.error?.request_id) box.append(h("div", { class: "small muted" }, `request ${error.error.request_id}`));
  box.hidden = false;
}

/** A query error inline under the search box: the message and the query with the spot marked. */
function showQueryError(error) {
  const input = $("#q");
  const box = $("#q-error");
  const text = state.q;
  const children = [h("strong", {}, "Query error: "), error.message];
  if (error.position !== null && error.position !== undefined) {
    const at = Math.min(Math.max(0, error.position), text.length);
    const spot = text.slice(at, at + 1) || "␣";
    children.push(h("code", { class: "query-echo", "aria-label": `at character ${at + 1}` },
      text.slice(0, at), h("mark", { class: "error-at" }, spot), text.slice(at + 1)));
  }
  const details = [];
  if (error.expected) details.push(`expected ${error.expected}`);
  if (error.found) details.push(`found ${error.found}`);
  if (details.length) children.push(h("div", { class: "small" }, details.join("; ")));
  box.replaceChildren(...children);
  box.hidden = false;
  input.setAttribute("aria-invalid", "true");
  $("#results-summary").textContent = "Fix the query to search.";
  $("#results").replaceChildren();
  $("#pager").replaceChildren();
  if (error.position !== null && error.position !== undefined) {
    input.focus();
    const at = Math.min(error.position, input.value.length);
    input.setSelectionRange(at, Math.min(at + 1, input.value.length));
  }
}

function clearQueryError() {
  $("#q-error").hidden = true;
  $("#q-error").replaceChildren();
  $("#q").removeAttribute("aria-invalid");
}

// --- results -----------------------------------------------------------------------------------

function renderResults(result) {
  lastHits = new Map(result.hits.map((hit) => [hit.candidate_id, hit]));
  const pages = Math.min(MAX_PAGES, Math.max(1, Math.ceil(result.total / PER_PAGE)));
  const count = result.total_is_exact
    ? plural(result.total, "candidate")
    : `more than ${plural(result.total, "candidate")}`;
  const mode = result.plan?.mode === "boolean" ? " · Boolean search" : "";
  $("#results-summary").replaceChildren(
    h("strong", { id: "total", dataset: { total: result.total } }, count),
    result.total ? ` · page ${result.page} of ${pages}${mode}` : mode,
  );
  const warnings = [...new Set(result.warnings ?? [])];
  $("#warnings").replaceChildren(...warnings.map((warning) => h("p", { class: "warning" }, warning)));
  const list = $("#results");
  list.replaceChildren(...result.hits.map(hitCard));
  if (!result.hits.length) {
    list.append(h("li", { class: "empty" }, "No candidate matches. Loosen the query or remove a filter."));
  }
  renderPager(result, pages);
}

function hitCard(hit) {
  const marks = hit.highlights ?? {};
  const field = (name) => (typeof marks[name] === "string" ? highlighted(marks[name]) : hit[name]);
  const snippets = Object.entries(SNIPPET_FIELDS)
    .filter(([name]) => marks[name] !== undefined)
    .map(([name, label]) => h("div", { class: `snippet snippet-${name}` },
      h("dt", {}, label), h("dd", {}, highlighted(marks[name]))));
  const headline = [
    hit.current_title ? h("span", { class: "title" }, field("current_title")) : null,
    hit.current_title && hit.current_company ? " at " : null,
    hit.current_company ? h("span", { class: "company" }, field("current_company")) : null,
  ].filter(Boolean);
  const meta = [
    hit.location ? h("span", {}, field("location")) : null,
    hit.status ? h("span", { class: "tag status" }, hit.status) : null,
    hit.application_type ? h("span", { class: "tag" }, hit.application_type) : null,
    hit.updated_at ? h("span", { class: "muted" }, `updated ${day(hit.updated_at)}`) : null,
  ].filter(Boolean);
  const clauses = (lastResult?.plan?.sub_queries?.length ?? 0) > 1 && hit.matched_clauses?.length
    ? h("p", { class: "clauses small" }, "Matched: ",
      ...hit.matched_clauses.map((clause) => h("code", {}, clause)))
    : null;
  const linkedin = hit.linkedin_url || hit.profile_linkedin_url;
  const name = hit.name || `Candidate ${hit.candidate_id}`;
  return h("li", { class: "hit", dataset: { candidateId: hit.candidate_id, matched: hit.is_matched } },
    h("div", { class: "hit-head" },
      h("h3", { class: "hit-title" },
        h("button", {
          type: "button", class: "hit-name link-button",
          "aria-label": `Open the profile of ${name}`,
          onclick: (event) => openProfile(hit.candidate_id, event.currentTarget),
        }, typeof marks.name === "string" ? highlighted(marks.name) : name)),
      h("span", { class: `badge ${hit.is_matched ? "matched" : "ats-only"}` },
        hit.is_matched ? "Enriched profile" : "ATS only")),
    headline.length ? h("p", { class: "hit-headline" }, ...headline) : null,
    meta.length ? h("p", { class: "hit-meta" }, ...meta.flatMap((item, i) => (i ? [" · ", item] : [item]))) : null,
    snippets.length ? h("dl", { class: "snippets" }, ...snippets) : null,
    clauses,
    h("p", { class: "hit-links" },
      externalLink(hit.view_in_jobdiva, "View in JobDiva", `View ${name} in JobDiva`),
      externalLink(linkedin, "LinkedIn", `LinkedIn profile of ${name}`)),
  );
}

function renderPager(result, pages) {
  const pager = $("#pager");
  if (pages <= 1) {
    pager.replaceChildren();
    return;
  }
  const go = (page) => {
    state.page = page;
    refresh().then(() => $("#main").focus());
  };
  pager.replaceChildren(
    h("button", { type: "button", disabled: result.page <= 1, onclick: () => go(result.page - 1) }, "← Previous"),
    h("span", {}, `Page ${result.page} of ${pages}`),
    h("button", { type: "button", disabled: result.page >= pages, onclick: () => go(result.page + 1) }, "Next →"),
  );
}

// --- query plan --------------------------------------------------------------------------------

function renderPlan() {
  const panel = $("#plan");
  const plan = lastResult?.plan;
  if (panel.hidden) return;
  if (!plan) {
    panel.replaceChildren(h("p", { class: "muted" }, "Run a search to see its plan."));
    return;
  }
  const subs = plan.sub_queries ?? [];
  panel.replaceChildren(...[
    h("h2", {}, "Query plan"),
    h("dl", { class: "plan-facts" },
      h("dt", {}, "Mode"), h("dd", {}, plan.mode === "boolean" ? "Boolean (exact words and phrases)" : "Keywords (ranked, typo-tolerant)"),
      h("dt", {}, "You typed"), h("dd", {}, h("code", {}, plan.query || "(empty: every candidate)")),
      plan.canonical ? [h("dt", {}, "Understood as"), h("dd", {}, h("code", { class: "canonical" }, plan.canonical))] : null),
    h("h3", {}, `${plural(subs.length, "alternative")} run in Meilisearch`),
    h("ol", { class: "plan-subs" }, ...subs.map((sub) => h("li", {},
      h("div", {}, "Clause ", h("code", {}, sub.clause || "(everything)")),
      h("div", { class: "small" }, "search ", h("code", {}, String(sub.payload?.q ?? ""))),
      sub.payload?.filter ? h("div", { class: "small" }, "filter ", h("code", {}, String(sub.payload.filter))) : null))),
    (plan.warnings ?? []).length ? h("ul", { class: "warnings" }, ...plan.warnings.map((w) => h("li", {}, w))) : null,
    h("details", {}, h("summary", {}, "Raw plan (JSON)"), h("pre", {}, JSON.stringify(plan, null, 2))),
  ].filter(Boolean));
}

// --- filter panel ------------------------------------------------------------------------------

function buildFilterPanel() {
  for (const group of GROUPS) {
    const container = document.querySelector(`.filter-groups[data-section="${group.section}"]`);
    const fieldset = h("fieldset", { class: "filter-group", id: `group-${group.field}`, dataset: { field: group.field } },
      h("legend", {}, group.label),
      group.modes ? h("div", { class: "modes small" },
        h("label", {}, h("input", { type: "radio", name: "skills_mode", value: "all", checked: true }), " all of"),
        h("label", {}, h("input", { type: "radio", name: "skills_mode", value: "any" }), " any of")) : null,
      h("ul", { class: "values" }),
      h("button", { type: "button", class: "link-button more small", hidden: true, "aria-expanded": "false" }, "Show more"),
      group.addable ? h("input", {
        type: "text", class: "add-value", placeholder: `Add a ${group.addable}…`,
        "aria-label": `Add a ${group.label} value (press Enter)`,
      }) : null);
    container.append(fieldset);
  }
  document.querySelectorAll(".filter-group").forEach((fieldset) => {
    const field = fieldset.dataset.field;
    if (!field) return;
    fieldset.addEventListener("change", (event) => {
      const target = event.target;
      if (target.type === "checkbox") toggleValue(field, target.value, target.checked);
      if (target.name === "skills_mode") {
        state.skillsMode = target.value;
        if ((state.lists.skills?.length ?? 0) > 1) search();
      }
    });
    fieldset.querySelector(".more").addEventListener("click", (event) => {
      if (expandedGroups.has(field)) expandedGroups.delete(field);
      else expandedGroups.add(field);
      const expanded = expandedGroups.has(field);
      event.currentTarget.setAttribute("aria-expanded", String(expanded));
      fieldset.querySelectorAll("li.extra").forEach((item) => { item.hidden = !expanded; });
      event.currentTarget.textContent = expanded ? "Show fewer" : event.currentTarget.dataset.more;
    });
    fieldset.querySelector(".add-value")?.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const value = event.currentTarget.value.trim();
      if (!value) return;
      event.currentTarget.value = "";
      toggleValue(field, value, true);
    });
  });
  for (const input of document.querySelectorAll("input[data-range]")) {
    input.addEventListener("change", () => {
      const value = input.value === "" ? null : Number(input.value);
      state.ranges[input.dataset.range][input.dataset.end] = Number.isFinite(value) ? value : null;
      search();
    });
  }
  $("#updated-after").addEventListener("change", (event) => {
    state.updatedAfter = event.target.value;
    search();
  });
  $("#updated-before").addEventListener("change", (event) => {
    state.updatedBefore = event.target.value;
    search();
  });
  const flag = (value) => (value === "" ? null : value === "true");
  $("#is-active").addEventListener("change", (event) => {
    state.isActive = flag(event.target.value);
    search();
  });
  $("#is-matched").addEventListener("change", (event) => {
    state.isMatched = flag(event.target.value);
    search();
  });
  $("#clear-filters").addEventListener("click", () => {
    clearFilters();
    search();
  });
}

function clearFilters() {
  state.lists = {};
  state.skillsMode = "all";
  state.ranges = { years_of_experience: {}, years_in_current_role: {} };
  state.updatedAfter = "";
  state.updatedBefore = "";
  state.isActive = null;
  state.isMatched = null;
}

function toggleValue(field, value, on) {
  const values = state.lists[field] ?? [];
  const next = on ? [...new Set([...values, value])] : values.filter((item) => item !== value);
  if (next.length) state.lists[field] = next;
  else delete state.lists[field];
  search();
}

/** A new search from page 1 (filters or query changed). */
function search() {
  state.page = 1;
  closeProfile({ restoreFocus: false });
  return refresh();
}

/** Where the keyboard focus is inside the filter panel, to put it back after a re-render. */
function focusedFilter() {
  const active = document.activeElement;
  if (!active?.closest?.("#filters")) return null;
  if (active.type === "checkbox") return { field: active.name, value: active.value };
  return null;
}

function renderFilterGroups(facets, groupCounts) {
  const focus = focusedFilter();
  for (const group of GROUPS) {
    const fieldset = document.getElementById(`group-${group.field}`);
    const counts = groupCounts[group.facet] ?? facets[group.facet] ?? {};
    const selected = state.lists[group.field] ?? [];
    const ordered = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const values = [...selected.filter((value) => !(value in counts)).map((value) => [value, null]), ...ordered];
    const display = group.display ?? ((value) => value);
    const items = values.map(([value, count], index) => {
      const checked = selected.includes(value);
      const id = `f-${group.field}-${index}`;
      const extra = index >= SHOWN_VALUES && !checked;
      return h("li", { class: extra ? "extra" : null, hidden: extra && !expandedGroups.has(group.field) },
        h("input", { type: "checkbox", id, name: group.field, value, checked }),
        h("label", { htmlFor: id },
          h("span", { class: "value" }, display(value)),
          h("span", { class: "count", "aria-label": count === null ? "" : `, ${plural(count, "candidate")}` },
            count === null ? "" : count.toLocaleString())));
    });
    const list = fieldset.querySelector(".values");
    list.replaceChildren(...items);
    if (!items.length) list.append(h("li", { class: "muted small" }, "No values in these results"));
    const extras = items.filter((item) => item.classList.contains("extra")).length;
    const more = fieldset.querySelector(".more");
    more.hidden = extras === 0;
    more.dataset.more = `Show ${extras} more`;
    more.textContent = expandedGroups.has(group.field) ? "Show fewer" : more.dataset.more;
    fieldset.classList.toggle("has-selection", selected.length > 0);
  }
  for (const [field, range] of Object.entries(RANGES)) {
    const box = document.querySelector(`.buckets[data-range="${field}"]`);
    const counts = facets[range.facet] ?? {};
    const buckets = Object.entries(counts).sort((a, b) => bucketStart(a[0]) - bucketStart(b[0]));
    box.replaceChildren(...buckets.map(([label, count]) => h("button", {
      type: "button", class: "chip small",
      "aria-label": `${range.label} ${label}: ${plural(count, "candidate")}. Use this range`,
      onclick: () => {
        const bounds = bucketRange(label);
        if (!bounds) return;
        state.ranges[field] = bounds;
        search();
      },
    }, `${label} `, h("span", { class: "count" }, count.toLocaleString()))));
  }
  setFlagCounts("#is-matched", facets.is_matched);
  setFlagCounts("#is-active", facets.is_active);
  if (focus) {
    const target = [...document.querySelectorAll(`#filters input[type=checkbox][name="${focus.field}"]`)]
      .find((input) => input.value === focus.value);
    target?.focus();
  }
}

function setFlagCounts(selector, counts) {
  const select = $(selector);
  for (const option of select.options) {
    if (!option.dataset.label) option.dataset.label = option.textContent;
    const count = option.value ? counts?.[option.value] : null;
    option.textContent = count !== undefined && count !== null
      ? `${option.dataset.label} (${count.toLocaleString()})`
      : option.dataset.label;
  }
}

function bucketStart(label) {
  const match = /^(\d+(?:\.\d+)?)/.exec(label);
  return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
}

/** A bucket label ("1-3", "20+") as the range filter that selects it: lower bound included,
 * upper bound excluded (years have one decimal, so < 3 is ≤ 2.99). */
export function bucketRange(label) {
  let match = /^(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)$/.exec(label.trim());
  if (match) {
    const min = Number(match[1]);
    const max = Math.max(min, Math.round((Number(match[2]) - 0.01) * 100) / 100);
    return { min, max };
  }
  match = /^(\d+(?:\.\d+)?)\s*\+$/.exec(label.trim());
  return match ? { min: Number(match[1]), max: null } : null;
}

function syncControls() {
  $("#q").value = state.q;
  $("#sort").value = state.sort;
  for (const input of document.querySelectorAll("input[data-range]")) {
    const value = state.ranges[input.dataset.range][input.dataset.end];
    input.value = value === null || value === undefined ? "" : String(value);
  }
  $("#updated-after").value = state.updatedAfter;
  $("#updated-before").value = state.updatedBefore;
  $("#is-active").value = state.isActive === null ? "" : String(state.isActive);
  $("#is-matched").value = state.isMatched === null ? "" : String(state.isMatched);
  for (const radio of document.querySelectorAll('input[name="skills_mode"]')) {
    radio.checked = radio.value === state.skillsMode;
  }
  const count = activeFilterCount();
  $("#filters-count").textContent = String(count);
  $("#filters-count").hidden = count === 0;
}

/** The removable chips of every active filter, above the results. */
function renderActiveFilters() {
  const chips = [];
  const chip = (text, remove) => h("li", {},
    h("span", {}, text),
    h("button", { type: "button", class: "chip-remove", "aria-label": `Remove filter ${text}`, onclick: () => {
      remove();
      search();
    } }, "×"));
  for (const [field, values] of Object.entries(state.lists)) {
    const group = GROUP_BY_FIELD[field];
    const display = group?.display ?? ((value) => value);
    const mode = field === "skills" && values.length > 1 ? ` (${state.skillsMode} of)` : "";
    for (const value of values) {
      chips.push(chip(`${group?.label ?? field}${mode}: ${display(value)}`, () => {
        state.lists[field] = state.lists[field].filter((item) => item !== value);
        if (!state.lists[field].length) delete state.lists[field];
      }));
    }
  }
  for (const [field, range] of Object.entries(state.ranges)) {
    if (range.min == null && range.max == null) continue;
    const text = range.max == null ? `${range.min}+` : `${range.min ?? 0}–${range.max}`;
    chips.push(chip(`${RANGES[field].label}: ${text}`, () => { state.ranges[field] = {}; }));
  }
  if (state.updatedAfter) chips.push(chip(`Updated from ${state.updatedAfter}`, () => { state.updatedAfter = ""; }));
  if (state.updatedBefore) chips.push(chip(`Updated until ${state.updatedBefore}`, () => { state.updatedBefore = ""; }));
  if (state.isActive !== null) {
    chips.push(chip(state.isActive ? "Active in JobDiva" : "Inactive in JobDiva", () => { state.isActive = null; }));
  }
  if (state.isMatched !== null) {
    chips.push(chip(state.isMatched ? "Enriched profile" : "ATS data only", () => { state.isMatched = null; }));
  }
  const bar = $("#active-filters");
  bar.replaceChildren(...(chips.length ? [h("ul", { class: "chips" }, ...chips)] : []));
}

// --- profile -----------------------------------------------------------------------------------

function openProfile(candidateId, opener) {
  profileOpener = opener ?? null;
  if (location.hash !== `#candidate/${candidateId}`) location.hash = `candidate/${candidateId}`;
  else showProfile(candidateId);
}

function closeProfile({ restoreFocus = true } = {}) {
  if (location.hash.startsWith("#candidate/")) {
    history.replaceState(null, "", location.pathname + location.search);
  }
  const article = $("#profile");
  if (article.hidden) return;
  article.hidden = true;
  article.replaceChildren();
  for (const id of ["#results-summary", "#warnings", "#results", "#pager"]) $(id).hidden = false;
  if (restoreFocus) {
    const opener = profileOpener && document.contains(profileOpener)
      ? profileOpener
      : document.querySelector(`.hit[data-candidate-id="${CSS.escape(article.dataset.candidateId ?? "")}"] .hit-name`);
    (opener ?? $("#q")).focus();
  }
}

function route() {
  const match = /^#candidate\/(\d{1,20})$/.exec(location.hash);
  if (match) showProfile(match[1]);
  else closeProfile();
}

async function showProfile(candidateId) {
  selectTab("results");
  const article = $("#profile");
  for (const id of ["#results-summary", "#warnings", "#results", "#pager"]) $(id).hidden = true;
  article.hidden = false;
  article.dataset.candidateId = candidateId;
  article.replaceChildren(h("p", { class: "muted" }, "Loading the profile…"));
  try {
    const data = await api(`/candidates/${encodeURIComponent(candidateId)}`);
    if (article.dataset.candidateId !== candidateId) return;
    renderProfile(article, data, lastHits.get(candidateId));
    article.focus();
  } catch (error) {
    article.replaceChildren(backButton(), h("p", { class: "query-error" },
      error.status === 404 ? "This candidate is not in the index." : `The profile could not be loaded: ${error.message}`));
  }
}

function backButton() {
  return h("button", { type: "button", class: "back", onclick: () => closeProfile() }, "← Back to results");
}

function facts(pairs) {
  const rows = pairs.filter(([, value]) => value !== null && value !== undefined && value !== "" &&
    !(Array.isArray(value) && !value.length));
  return h("dl", { class: "facts" }, ...rows.flatMap(([label, value]) => [
    h("dt", {}, label),
    h("dd", {}, value instanceof Node ? value : Array.isArray(value) ? value.join(", ") : String(value)),
  ]));
}

function chipList(values, className = "") {
  return values?.length ? h("ul", { class: `chip-list ${className}` }, ...values.map((value) => h("li", {}, value))) : null;
}

function linkList(urls) {
  const links = (urls ?? []).map((url) => externalLink(url, url.replace(/^https?:\/\//, ""))).filter(Boolean);
  return links.length ? h("span", { class: "links" }, ...links.flatMap((link, i) => (i ? [", ", link] : [link]))) : null;
}

function renderProfile(article, data, hit) {
  const ats = data.ats;
  const profile = data.profile;
  const name = ats.name || profile?.name || `Candidate ${data.candidate_id}`;
  const marks = hit?.highlights ?? {};

  const applications = ats.applications.length
    ? h("ul", { class: "applications" }, ...ats.applications.map((app) => h("li", {},
      h("strong", { class: "requisition" }, `${app.job_title || "Job"} (${app.job_id})`),
      " — ",
      h("span", { class: "tag status" }, app.status || "no status"),
      app.updated_at ? `, updated ${day(app.updated_at)}` : "",
      app.recruiter_name ? `, ${app.recruiter_name}` : "")))
    : h("p", { class: "muted" }, "No applications.");
  const attachments = ats.attachments.length
    ? h("ul", { class: "attachments" }, ...ats.attachments.map((item) => h("li", {},
      h("span", { class: "filename" }, item.filename || item.attachment_id),
      item.attachment_type ? h("span", { class: "muted" }, ` · ${item.attachment_type}`) : null,
      item.uploaded_at ? h("span", { class: "muted" }, ` · uploaded ${day(item.uploaded_at)}`) : null)))
    : h("p", { class: "muted" }, "No attachments.");
  const snippetFields = [["attachment_text", "In the attachments"], ["resume_text", "In the resume"]]
    .filter(([field]) => marks[field] !== undefined);
  const snippets = snippetFields.length
    ? h("div", { class: "matching-snippets" }, h("h5", {}, "Matching snippets"),
      ...snippetFields.map(([field, label]) => h("blockquote", { class: `snippet snippet-${field}` },
        h("div", { class: "small muted" }, label), highlighted(marks[field], { compact: false }))))
    : null;

  const atsSection = h("section", { class: "ats-col", "aria-labelledby": "ats-title" },
    h("h3", { id: "ats-title" }, "ATS data (JobDiva)"),
    facts([
      ["Status", ats.status],
      ["Application type", ats.application_type],
      ["Active", ats.is_active === null || ats.is_active === undefined ? null : ats.is_active ? "yes" : "no"],
      ["Last updated", day(ats.last_updated)],
      ["Location", ats.location],
      ["E-mail", ats.emails],
      ["Phone", ats.phones],
      ["LinkedIn", externalLink(ats.linkedin_url, ats.linkedin_url)],
      ["GitHub", externalLink(ats.github_url, ats.github_url)],
      ["Other links", linkList(ats.other_urls)],
    ]),
    h("h4", {}, `Applications (${ats.applications.length})`),
    applications,
    h("h4", {}, `Attachments (${ats.attachments.length})`),
    attachments,
    snippets,
    data.resume_titles.length ? [h("h4", {}, "Titles on the resume"), chipList(data.resume_titles)] : null,
    data.resume_skills.length ? [h("h4", {}, "Skills on the resume"), chipList(data.resume_skills)] : null,
  );

  let profileSection;
  if (!profile) {
    profileSection = h("section", { class: "profile-col", "aria-labelledby": "enriched-title" },
      h("h3", { id: "enriched-title" }, "Enriched profile"),
      h("p", { class: "muted no-profile" }, "No public profile is linked to this candidate: only the ATS data is known."));
  } else {
    const link = profile.link;
    const probability = link.match_probability === null || link.match_probability === undefined
      ? null : `${(link.match_probability * 100).toFixed(1)}% match probability`;
    const evidence = (link.evidence ?? []).length
      ? h("details", { class: "evidence-details" }, h("summary", {}, "Comparison details"),
        h("table", { class: "evidence" },
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Compared"), h("th", { scope: "col" }, "Level"), h("th", { scope: "col" }, "Weight"))),
          h("tbody", {}, ...link.evidence.map((item) => h("tr", { class: (item.weight ?? 0) > 0 ? "agree" : "disagree" },
            h("td", {}, String(item.comparison ?? "").replaceAll("_", " ")),
            h("td", {}, String(item.level ?? "")),
            h("td", {}, item.weight === null || item.weight === undefined ? "" : Number(item.weight).toFixed(2)))))))
      : null;
    profileSection = h("section", { class: "profile-col", "aria-labelledby": "enriched-title" },
      h("h3", { id: "enriched-title" }, "Enriched profile"),
      h("div", { class: "evidence-box", role: "note", "aria-label": "Why this profile is linked" },
        h("strong", { class: "match-explanation" }, capitalize(link.explanation)),
        h("div", { class: "small muted" }, [`method: ${link.match_method.replaceAll("_", " ")}`, probability].filter(Boolean).join(" · ")),
        evidence),
      profile.headline ? h("p", { class: "headline" }, profile.headline) : null,
      facts([
        ["Name on profile", profile.name],
        ["Current title", profile.current_title],
        ["Current company", profile.current_company],
        ["Location", profile.location],
        ["Experience", profile.years_of_experience == null ? null : `${profile.years_of_experience} years`],
        ["In current role", profile.years_in_current_role == null ? null : `${profile.years_in_current_role} years`],
        ["Industry", profile.industry],
        ["Company size", profile.company_size],
        ["Past titles", profile.past_titles],
        ["Past companies", profile.past_companies],
        ["Schools", profile.schools],
        ["Degrees", profile.degrees],
        ["Majors", profile.majors],
        ["Certifications", profile.certifications],
        ["Languages", profile.languages],
        ["Groups", profile.groups],
        ["Interests", profile.interests],
        ["Honors & awards", profile.honors],
        ["Diversity", Object.entries(profile.diversity ?? {}).map(([key, value]) => `${key}: ${value}`)],
        ["LinkedIn", externalLink(profile.linkedin_url, profile.linkedin_url)],
        ["GitHub", externalLink(profile.github_url, profile.github_url)],
        ["Other links", linkList(profile.other_urls)],
        ["Enriched as of", day(profile.enriched_as_of)],
      ]),
      profile.skills.length ? [h("h4", {}, "Skills"), chipList(profile.skills)] : null);
  }

  const linkedin = ats.linkedin_url || profile?.linkedin_url;
  article.replaceChildren(
    h("div", { class: "profile-head" },
      backButton(),
      h("h2", { id: "profile-name" }, name),
      h("p", { class: "profile-links" },
        externalLink(ats.view_in_jobdiva, "View in JobDiva", `View ${name} in JobDiva`),
        externalLink(linkedin, "LinkedIn", `LinkedIn profile of ${name}`))),
    h("div", { class: "profile-columns" }, atsSection, profileSection),
  );
}

function capitalize(text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : "";
}

// --- insights ----------------------------------------------------------------------------------

const tooltip = {
  show(target, text) {
    const tip = $("#chart-tooltip");
    tip.textContent = text;
    tip.hidden = false;
    const box = target.getBoundingClientRect();
    const fill = target.querySelector(".fill")?.getBoundingClientRect() ?? box;
    const left = Math.min(window.scrollX + fill.right + 8, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = `${Math.max(window.scrollX + 4, left)}px`;
    tip.style.top = `${window.scrollY + box.top - tip.offsetHeight - 4}px`;
  },
  hide() {
    $("#chart-tooltip").hidden = true;
  },
};

async function loadInsights() {
  if (!apiKey()) return;
  const token = ++insightsToken;
  insightsStale = false;
  const charts = $("#charts");
  charts.setAttribute("aria-busy", "true");
  busy(1);
  $("#insights-summary").textContent = "Counting the whole result set…";
  try {
    const result = await api("/insights", {
      method: "POST", body: { q: state.q, filters: requestFilters(), top: INSIGHTS_TOP },
    });
    if (token !== insightsToken) return;
    renderInsights(result);
  } catch (error) {
    if (token !== insightsToken) return;
    insightsStale = true;
    charts.replaceChildren();
    $("#insights-summary").textContent = "";
    if (error.error?.code === "query_syntax" || error.error?.code === "query_limit") showQueryError(error.error);
    else showSearchError(error);
  } finally {
    if (token === insightsToken) charts.removeAttribute("aria-busy");
    busy(-1);
  }
}

function renderInsights(result) {
  const filled = result.dimensions.filter((dimension) => dimension.values.some((item) => item.count > 0));
  const empty = result.dimensions.filter((dimension) => !filled.includes(dimension));
  $("#insights-summary").replaceChildren(h("strong", { id: "insights-total", dataset: { total: result.total } },
    plural(result.total, "candidate")), ` in the result set · ${plural(filled.length, "dimension")} with data`);
  $("#charts").replaceChildren(...filled.map((dimension) => {
    const mapping = INSIGHT_FILTERS[dimension.key];
    const note = [
      dimension.truncated ? `top ${dimension.values.length} values` : null,
      mapping ? null : "not filterable",
    ].filter(Boolean).join(" · ");
    return h("section", { class: "chart-card", dataset: { dimension: dimension.key }, "aria-labelledby": `chart-${dimension.key}` },
      h("h3", { id: `chart-${dimension.key}` }, dimension.label, note ? h("span", { class: "muted small" }, ` (${note})`) : null),
      barChart(dimension, {
        clickable: Boolean(mapping),
        tooltip,
        onSelect: (value) => addInsightFilter(dimension, value),
      }));
  }));
  $("#empty-dimensions").textContent = empty.length
    ? `No data in this result set for: ${empty.map((dimension) => dimension.label).join(", ")}.`
    : "";
  fillPrintHeader(result);
}

/** The filter a click on an insight bar adds (INSIGHT_FILTERS; the table at the top). */
function addInsightFilter(dimension, value) {
  const mapping = INSIGHT_FILTERS[dimension.key];
  tooltip.hide();
  if (!mapping) {
    notify(`${dimension.label} cannot be filtered on.`);
    return;
  }
  if (mapping.list) {
    const values = state.lists[mapping.list] ?? [];
    if (!values.includes(value)) state.lists[mapping.list] = [...values, value];
  } else if (mapping.range) {
    const bounds = bucketRange(value);
    if (!bounds) {
      notify(`${dimension.label} “${value}” is not a range that can be filtered on.`);
      return;
    }
    state.ranges[mapping.range] = bounds;
  } else if (mapping.scope) {
    const phrase = value.replace(/["\\()]/g, " ").replace(/\s+/g, " ").trim();
    if (!phrase) return;
    const scope = `${mapping.scope}:"${phrase}"`;
    const q = state.q.trim();
    if (!q.includes(scope)) {
      state.q = !q ? scope : /\bOR\b|\|/.test(q) ? `(${q}) AND ${scope}` : `${q} AND ${scope}`;
    }
  }
  notify(`Filter added: ${dimension.label} = ${value}`);
  search().then(() => {
    // Keep the keyboard where it was: on the same chart, if it still has bars.
    const chart = document.querySelector(`.chart-card[data-dimension="${CSS.escape(dimension.key)}"] .bar.clickable`);
    if (document.activeElement === document.body) (chart ?? $("#charts")).focus?.();
  });
}

function filterSummary() {
  const parts = [];
  for (const [field, values] of Object.entries(state.lists)) {
    const group = GROUP_BY_FIELD[field];
    parts.push(`${group?.label ?? field}: ${values.map(group?.display ?? ((v) => v)).join(" or ")}`);
  }
  for (const [field, range] of Object.entries(state.ranges)) {
    if (range.min != null || range.max != null) parts.push(`${RANGES[field].label}: ${range.min ?? 0}–${range.max ?? "∞"}`);
  }
  if (state.updatedAfter) parts.push(`updated from ${state.updatedAfter}`);
  if (state.updatedBefore) parts.push(`updated until ${state.updatedBefore}`);
  if (state.isActive !== null) parts.push(state.isActive ? "active" : "inactive");
  if (state.isMatched !== null) parts.push(state.isMatched ? "enriched profile" : "ATS data only");
  return parts;
}

function fillPrintHeader(result) {
  const filters = filterSummary();
  $("#print-header").replaceChildren(
    h("p", {}, h("strong", {}, "Query: "), state.q || "(all candidates)"),
    h("p", {}, h("strong", {}, "Filters: "), filters.length ? filters.join("; ") : "none"),
    h("p", {}, h("strong", {}, "Candidates: "), result.total.toLocaleString(),
      ` · printed ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`),
  );
}

async function exportInsights() {
  const button = $("#export-insights");
  button.disabled = true;
  const label = button.textContent;
  button.textContent = "Exporting…";
  try {
    const response = await api("/insights/export.xlsx", {
      method: "POST", body: { q: state.q, filters: requestFilters() }, raw: true,
    });
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: `insights-${new Date().toISOString().slice(0, 10)}.xlsx`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    notify("The insights workbook was downloaded.");
  } catch (error) {
    showSearchError(error);
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

// --- tabs, key, keyboard -----------------------------------------------------------------------

function currentTab() {
  return $("#tab-insights").getAttribute("aria-selected") === "true" ? "insights" : "results";
}

function selectTab(name, { focus = false } = {}) {
  for (const tab of ["results", "insights"]) {
    const button = $(`#tab-${tab}`);
    const selected = tab === name;
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`#${tab}-view`).hidden = !selected;
    if (selected && focus) button.focus();
  }
  document.body.dataset.tab = name;
  if (name === "insights" && insightsStale) loadInsights();
}

function askForKey(message = "") {
  const dialog = $("#key-dialog");
  const error = $("#key-error");
  error.textContent = message;
  error.hidden = !message;
  updateKeyState();
  if (!dialog.open) dialog.showModal();
  $("#api-key").focus();
}

function updateKeyState() {
  const has = Boolean(apiKey());
  $("#key-state").textContent = has ? "API key set for this tab" : "No API key";
  $("#forget-key").hidden = !has;
}

function setFiltersOpen(open) {
  $("#filters-toggle").setAttribute("aria-expanded", String(open));
  $("#filters").hidden = !open;
  document.body.classList.toggle("filters-closed", !open);
}

function init() {
  buildFilterPanel();
  setFiltersOpen(!window.matchMedia(NARROW).matches);

  $("#search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.q = $("#q").value;
    search();
  });
  $("#q").addEventListener("input", () => {
    if ($("#q").getAttribute("aria-invalid")) clearQueryError();
  });
  $("#sort").addEventListener("change", (event) => {
    state.sort = event.target.value;
    search();
  });
  $("#filters-toggle").addEventListener("click", () => {
    setFiltersOpen($("#filters-toggle").getAttribute("aria-expanded") !== "true");
  });
  $("#filters-done").addEventListener("click", () => {
    setFiltersOpen(false);
    $("#filters-toggle").focus();
  });
  $("#plan-toggle").addEventListener("click", (event) => {
    const open = event.currentTarget.getAttribute("aria-expanded") !== "true";
    event.currentTarget.setAttribute("aria-expanded", String(open));
    $("#plan").hidden = !open;
    renderPlan();
  });
  for (const tab of ["results", "insights"]) {
    $(`#tab-${tab}`).addEventListener("click", () => selectTab(tab));
  }
  $(".tabs").addEventListener("keydown", (event) => {
    if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
    event.preventDefault();
    selectTab(currentTab() === "results" ? "insights" : "results", { focus: true });
  });
  $("#print-insights").addEventListener("click", () => window.print());
  $("#export-insights").addEventListener("click", exportInsights);

  const dialog = $("#key-dialog");
  dialog.addEventListener("cancel", (event) => {
    if (!apiKey()) event.preventDefault();
  });
  dialog.addEventListener("close", () => {
    // Chromium may not let a page cancel Escape without a user gesture: ask again.
    if (!apiKey()) setTimeout(() => askForKey(), 0);
  });
  $("#key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("#api-key").value.trim();
    if (!key) return;
    sessionStorage.setItem(KEY_STORAGE, key);
    $("#api-key").value = "";
    dialog.close();
    updateKeyState();
    refresh().then(route);
  });
  $("#forget-key").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_STORAGE);
    lastResult = null;
    $("#results").replaceChildren();
    $("#results-summary").textContent = "";
    $("#charts").replaceChildren();
    askForKey();
  });

  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.isContentEditable;
    if (event.key === "/" && !typing && !dialog.open) {
      event.preventDefault();
      $("#q").focus();
      $("#q").select();
    } else if (event.key === "Escape" && !dialog.open && !$("#profile").hidden) {
      event.preventDefault();
      closeProfile();
    }
  });
  window.addEventListener("hashchange", route);
  window.addEventListener("resize", () => tooltip.hide());

  updateKeyState();
  if (apiKey()) refresh().then(route);
  else askForKey();
}

init();
