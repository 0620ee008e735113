/** Styles of the publishing parts of the board, hoisted once into the head by React 19. */
const css = `
.pub-strip { display: flex; flex-wrap: wrap; align-items: stretch; gap: 8px; list-style: none; margin: 0 12px 8px; padding: 0; }
.pub-strip-label { align-self: center; font-size: 12px; color: var(--muted, #57606a); margin: 0 12px 4px; }
.pub-target { min-width: 170px; max-width: 280px; border: 1px dashed var(--line-strong, #c4c9d0); border-radius: 8px; background: var(--panel, #fff); padding: 6px 10px; display: flex; flex-direction: column; gap: 2px; font-size: 13px; }
.pub-target button { font: inherit; text-align: left; border: none; background: transparent; padding: 0; cursor: pointer; font-weight: 600; color: inherit; }
.pub-target.pub-ok { border-color: #2f8f4e; background: #e9f8ee; border-style: solid; }
.pub-target.pub-refused { border-color: #d1453b; background: #fdeeed; }
.pub-target.pub-over { box-shadow: 0 0 0 2px #1f6feb; }
.pub-kind, .pub-hint { font-size: 11px; color: var(--muted, #57606a); }
.pub-target.pub-refused .pub-hint { color: #a40e26; }
.pub-target.pub-ok .pub-hint { color: #116329; }
.card-publish { margin: 0; font-size: 12px; line-height: 16px; display: flex; gap: 6px; align-items: center; white-space: nowrap; overflow: hidden; min-height: 0; }
.card-publish > span { overflow: hidden; text-overflow: ellipsis; }
.card-publish .pub-published { color: #116329; font-weight: 600; }
.card-publish .pub-failed { color: #a40e26; font-weight: 600; }
.card-publish .pub-drift { color: #9a3412; font-weight: 600; }
.card-publish .pub-scheduled { color: #1f4fa8; }
.card-publish button { font-size: 11px; padding: 0 6px; }
.pub-dialog { display: flex; flex-direction: column; gap: 10px; min-width: 340px; }
.pub-dialog label { display: flex; flex-direction: column; gap: 3px; }
.pub-dialog .pub-when { display: flex; gap: 14px; align-items: center; border: none; padding: 0; margin: 0; }
.pub-dialog .pub-when label { flex-direction: row; align-items: center; gap: 5px; }
.pub-error { color: #a40e26; margin: 0; }
`

export function PublishStyles() {
  return (
    <style href="signoff-publish" precedence="default">
      {css}
    </style>
  )
}
