/**
 * The one error type for a user's bad input. It names the file, where in it (a JSON path such as
 * `$.RoleDetailList[3].AssumeRolePolicyDocument`, or `line 7` for CSV) and what was expected.
 * The CLI prints `message` and exits 2; it never shows a stack trace for these.
 */
export class InputError extends Error {
  override readonly name = 'InputError';

  constructor(
    /** The file (or folder) the problem is in, as the user named it. */
    readonly file: string,
    /** Where in the file: a JSON path (`$.a[0].b`), `line N` for text formats, or `` for the whole file. */
    readonly location: string,
    /** What was expected there, and what was found. */
    readonly expected: string,
    options?: { cause?: unknown },
  ) {
    super([file, location && `at ${location}`, expected].filter(Boolean).join(': '), options);
  }
}

/** True when `error` is an {@link InputError}. */
export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}

/** Formats a JSON path from its segments: `['a', 0, 'b']` → `$.a[0].b`. */
export function formatJsonPath(segments: readonly (string | number)[]): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Shortens untrusted text for an error message: at most `max` characters, one line. */
export function quoteForMessage(value: unknown, max = 60): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    // Values that cannot be serialised (cycles) are shown by their type only.
    text = `<${typeof value}>`;
  }
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  text = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
