/**
 * The answers a question page shows (inputs and textareas by name, and the version it started
 * from), as a browser would send them back, with some changed.
 */
export function formAnswers(page: string, names: readonly string[], changes: Record<string, string> = {}): Record<string, string> {
  const decode = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const value = (name: string) =>
    new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(page)?.[1] ?? new RegExp(`name="${name}"[^>]*>([^<]*)</textarea>`).exec(page)?.[1] ?? '';
  // Checkboxes send what is ticked, as the question pages read it back: sorted ids, comma-separated.
  const ticked = (name: string) => {
    const boxes = [...page.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*type="checkbox"[^>]*>`, 'g'))].map((m) => m[0]);
    return boxes.length === 0 ? undefined : boxes.filter((box) => /\schecked/.test(box)).map((box) => /value="([^"]*)"/.exec(box)![1]!).sort().join(',');
  };
  const fields: Record<string, string> = { baseVersion: value('baseVersion') };
  for (const name of names) fields[name] = ticked(name) ?? decode(value(name)).trim();
  return { ...fields, ...changes };
}
