/**
 * A progress line on stderr for work that takes more than a second. It draws only on a terminal
 * (never into pipes, files or CI logs), shows nothing for the first second, and clears itself.
 */
export interface Progress {
  /** Sets the current phase text, e.g. `reading authz.json (3/12)`. */
  update(text: string): void;
  /** Removes the line; call once at the end (success or failure). */
  done(): void;
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Starts a progress line on `stream` (stderr by default) if it is a terminal. */
export function startProgress(
  stream: NodeJS.WriteStream = process.stderr,
  enabled = stream.isTTY === true && !process.env.CI,
): Progress {
  if (!enabled) return { update: () => undefined, done: () => undefined };
  const started = Date.now();
  let text = '';
  let frame = 0;
  let drawn = false;
  const timer = setInterval(() => {
    if (Date.now() - started < 1000) return;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const line = `${frames[frame++ % frames.length]} ${text} (${seconds}s)`;
    stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 80) - 1)}`);
    drawn = true;
  }, 100);
  timer.unref();
  return {
    update(next) {
      text = next;
    },
    done() {
      clearInterval(timer);
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
