/** The settings screen's styles, hoisted once into the head by React 19. */
const css = `
.st { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; padding: 16px 24px; background: #f6f7f9; min-height: 100%; box-sizing: border-box; }
.st :focus-visible { outline: 2px solid #1f6feb; outline-offset: 2px; }
.st-top { display: flex; align-items: center; gap: 16px; }
.st-top h1 { margin: 0; font-size: 1.35rem; }
.st button { font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid #c4c9d0; background: #fff; color: #1f2328; cursor: pointer; }
.st button:hover:not(:disabled) { background: #eef1f4; }
.st button:disabled { color: #6e7781; background: #f3f4f6; cursor: not-allowed; }
.st button.st-primary { background: #1f6feb; border-color: #1f6feb; color: #fff; }
.st button.st-primary:hover:not(:disabled) { background: #1a5fd0; }
.st-tablist { display: flex; gap: 4px; border-bottom: 1px solid #d8dee4; margin-top: 12px; }
.st button.st-tab { border: 1px solid transparent; border-bottom: none; border-radius: 6px 6px 0 0; background: transparent; padding: 8px 14px; margin-bottom: -1px; }
.st button.st-tab[aria-selected="true"] { background: #fff; border-color: #d8dee4; font-weight: 600; }
.st-panel { background: #fff; border: 1px solid #d8dee4; border-top: none; border-radius: 0 0 8px 8px; padding: 16px; }
.st-panel h2 { margin: 0 0 8px; font-size: 1.1rem; }
.st-types { display: grid; grid-template-columns: 260px minmax(0, 1fr); gap: 20px; align-items: start; }
.st-list ul { list-style: none; padding: 0; margin: 0 0 10px; display: flex; flex-direction: column; gap: 4px; }
.st button.st-list-item { width: 100%; display: flex; justify-content: space-between; align-items: center; gap: 8px; text-align: left; }
.st button.st-list-item[aria-current="true"] { border-color: #1f6feb; background: #ddf4ff; }
.st-risk { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 0.8rem; font-weight: 600; border: 1px solid; white-space: nowrap; }
.st-risk-low { color: #116329; background: #dafbe1; border-color: #8ddb9e; }
.st-risk-medium { color: #7a4d00; background: #fff3c4; border-color: #e3b341; }
.st-risk-high { color: #9a3412; background: #ffe4d5; border-color: #f59e6b; }
.st-risk-critical { color: #a40e26; background: #ffe0e3; border-color: #f2838f; }
.st-form { display: flex; flex-direction: column; gap: 10px; max-width: 760px; }
.st-form > button, .st-group > button { align-self: flex-start; }
.st-plain { border: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 10px; min-width: 0; }
.st-group { border: 1px solid #d8dee4; border-radius: 8px; padding: 8px 12px 12px; margin: 0; display: flex; flex-direction: column; gap: 8px; min-width: 0; }
.st-group legend { font-weight: 600; padding: 0 4px; }
.st-inner { border-style: dashed; }
.st-field { display: flex; flex-direction: column; gap: 3px; font-size: 0.9rem; color: #424a53; }
.st-field input, .st-field textarea, .st-field select { font: inherit; color: #1f2328; border: 1px solid #c4c9d0; border-radius: 6px; padding: 5px 8px; background: #fff; }
.st-field [aria-invalid="true"] { border-color: #cf222e; }
.st-narrow { max-width: 220px; }
.st-row { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; }
.st-choice { display: inline-flex; align-items: center; gap: 5px; cursor: pointer; }
.st-items { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 10px; }
.st-item { border: 1px solid #d8dee4; border-left: 4px solid #8c959f; border-radius: 6px; padding: 8px 12px; margin: 0; display: flex; flex-direction: column; gap: 6px; }
.st-error { color: #a40e26; font-size: 0.85rem; }
.st-summary { background: #ffe0e3; padding: 6px 10px; border-radius: 6px; }
.st-ok { background: #dafbe1; color: #0f4d22; padding: 6px 10px; border-radius: 6px; }
.st-ok p { margin: 2px 0; }
.st-warning { color: #7a4d00; }
.st-note { color: #57606a; margin: 4px 0; }
.st-history { margin-top: 24px; border-top: 1px solid #d0d7de; padding-top: 12px; }
.st-history-list { padding-left: 20px; display: grid; gap: 8px; }
.st-history-list p { margin: 0; }
.st-history-list ul { margin: 4px 0 0; padding-left: 18px; }
.st-table { border-collapse: collapse; width: 100%; margin: 8px 0; }
.st-devices { margin-top: 28px; border-top: 1px solid #d8dee4; padding-top: 12px; }
.st-why { color: #424a53; }
.st-table th, .st-table td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #eaeef2; }
.st-table thead th { font-size: 0.85rem; color: #57606a; }
.st-id { font-size: 0.85rem; user-select: all; background: #f6f8fa; padding: 1px 5px; border-radius: 4px; }
.st-you { color: #57606a; font-weight: normal; }
.st-add { margin-top: 12px; max-width: 520px; }
.st-add h3 { margin: 0; font-size: 1rem; }
.st-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 800px) { .st-types { grid-template-columns: 1fr; } }
`

export function SettingsStyles() {
  return (
    <style href="signoff-settings" precedence="default">
      {css}
    </style>
  )
}
