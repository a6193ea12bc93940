"""The report page's stylesheet, inlined so the page is one file that makes no requests.

System fonts only (no web fonts to fetch). Colours are CSS variables so the SVG charts
follow the light and dark schemes and print in ink-friendly tones. Severity colours meet
WCAG AA contrast for text on their tinted backgrounds in both schemes.
"""

from __future__ import annotations

CSS = """
:root {
  --bg: #f6f7f9; --panel: #ffffff; --text: #161b26; --muted: #4b5565; --line: #e3e8ef;
  --accent: #1d4ed8; --accent-soft: #e0eaff;
  --error: #b42318; --error-bg: #fef3f2; --warning: #a15c07; --warning-bg: #fffaeb;
  --info: #175cd3; --info-bg: #eff8ff; --ok: #067647; --ok-bg: #ecfdf3;
  --muted-bg: #f2f4f7; --bar-muted: #98a2b3; --track: #e3e8ef;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1218; --panel: #171b24; --text: #e6e9ef; --muted: #a3adbd; --line: #2a303c;
    --accent: #84adff; --accent-soft: #1e2a44;
    --error: #ff8a80; --error-bg: #3a1715; --warning: #fbc26a; --warning-bg: #35260b;
    --info: #84caff; --info-bg: #102a43; --ok: #6ce9a6; --ok-bg: #0e2e1f;
    --muted-bg: #222834; --bar-muted: #667085; --track: #2a303c;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", sans-serif;
}
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono",
  monospace; font-size: 0.86em; }
header.masthead { background: var(--panel); border-bottom: 1px solid var(--line);
  padding: 1.5rem 1.25rem 1rem; }
header.masthead h1 { margin: 0 0 .25rem; font-size: 1.6rem; letter-spacing: -0.01em; }
.meta { color: var(--muted); margin: 0; font-size: .9rem; }
nav.toc { position: sticky; top: 0; z-index: 1; background: var(--panel);
  border-bottom: 1px solid var(--line); padding: .4rem 1.25rem; overflow-x: auto;
  white-space: nowrap; }
nav.toc a { display: inline-block; margin-right: 1rem; padding: .2rem 0; color: var(--accent);
  text-decoration: none; font-weight: 600; font-size: .9rem; }
nav.toc a:hover, nav.toc a:focus { text-decoration: underline; }
main { max-width: 1160px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 10px;
  padding: 1.1rem 1.25rem; margin: 1.25rem 0; }
h2 { font-size: 1.25rem; margin: 0 0 .75rem; }
h3 { font-size: 1.02rem; margin: 1.25rem 0 .5rem; }
p.note { color: var(--muted); margin: .25rem 0 .75rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr));
  gap: .75rem; margin-bottom: 1rem; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .7rem .85rem;
  background: var(--panel); }
.card .value { font-size: 1.6rem; font-weight: 700; line-height: 1.2; }
.card .label { color: var(--muted); font-size: .85rem; }
.card.error .value { color: var(--error); } .card.warning .value { color: var(--warning); }
.card.info .value { color: var(--info); } .card.ok .value { color: var(--ok); }
.charts { display: flex; flex-wrap: wrap; gap: 1.25rem; align-items: flex-start; }
figure { margin: 0; flex: 1 1 320px; min-width: 0; }
figure.small { flex: 0 1 200px; }
figcaption { color: var(--muted); font-size: .85rem; margin-top: .35rem; }
svg.chart { display: block; width: 100%; height: auto; max-width: 680px; }
svg.donut { max-width: 180px; }
svg text { fill: var(--text); font-family: inherit; font-size: 12px; }
svg text.muted { fill: var(--muted); } svg text.big { font-size: 22px; font-weight: 700; }
.fill-error { fill: var(--error); } .fill-warning { fill: var(--warning); }
.fill-info { fill: var(--info); } .fill-ok { fill: var(--ok); }
.fill-muted { fill: var(--bar-muted); } .fill-accent { fill: var(--accent); }
.stroke-track { stroke: var(--track); } .stroke-ok { stroke: var(--ok); }
.stroke-limit { stroke: var(--error); stroke-dasharray: 4 3; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .25rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
table.wide { min-width: 46rem; }
th, td { text-align: left; padding: .42rem .6rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-size: .78rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
  background: var(--muted-bg); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.wrap, .url { overflow-wrap: anywhere; word-break: break-word; }
tr.suppressed td { color: var(--muted); }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .78rem;
  font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.sev-error { color: var(--error); background: var(--error-bg); border-color: var(--error); }
.sev-warning { color: var(--warning); background: var(--warning-bg);
  border-color: var(--warning); }
.sev-info { color: var(--info); background: var(--info-bg); border-color: var(--info); }
.sev-ok { color: var(--ok); background: var(--ok-bg); border-color: var(--ok); }
.sev-muted { color: var(--muted); background: var(--muted-bg); border-color: var(--line); }
pre.snippet { margin: 0; max-width: 42rem; white-space: pre-wrap; overflow-wrap: anywhere;
  background: var(--muted-bg); border-radius: 6px; padding: .3rem .45rem; }
.files { margin: 0; padding-left: 1.1rem; }
article.file { border-top: 1px solid var(--line); padding-top: .5rem; scroll-margin-top: 3rem; }
article.file:first-of-type { border-top: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
a { color: var(--accent); }
footer { color: var(--muted); text-align: center; font-size: .85rem; padding: 0 1rem 2rem; }
@media (max-width: 640px) {
  body { font-size: 14px; }
  main { padding: .5rem .6rem 2rem; }
  section { padding: .85rem .8rem; border-radius: 8px; }
  header.masthead h1 { font-size: 1.3rem; }
  th, td { padding: .35rem .4rem; }
}
@media print {
  :root { --bg: #fff; --panel: #fff; --text: #000; --muted: #444; --line: #bbb;
    --muted-bg: #f3f3f3; }
  body { font-size: 10.5pt; background: #fff; }
  nav.toc { display: none; }
  main { max-width: none; padding: 0; }
  section { border: 0; padding: 0; margin: 0 0 1.2rem; break-inside: auto; }
  h2, h3 { break-after: avoid; }
  tr, figure, .card, pre.snippet { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
  .badge { border-color: currentColor; }
  @page { margin: 14mm; }
}
"""
