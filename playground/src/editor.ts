// A small code editor: a <textarea> for input over a <pre> showing the same text highlighted
// (highlight.ts), scrolled together. Tab inserts two spaces. The pointer's text offset (for
// hover) comes from the monospace grid: line from y, column from x.

import { highlight, type Mark } from './highlight.js';

export interface Editor {
  readonly textarea: HTMLTextAreaElement;
  getText(): string;
  setText(text: string): void;
  setMarks(marks: readonly Mark[]): void;
  /** The text offset under a pointer position, or undefined past the text. */
  offsetAt(clientX: number, clientY: number): number | undefined;
}

export function createEditor(host: HTMLElement, onChange: (text: string) => void): Editor {
  host.classList.add('editor');
  const pre = document.createElement('pre');
  pre.className = 'editor-view';
  pre.setAttribute('aria-hidden', 'true');
  const textarea = document.createElement('textarea');
  textarea.className = 'editor-input';
  textarea.spellcheck = false;
  textarea.setAttribute('aria-label', 'eqv source');
  textarea.wrap = 'off';
  host.append(pre, textarea);
  let marks: readonly Mark[] = [];
  const paint = () => {
    pre.innerHTML = highlight(textarea.value, marks);
    pre.scrollTop = textarea.scrollTop;
    pre.scrollLeft = textarea.scrollLeft;
  };
  textarea.addEventListener('input', () => {
    paint();
    onChange(textarea.value);
  });
  textarea.addEventListener('scroll', () => {
    pre.scrollTop = textarea.scrollTop;
    pre.scrollLeft = textarea.scrollLeft;
  });
  textarea.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') return;
    e.preventDefault();
    const { selectionStart: s, selectionEnd: t, value } = textarea;
    textarea.value = value.slice(0, s) + '  ' + value.slice(t);
    textarea.selectionStart = textarea.selectionEnd = s + 2;
    textarea.dispatchEvent(new Event('input'));
  });
  const cell = () => {
    const probe = document.createElement('span');
    probe.textContent = 'M'.repeat(10);
    pre.append(probe);
    const r = probe.getBoundingClientRect();
    probe.remove();
    return { w: r.width / 10, h: parseFloat(getComputedStyle(pre).lineHeight) || r.height };
  };
  return {
    textarea,
    getText: () => textarea.value,
    setText(text) {
      textarea.value = text;
      paint();
      onChange(text);
    },
    setMarks(m) {
      marks = m;
      paint();
    },
    offsetAt(clientX, clientY) {
      const box = textarea.getBoundingClientRect();
      const style = getComputedStyle(textarea);
      const { w, h } = cell();
      const line = Math.floor((clientY - box.top - parseFloat(style.paddingTop) + textarea.scrollTop) / h);
      const col = Math.floor((clientX - box.left - parseFloat(style.paddingLeft) + textarea.scrollLeft) / w);
      const lines = textarea.value.split('\n');
      if (line < 0 || line >= lines.length || col < 0 || col >= lines[line]!.length) return undefined;
      let offset = 0;
      for (let k = 0; k < line; k++) offset += lines[k]!.length + 1;
      return offset + col;
    },
  };
}
