import { AxeBuilder } from '@axe-core/playwright';
import type { UiSession } from './harness.js';

/** Runs axe on what the page shows now; returns each violation as one readable line. */
export async function violations(ui: UiSession): Promise<string[]> {
  const results = await new AxeBuilder({ page: ui.page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}
