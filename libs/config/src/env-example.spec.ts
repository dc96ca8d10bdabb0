import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knownVariables, validateEnvironment } from './environment';

/** `.env.example`'s assignments (`NAME=value  # comment`), in file order. */
function exampleAssignments(): [name: string, value: string][] {
  const text = readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8');
  return text
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]*)=(\S*)/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1], match[2]]);
}

describe('.env.example', () => {
  it('documents every variable the application reads, and no other', () => {
    const documented = exampleAssignments().map(([name]) => name);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...knownVariables()].sort());
  });

  it('holds values the application accepts outside production', () => {
    const env = Object.fromEntries(exampleAssignments());
    expect(() => validateEnvironment(env)).not.toThrow();
  });
});
