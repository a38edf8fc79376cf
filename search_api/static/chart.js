// A small horizontal bar chart in SVG: no dependency, printable, keyboard-usable.
//
// barChart(dimension, options) returns an <svg>. Every bar with candidates is a focusable
// role="button" group: hovering or focusing it shows the tooltip (count and share), clicking it
// or pressing Enter/Space calls options.onSelect(value). Labels are set with textContent only.

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 420;
const LABEL_WIDTH = 150;
const COUNT_WIDTH = 46;
const ROW = 22;
const BAR = 15;
const AXIS = 22;
const MAX_LABEL_CHARS = 22;

function el(name, attributes = {}, text = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

function niceStep(max) {
  if (max <= 4) return 1;
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const unit = rough / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

function shortLabel(value) {
  return value.length > MAX_LABEL_CHARS ? `${value.slice(0, MAX_LABEL_CHARS - 1)}…` : value;
}

export function formatShare(share) {
  return `${(share * 100).toFixed(share >= 0.1 || share === 0 ? 0 : 1)}%`;
}

/**
 * @param {{key: string, label: string, values: {value: string, count: number, share: number}[]}} dimension
 * @param {{clickable: boolean, onSelect?: (value: string) => void,
 *          tooltip?: {show: (target: Element, text: string) => void, hide: () => void}}} options
 */
export function barChart(dimension, options) {
  const values = dimension.values;
  const max = Math.max(1, ...values.map((item) => item.count));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const plotWidth = WIDTH - LABEL_WIDTH - COUNT_WIDTH;
  const height = AXIS + values.length * ROW + 6;
  const scale = (count) => (count / top) * plotWidth;

  const svg = el("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`,
    width: "100%",
    class: "bar-chart",
    role: "group",
    "aria-label": `${dimension.label}: bar chart of candidates per value`,
    "data-dimension": dimension.key,
  });
  svg.setAttribute("preserveAspectRatio", "xMinYMin meet");

  // Grid and axis: ticks at nice steps, so counts can be read off the chart.
  const axis = el("g", { class: "axis", "aria-hidden": "true" });
  for (let tick = 0; tick <= top; tick += step) {
    const x = LABEL_WIDTH + scale(tick);
    axis.append(el("line", { x1: x, x2: x, y1: AXIS - 4, y2: height - 4, class: "grid" }));
    axis.append(el("text", { x, y: AXIS - 8, class: "tick", "text-anchor": "middle" },
      tick.toLocaleString()));
  }
  svg.append(axis);

  values.forEach((item, index) => {
    const y = AXIS + index * ROW;
    const active = options.clickable && item.count > 0;
    const text = `${item.value}: ${item.count.toLocaleString()} candidate${item.count === 1 ? "" : "s"} (${formatShare(item.share)})`;
    const group = el("g", {
      class: `bar${active ? " clickable" : ""}`,
      "data-value": item.value,
      "data-count": item.count,
      "aria-label": active ? `${text}. Press Enter to filter on it.` : text,
    });
    if (active) {
      group.setAttribute("role", "button");
      group.setAttribute("tabindex", "0");
    } else {
      group.setAttribute("role", "img");
    }
    group.append(el("title", {}, text));
    // The full row is the hit target (label, bar and count), so small bars are easy to click.
    group.append(el("rect", { x: 0, y, width: WIDTH, height: ROW, class: "hit-area" }));
    group.append(el("text", {
      x: LABEL_WIDTH - 8, y: y + ROW / 2 + 4, class: "label", "text-anchor": "end",
    }, shortLabel(item.value)));
    group.append(el("rect", {
      x: LABEL_WIDTH, y: y + (ROW - BAR) / 2, width: Math.max(item.count > 0 ? 1.5 : 0,
        scale(item.count)), height: BAR, rx: 2, class: "fill",
    }));
    group.append(el("text", {
      x: LABEL_WIDTH + scale(item.count) + 6, y: y + ROW / 2 + 4, class: "count",
    }, item.count.toLocaleString()));

    const show = () => options.tooltip?.show(group, text);
    const hide = () => options.tooltip?.hide();
    group.addEventListener("mouseenter", show);
    group.addEventListener("mouseleave", hide);
    group.addEventListener("focus", show);
    group.addEventListener("blur", hide);
    if (active) {
      group.addEventListener("click", () => options.onSelect?.(item.value));
      group.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          options.onSelect?.(item.value);
        }
      });
    }
    svg.append(group);
  });
  return svg;
}
