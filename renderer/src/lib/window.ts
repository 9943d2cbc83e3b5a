/**
 * Which rows of a long list to render: the ones in view plus a margin, so 1,000 instances cost
 * what 30 do. The margin also keeps the next row rendered while someone tabs through the list,
 * so keyboard focus never falls off the end of what is drawn.
 */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 4,
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(viewportHeight, rowHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(first - overscan, count - shown - overscan));
  const end = Math.min(count, first + shown + overscan);
  return { start: Math.max(0, start), end: Math.max(end, 0) };
}

/** Sets a pixel style through the CSSOM, which the page's CSP allows (style attributes it does not). */
export function pixels(node: HTMLElement, value: { property: 'height' | 'top'; px: number }) {
  const apply = (v: { property: 'height' | 'top'; px: number }) =>
    node.style.setProperty(v.property, `${v.px}px`);
  apply(value);
  return { update: apply };
}
