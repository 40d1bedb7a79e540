/**
 * Field errors for GOV.UK form pages: `errorSummary` for the summary at the top (each item links to
 * its field) and `errors.<field>` for the message beside each field, e.g.
 * `errorMessage: { text: errors.email } if errors.email`.
 */
export function formErrors(errors: Record<string, string> | undefined): { errors: Record<string, string>; errorSummary?: Array<{ text: string; href: string }> } {
  if (!errors || Object.keys(errors).length === 0) return { errors: {} };
  return { errors, errorSummary: Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` })) };
}

/** A path inside this site to go back to after signing in; anything else (another site) becomes '/'. */
export function localPath(next: string | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
