// Prompts are files in prompts/, not strings in code. A prompt file is
//
//   ---
//   id: triage
//   version: 1
//   description: one line
//   ---
//   === system ===
//   ...text...
//   === user ===
//   ...text with {{placeholders}}...
//
// The id and version go into every result (and the cache key), so a verdict
// says which prompt produced it; a changed prompt gets a new version and file.
// Placeholders are filled in one pass: a value that contains "{{x}}" (mail
// text can) is never expanded again.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export interface PromptTemplate {
  id: string;
  version: number;
  description: string;
  system: string;
  user: string;
  /** file it came from, for messages */
  path: string;
}

/** prompts/ at the package root: ../../prompts from both src/llm/ (tsx) and dist/llm/ (built). */
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

export const DEFAULT_PROMPT = 'triage-v1';

export class PromptError extends Error {
  readonly code = 'E_LLM_PROMPT';
}

const PLACEHOLDER = /\{\{([a-zA-Z][a-zA-Z0-9]*)\}\}/g;

export function parsePrompt(text: string, path: string): PromptTemplate {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[0]?.trim() !== '---') throw new PromptError(`${path}: a prompt starts with a '---' header`);
  const end = lines.indexOf('---', 1);
  if (end < 0) throw new PromptError(`${path}: the header has no closing '---'`);
  const header = new Map<string, string>();
  for (const l of lines.slice(1, end)) {
    const m = /^([a-z]+):\s*((?:\S.*)?)$/.exec(l.trim());
    if (m) header.set(m[1]!, m[2]!.trim());
  }
  const id = header.get('id') ?? '';
  const version = Number(header.get('version'));
  if (!/^[a-z][a-z0-9-]*$/.test(id)) throw new PromptError(`${path}: header needs an id (lowercase word)`);
  if (!Number.isInteger(version) || version < 1) throw new PromptError(`${path}: header needs a version (a positive integer)`);

  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const l of lines.slice(end + 1)) {
    const m = /^=== (system|user) ===\s*$/.exec(l);
    if (m) {
      current = [];
      sections.set(m[1]!, current);
    } else if (current) current.push(l);
  }
  const system = sections.get('system')?.join('\n').trim();
  const user = sections.get('user')?.join('\n').trim();
  if (!system || !user) throw new PromptError(`${path}: needs '=== system ===' and '=== user ===' sections`);
  return { id, version, description: header.get('description') ?? '', system, user, path };
}

const loaded = new Map<string, PromptTemplate>();

/** Load prompts/<name>.md once per process. Throws PromptError (the judge turns it into E_LLM_PROMPT). */
export function loadPrompt(name = DEFAULT_PROMPT, dir = DEFAULT_PROMPTS_DIR): PromptTemplate {
  const path = join(dir, `${name}.md`);
  const had = loaded.get(path);
  if (had) return had;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PromptError(`${path}: cannot read the prompt (${(e as Error).message})`);
  }
  const p = parsePrompt(text, path);
  loaded.set(path, p);
  return p;
}

/** Fill {{name}} placeholders in one pass; an unknown name is an error in the prompt file. */
export function fillTemplate(template: string, values: Record<string, string>, where = 'prompt'): string {
  return template.replace(PLACEHOLDER, (_all, name: string) => {
    const v = values[name];
    if (v === undefined) throw new PromptError(`${where}: unknown placeholder {{${name}}}`);
    return v;
  });
}
