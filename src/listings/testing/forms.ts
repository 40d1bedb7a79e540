/**
 * The answers a question page shows (inputs and textareas by name, and the version it started
 * from), as a browser would send them back, with some changed.
 */
export function formAnswers(page: string, names: readonly string[], changes: Record<string, string> = {}): Record<string, string> {
  const decode = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const value = (name: string) =>
    new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(page)?.[1] ?? new RegExp(`name="${name}"[^>]*>([^<]*)</textarea>`).exec(page)?.[1] ?? '';
  const fields: Record<string, string> = { baseVersion: value('baseVersion') };
  for (const name of names) fields[name] = decode(value(name)).trim();
  return { ...fields, ...changes };
}
