// What every citizen page must meet on a phone (issue 21, 适老化): no serious or critical axe
// violation (contrast included), body text and tap targets of a readable and tappable size, and
// no broken image. Each check returns the problems it found, so one assertion lists them all.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { artifactsDir } from './browser';

export interface Variant {
  width: 390 | 320;
  elder: boolean;
}

/** Sizes in CSS px: the 适老化 rules (elder) and the common 44 px minimum (normal). */
export function limitsOf({ width, elder }: Variant): { bodyText: number; anyText: number; tap: number } {
  // Body text ≥ 18 px in elder mode is required at 390 px; a 320 px phone scales type down.
  if (elder) return { bodyText: width === 390 ? 18 : 16, anyText: width === 390 ? 16 : 14, tap: 60 };
  return { bodyText: 14, anyText: 12, tap: 44 };
}

/** Things a citizen taps, by the classes and roles the app gives them. */
const TAPPABLE = [
  '.btn',
  '[role=button]',
  '[role=tab]',
  '[role=radio]',
  '[role=link]',
  '.chip',
  '.link',
  '.entry',
  '.input',
  '.hall-option',
  '.item-option',
  '.slot',
  '.day-tab',
  '.level-tab',
  '.checklist-item',
  'taro-switch-core',
]
  .map((s) => `.page ${s}`)
  .join(', ');

export async function sizeProblems(page: Page, variant: Variant): Promise<string[]> {
  const limits = limitsOf(variant);
  return page.evaluate(
    ({ limits, tappable }) => {
      const problems: string[] = [];
      const visible = (el: Element) => {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
      };
      const name = (el: Element) =>
        `${el.tagName.toLowerCase()}.${Array.from(el.classList).slice(0, 3).join('.')} "${(el.textContent ?? '').trim().slice(0, 16)}"`;
      const pageEl = Array.from(document.querySelectorAll('.page')).find(visible);
      if (!pageEl) return ['no visible .page'];
      const body = parseFloat(getComputedStyle(pageEl).fontSize);
      if (body < limits.bodyText) problems.push(`body text ${body.toFixed(1)}px < ${limits.bodyText}px`);
      const walker = document.createTreeWalker(pageEl, NodeFilter.SHOW_TEXT);
      const small = new Set<string>();
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || !(node.textContent ?? '').trim() || !visible(parent)) continue;
        const size = parseFloat(getComputedStyle(parent).fontSize);
        if (size < limits.anyText - 0.05)
          small.add(`text ${size.toFixed(1)}px < ${limits.anyText}px: ${name(parent)}`);
      }
      // A field's value and placeholder are not text nodes: a textarea that does not inherit the
      // page's font shows them at the browser's 13 px.
      for (const field of Array.from(pageEl.querySelectorAll('input, textarea')).filter(visible)) {
        const size = parseFloat(getComputedStyle(field).fontSize);
        if (size < limits.anyText - 0.05)
          small.add(`field text ${size.toFixed(1)}px < ${limits.anyText}px: ${name(field)}`);
      }
      problems.push(...[...small].slice(0, 5));
      const targets = Array.from(document.querySelectorAll(tappable)).filter(
        (el) => visible(el) && el.closest('.page') === pageEl,
      );
      for (const el of targets) {
        const box = el.getBoundingClientRect();
        // Inline links inside running text are exempt in WCAG 2.5.8; ours are standalone.
        if (box.height < limits.tap - 0.5 || box.width < limits.tap - 0.5)
          problems.push(
            `tap target ${box.width.toFixed(0)}×${box.height.toFixed(0)} < ${limits.tap}: ${name(el)}`,
          );
      }
      for (const img of Array.from(document.querySelectorAll('img')).filter(visible)) {
        if (!img.complete || img.naturalWidth === 0) problems.push(`broken image ${img.src.slice(0, 60)}`);
      }
      return problems;
    },
    { limits, tappable: TAPPABLE },
  );
}

export async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`)
          .join(' | ')}`,
    );
}

export interface Shot {
  file: string;
  page: string;
  variant: Variant;
  problems: string[];
}

/** The gallery: every screenshot with its page, width, mode and what the checks found. */
export function writeGallery(shots: Shot[], title: string, file = 'index.html'): void {
  mkdirSync(artifactsDir, { recursive: true });
  const cell = (s: Shot) =>
    `<figure><a href="${s.file}"><img src="${s.file}" loading="lazy" width="${s.variant.width === 390 ? 195 : 160}"></a><figcaption>${s.variant.width}px · ${s.variant.elder ? '长辈版' : '标准'}${s.problems.length ? `<br><b>${s.problems.length} problem(s)</b>` : ' ✓'}</figcaption></figure>`;
  const pages = [...new Set(shots.map((s) => s.page))];
  const html = `<!doctype html><meta charset="utf-8"><title>${title}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px}section{margin-bottom:32px}div{display:flex;flex-wrap:wrap;align-items:flex-start}figure{margin:0 16px 16px 0}img{border:1px solid #ccc}figcaption{text-align:center}</style>
<h1>${title}</h1><p>${shots.length} screenshots, ${new Date().toISOString()}</p>
${pages
  .map(
    (p) =>
      `<section><h2>${p}</h2><div>${shots
        .filter((s) => s.page === p)
        .map(cell)
        .join('')}</div></section>`,
  )
  .join('\n')}`;
  writeFileSync(join(artifactsDir, file), html);
}
