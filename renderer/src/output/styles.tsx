/**
 * The output screen's styles. React 19 hoists a <style> with href and precedence into the head
 * once, however many components render it; the CSP allows inline styles.
 */
const css = `
.ov { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; display: flex; flex-direction: column; min-height: 100%; background: #f6f7f9; }
.ov-state { padding: 24px; gap: 12px; align-items: flex-start; }
.ov :focus-visible { outline: 2px solid #1f6feb; outline-offset: 2px; }
.ov button { font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid #c4c9d0; background: #fff; color: #1f2328; cursor: pointer; }
.ov button:hover:not([aria-disabled="true"]):not(:disabled) { background: #eef1f4; }
.ov button[aria-disabled="true"], .ov button:disabled { color: #6e7781; background: #f3f4f6; cursor: not-allowed; }
.ov button.ov-primary { background: #1f6feb; border-color: #1f6feb; color: #fff; }
/* As specific as the generic hover above, and after it: a hovered primary keeps its white label. */
.ov button.ov-primary:hover:not([aria-disabled="true"]):not(:disabled) { background: #1a5fd0; border-color: #1a5fd0; color: #fff; }
.ov-header { display: flex; gap: 16px; align-items: flex-start; padding: 12px 20px; background: #fff; border-bottom: 1px solid #d8dee4; }
.ov-heading { flex: 1; min-width: 0; }
.ov-h1 { margin: 0; font-size: 1.35rem; font-weight: 600; }
.ov-title { font: inherit; width: 100%; border: 1px solid transparent; border-radius: 6px; padding: 2px 6px; margin-left: -6px; background: transparent; color: inherit; }
.ov-title:hover:not([readonly]) { border-color: #d8dee4; }
.ov-title:focus { border-color: #1f6feb; background: #fff; }
.ov-facts { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; margin: 6px 0 0; font-size: 0.9rem; color: #424a53; }
.ov-type { font-weight: 600; color: #1f2328; }
.ov-risk, .ov-badge, .ov-severity { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 0.8rem; font-weight: 600; border: 1px solid; }
.ov-risk::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 5px; background: currentColor; vertical-align: 1px; }
.ov-risk-low { color: #116329; background: #dafbe1; border-color: #8ddb9e; }
.ov-risk-medium { color: #7a4d00; background: #fff3c4; border-color: #e3b341; }
.ov-risk-high { color: #9a3412; background: #ffe4d5; border-color: #f59e6b; }
.ov-risk-critical { color: #a40e26; background: #ffe0e3; border-color: #f2838f; }
.ov-risk-unknown { color: #424a53; background: #eef1f4; border-color: #c4c9d0; }
.ov-badge { color: #424a53; background: #eef1f4; border-color: #c4c9d0; }
.ov-state-in_review { color: #0b4fa8; background: #ddf4ff; border-color: #80ccff; }
.ov-state-approved { color: #116329; background: #dafbe1; border-color: #8ddb9e; }
.ov-state-approved_stale { color: #7a4d00; background: #fff3c4; border-color: #e3b341; }
.ov-state-changes_requested { color: #9a3412; background: #ffe4d5; border-color: #f59e6b; }
.ov-state-rejected { color: #a40e26; background: #ffe0e3; border-color: #f2838f; }
.ov-explain { color: #57606a; }
.ov-prompt { margin-top: 6px; font-size: 0.9rem; }
.ov-prompt pre { white-space: pre-wrap; background: #f6f8fa; padding: 8px; border-radius: 6px; max-height: 160px; overflow: auto; }
.ov-body { flex: 1; display: grid; grid-template-columns: minmax(0, 1fr) minmax(320px, 400px); gap: 16px; padding: 16px 20px; align-items: start; }
.ov-main { min-width: 0; display: flex; flex-direction: column; gap: 8px; }
.ov-editor { background: #fff; border: 1px solid #d8dee4; border-radius: 8px; min-height: 420px; }
.ov-editor .cm-editor { min-height: 420px; border-radius: 8px; }
.ov-editor .cm-editor.cm-focused { outline: 2px solid #1f6feb; outline-offset: 1px; }
.ov-editor .cm-content { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: 0.95rem; padding: 12px 4px; }
.ov-editor .cm-ySelectionInfo { font-family: system-ui, sans-serif; opacity: 1; }
.ov-hint { font-size: 0.8rem; color: #57606a; margin: 0; }
.ov-readonly { margin: 0; padding: 8px 12px; border-radius: 6px; background: #eef1f4; color: #424a53; }
.ov-banner { padding: 10px 14px; border-radius: 8px; border: 1px solid #f59e6b; background: #fff1e8; color: #5c2007; }
.ov-banner-rejected { border-color: #f2838f; background: #ffeef0; color: #6e0b1b; }
.ov-banner ul { margin: 4px 0 0; padding-left: 20px; }
.ov-banner-rules { border-color: #8fb3f2; background: #eef4ff; color: #0b2a6e; display: grid; gap: 6px; }
.ov-banner-rules p { margin: 0; }
.ov-banner-rules > button, .ov-new-round button { justify-self: start; }
.ov-rules { margin: 0; font-size: 13px; color: #555; }
.ov-rules p { margin: 0; }
.ov-new-round { display: grid; gap: 6px; }
.ov-views { display: flex; gap: 4px; border: 0; padding: 0; margin: 0; }
.ov button[aria-pressed="true"] { background: #dbe7ff; border-color: #1f6feb; color: #0b2a6e; }
.ov-content { display: grid; gap: 12px; min-height: 0; }
.ov-shown-both { grid-template-columns: 1fr 1fr; }
.ov-preview { border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 16px; background: #fff; overflow: auto; max-height: 60vh; line-height: 1.5; }
.ov-preview img { max-width: 100%; }
.ov-preview pre { background: #f6f8fa; padding: 8px; overflow: auto; }
/* Long content: blocks and threads out of view skip layout and paint until scrolled to (their
   text stays in the page, selectable, findable and read by screen readers). A 50 KB preview is
   some 1,300 elements; laid out whole, showing it took 60 ms, and 200 threads below the editor
   were laid out again with every keystroke. */
.ov-preview > *, .ov-diff-rendered > * { content-visibility: auto; contain-intrinsic-size: auto 1.5em; }
.ov-thread { content-visibility: auto; contain-intrinsic-size: auto 96px; }
.ov-panel { position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto; box-sizing: border-box; background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: 12px 16px; display: flex; flex-direction: column; gap: 6px; }
.ov-panel h2 { margin: 0; font-size: 1.1rem; }
.ov-panel h3 { margin: 12px 0 4px; font-size: 0.95rem; text-transform: uppercase; letter-spacing: 0.03em; color: #424a53; }
.ov-panel p { margin: 4px 0; }
.ov-progress { color: #57606a; font-size: 0.9rem; }
.ov-checklist { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 10px; }
.ov-item fieldset { border: 1px solid #d8dee4; border-left: 4px solid #c4c9d0; border-radius: 6px; padding: 8px 12px 10px; margin: 0; min-width: 0; }
.ov-item-pass fieldset { border-left-color: #2da44e; }
.ov-item-fail fieldset { border-left-color: #cf222e; }
.ov-item-na fieldset { border-left-color: #8c959f; }
.ov-item legend { font-weight: 600; padding: 0 4px; }
.ov-severity-send-back { color: #9a3412; background: #fff1e8; border-color: #f59e6b; }
.ov-severity-warning { color: #57606a; background: #f6f8fa; border-color: #d0d7de; }
.ov-question { font-weight: 500; }
.ov-guidance { font-size: 0.88rem; color: #424a53; }
.ov-judgement { font-size: 0.88rem; }
.ov-outdated { font-size: 0.85rem; color: #7a4d00; background: #fff8db; padding: 2px 6px; border-radius: 4px; }
.ov-verdicts { display: flex; gap: 14px; margin: 6px 0; }
.ov-item .ov-field textarea { min-height: 1.6em; }
.ov-verdict { display: inline-flex; align-items: center; gap: 4px; cursor: pointer; }
.ov-field { display: flex; flex-direction: column; gap: 2px; font-size: 0.88rem; color: #424a53; margin: 4px 0; }
.ov-field input, .ov-field textarea { font: inherit; color: #1f2328; border: 1px solid #c4c9d0; border-radius: 6px; padding: 5px 8px; resize: vertical; }
.ov-decision-fields { display: flex; flex-direction: column; gap: 6px; }
.ov-decision-actions { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 10px; }
.ov-decision-actions .ov-action { flex-direction: column; align-items: flex-start; gap: 2px; }
.ov-decision-actions .ov-why { font-size: 0.76rem; line-height: 1.25; }
.ov-decision { display: flex; flex-direction: column; gap: 6px; position: sticky; bottom: -12px; z-index: 2; background: #fff; border-top: 2px solid #d8dee4; box-shadow: 0 -6px 10px -6px rgba(31, 35, 40, 0.18); margin: 8px -16px -12px; padding: 6px 16px 12px; }
.ov-keys { font-size: 0.8rem; color: #57606a; margin: 0 0 4px; }
.ov-action { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; }
.ov-reassign { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.ov-why { font-size: 0.85rem; color: #57606a; }
.ov-sendback { color: #9a3412; font-weight: 500; }
.ov-stale { color: #7a4d00; font-size: 0.88rem; margin: 0; padding-left: 18px; }
.ov-problems { color: #6e0b1b; font-size: 0.85rem; padding-left: 18px; }
.ov-message { padding: 6px 10px; border-radius: 6px; }
.ov-message-ok { background: #dafbe1; color: #0f4d22; }
.ov-message-error, .ov-error { background: #ffe0e3; color: #6e0b1b; padding: 6px 10px; border-radius: 6px; }
.ov-lock { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; padding: 8px 12px; border-radius: 8px; border: 1px solid #8ddb9e; background: #effbf1; color: #0f4d22; }
.ov-lock p { margin: 0; flex: 1; }
.ov-lock-mark { vertical-align: -2px; margin-right: 6px; }
.ov-lock.ov-lock-changed { border-color: #e3b341; background: #fff8e1; color: #5c3b00; }
.ov-since { background: #fff; border: 1px solid #8fb3f2; border-radius: 8px; padding: 10px 14px; display: flex; flex-direction: column; gap: 6px; }
.ov-since-h { margin: 0; font-size: 1rem; }
.ov-diff { white-space: pre-wrap; line-height: 1.55; max-height: 40vh; overflow: auto; }
.ov-diff del { background: #ffebe9; color: #82071e; }
.ov-diff ins { background: #dafbe1; color: #0f4d22; }
.ov-carried { font-size: 0.85rem; color: #0f4d22; background: #effbf1; border-left: 3px solid #2da44e; padding: 2px 6px; border-radius: 4px; font-weight: 600; }
.ov-not-carried { font-size: 0.85rem; color: #424a53; font-style: italic; margin: 2px 0; }
.ov-earlier { font-size: 0.85rem; color: #424a53; background: #f6f8fa; border-left: 3px solid #8c959f; padding: 2px 6px; border-radius: 4px; }
.ov-suggestion { margin: 2px 0; }
.ov-suggestion ins { background: #dafbe1; color: #0f4d22; }
.ov-pick { display: inline-flex; gap: 4px; align-items: center; font-size: 0.85rem; }
.ov-views-gap { flex: 1; }
.ov-row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
.ov-comments { background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: 10px 14px; display: flex; flex-direction: column; gap: 8px; }
.ov-comments-h { margin: 0; font-size: 1rem; display: flex; gap: 8px; align-items: baseline; }
.ov-count { font-size: 0.8rem; font-weight: 500; color: #57606a; }
.ov-threads { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.ov-thread { border: 1px solid #e3b341; border-left-width: 4px; border-radius: 6px; padding: 6px 10px; }
.ov-thread-resolved, .ov-thread-accepted, .ov-thread-declined { border-color: #d0d7de; opacity: 0.85; }
.ov-thread-active { box-shadow: 0 0 0 2px #1f6feb; }
.ov .ov-quote { display: block; width: 100%; text-align: left; font-style: italic; background: #fff8c5; border: 0; border-radius: 4px; padding: 2px 6px; margin: 0 0 4px; white-space: pre-wrap; }
.ov-removed { font-size: 0.85rem; color: #7a4d00; background: #fff8db; padding: 2px 6px; border-radius: 4px; }
.ov-comment-body { margin: 2px 0; white-space: pre-wrap; }
.ov-comment-meta { margin: 0; font-size: 0.8rem; color: #57606a; }
.ov-replies { list-style: none; margin: 4px 0 0 10px; padding: 0 0 0 8px; border-left: 2px solid #eaeef2; display: flex; flex-direction: column; gap: 4px; }
.ov-thread-actions textarea { font: inherit; width: 100%; box-sizing: border-box; border: 1px solid #c4c9d0; border-radius: 6px; padding: 4px 8px; margin: 4px 0; resize: vertical; }
.ov-composer { display: flex; flex-direction: column; gap: 4px; }
.ov-mark { background: #fff3b0; border-bottom: 2px solid #d4a72c; color: inherit; }
.ov-mark-suggestion { background: #e2f5e9; border-bottom: 2px dashed #2da44e; }
.ov-preview .ov-mark-suggestion { background: #ffebe9; text-decoration: line-through; border-bottom: 0; }
.ov-preview .ov-suggest-insert { background: #dafbe1; color: #0f4d22; text-decoration: underline; margin-left: 2px; }
.ov-preview .ov-suggest-insert::before { content: "+"; }
.ov-diff.ov-diff-rendered { white-space: normal; line-height: 1.5; }
.ov-diff-rendered img { max-width: 100%; }
.ov-diff-rendered pre { background: #f6f8fa; padding: 8px; overflow: auto; }
.ov-diff-rendered ins { background: #dafbe1; color: #0f4d22; text-decoration: underline; }
.ov-diff-rendered del { background: #ffebe9; color: #82071e; text-decoration: line-through; }
.ov-diff-rendered ins::before { content: "+"; }
.ov-diff-rendered del::before { content: "−"; }
.ov-carry { margin: 4px 0; color: #57606a; font-size: 0.9rem; }
@media (max-width: 900px) { .ov-body { grid-template-columns: 1fr; } .ov-panel { position: static; max-height: none; } .ov-decision { bottom: 0; } }
`

export function OutputStyles() {
  return (
    <style href="signoff-output" precedence="default">
      {css}
    </style>
  )
}
