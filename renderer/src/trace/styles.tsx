/** The trace views' styles (history, compare, shipped, activity, printable receipt). */
const css = `
.tr { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; }
.tr button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid #c4c9d0; background: #fff; color: #1f2328; cursor: pointer; }
.tr button:hover { background: #eef1f4; }
.tr button.tr-primary { background: #1f6feb; border-color: #1f6feb; color: #fff; }
.tr button.tr-danger { background: #cf222e; border-color: #cf222e; color: #fff; }
.tr-warning { display: block; margin: 6px 0; color: #7a4d00; background: #fff8e1; border: 1px solid #e3b341; border-radius: 6px; padding: 6px 8px; font-weight: 600; }
.tr-page { padding: 16px 20px; display: flex; flex-direction: column; gap: 12px; }
.tr-page h1 { margin: 0; font-size: 1.3rem; }
.tr-timeline { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; max-height: 40vh; overflow: auto; }
.tr-entry { display: grid; grid-template-columns: 150px minmax(0, 1fr) auto; gap: 8px; align-items: baseline; padding: 4px 6px; border-bottom: 1px solid #eaeef2; }
.tr-entry time, .tr-when { color: #57606a; font-size: 0.85rem; }
.tr-problem { color: #6e0b1b; background: #fff5f5; }
.tr-unverified { font-size: 0.75rem; text-transform: uppercase; color: #fff; background: #a40e26; border-radius: 4px; padding: 1px 5px; margin-right: 6px; }
.tr-kind { font-size: 0.75rem; text-transform: uppercase; color: #57606a; margin-right: 6px; }
.tr-actions { display: flex; gap: 4px; }
.tr-receipt { font-size: 0.8rem; color: #424a53; word-break: break-all; }
.tr-quick { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.tr-text { white-space: pre-wrap; font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: 0.9rem; background: #f6f8fa; border: 1px solid #d8dee4; border-radius: 6px; padding: 8px; margin: 0; max-height: 40vh; overflow: auto; }
.tr-compare { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.tr-compare h3 { margin: 0 0 4px; font-size: 0.95rem; }
.tr-text del { background: #ffe0e3; color: #6e0b1b; text-decoration: line-through; }
.tr-text ins { background: #dafbe1; color: #0f4d22; text-decoration: underline; }
.tr-mark { font-size: 0.7rem; font-weight: 700; vertical-align: super; padding: 0 1px; }
.tr-same { background: #dafbe1; color: #0f4d22; padding: 6px 10px; border-radius: 6px; margin: 0; }
.tr-differ { background: #fff3c4; color: #5c3d00; padding: 6px 10px; border-radius: 6px; margin: 0; }
.tr-filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; }
.tr-filters label { display: flex; flex-direction: column; font-size: 0.85rem; color: #424a53; gap: 2px; }
.tr-filters input, .tr-filters select { font: inherit; padding: 4px 6px; border: 1px solid #c4c9d0; border-radius: 6px; }
.tr-table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
.tr-table th, .tr-table td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
.tr-table code { font-size: 0.8rem; }
.tr-print { background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: 16px; }
.tr-print h2 { margin-top: 0; }
.visually-hidden-tr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media print {
  body * { visibility: hidden; }
  .tr-print, .tr-print * { visibility: visible; }
  .tr-print { position: absolute; left: 0; top: 0; width: 100%; border: none; }
  .tr-print .tr-noprint { display: none; }
  .tr-print .tr-text { max-height: none; overflow: visible; }
}
`

export function TraceStyles() {
  return (
    <style href="signoff-trace" precedence="default">
      {css}
    </style>
  )
}
