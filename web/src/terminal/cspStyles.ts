// xterm.js writes its theme and cell sizes into <style> elements it creates. The proxy's Content-Security-Policy
// (style-src 'self', no 'unsafe-inline') blocks those, so this mirrors their text into constructable stylesheets,
// which the policy allows (they are CSSOM, like element.style). One observer for the whole document.

const sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
let observer: MutationObserver | null = null;

export function mirrorInlineStyles(): void {
  if (observer || typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in document)) {
    return;
  }
  const sync = () => {
    let changed = false;
    for (const style of Array.from(document.querySelectorAll('style'))) {
      let sheet = sheets.get(style);
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheets.set(style, sheet);
        changed = true;
      }
      const text = style.textContent ?? '';
      if ((sheet as CSSStyleSheet & { _text?: string })._text !== text) {
        sheet.replaceSync(text);
        (sheet as CSSStyleSheet & { _text?: string })._text = text;
      }
    }
    for (const [style, sheet] of sheets) {
      if (!style.isConnected) {
        sheets.delete(style);
        sheet.replaceSync('');
        changed = true;
      }
    }
    if (changed) {
      document.adoptedStyleSheets = Array.from(sheets.values());
    }
  };
  observer = new MutationObserver(sync);
  observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true });
  sync();
}
