/** Runs the CLI in-process and captures what it writes (the exit code is runCli's return). */
import { vi } from 'vitest';
import { runCli } from '../cli/main.js';

export async function runCapturing(
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await runCli(argv), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}
