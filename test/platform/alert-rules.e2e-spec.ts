import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { load } from 'js-yaml';
import { describeFull } from '../support/env';
import { spawnApp, type RunningProcess } from '../support/processes';

const ROOT = join(__dirname, '..', '..');

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; description: string; runbook: string };
}

const groups = (
  load(readFileSync(join(ROOT, 'deploy/monitoring/alerts.yml'), 'utf8')) as {
    groups: { name: string; rules: Rule[] }[];
  }
).groups;
const rules = groups.flatMap((group) => group.rules);

/** Series Prometheus makes itself, not the apps. */
const PROMETHEUS_SERIES = new Set(['up']);

/** The metric names a PromQL expression selects, or throws on a syntax error. */
function metricsIn(expr: string): string[] {
  const tree = parser.parse(expr);
  const names: string[] = [];
  const errors: number[] = [];
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(node.from);
      if (node.name === 'VectorSelector') {
        const name = node.node.getChild('Identifier');
        if (name) names.push(expr.slice(name.from, name.to));
      }
    },
  });
  if (errors.length > 0)
    throw new Error(`PromQL syntax error at ${errors[0]}: ${expr.slice(errors[0], errors[0] + 40)}`);
  return names;
}

/** The metric families a /metrics text declares (`# TYPE name kind`), with a histogram's series names. */
function exported(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, kind] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (kind === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) names.add(name + suffix);
  }
  return names;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchorsOf = (markdown: string): Set<string> =>
  new Set(
    [...markdown.matchAll(/^#{2,4} (.+)$/gm)].map(([, title]) =>
      title
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    ),
  );

describe('alerting rules (deploy/monitoring/alerts.yml)', () => {
  it.each(rules.map((rule) => [rule.alert, rule]))(
    '%s is well-formed PromQL with severity, summary and a runbook',
    (_name, rule) => {
      expect(rule.alert).toMatch(/^Coffee[A-Z][A-Za-z]+$/);
      expect(metricsIn(rule.expr).length).toBeGreaterThan(0);
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
      expect(rule.annotations.description.length).toBeGreaterThan(10);
    },
  );

  it('names each alert once, and every runbook points at a section that exists', () => {
    expect(new Set(rules.map((rule) => rule.alert)).size).toBe(rules.length);
    const docs = new Map<string, Set<string>>();
    for (const { annotations } of rules) {
      const [file, anchor] = annotations.runbook.split('#');
      if (!docs.has(file)) docs.set(file, anchorsOf(readFileSync(join(ROOT, file), 'utf8')));
      expect([annotations.runbook, docs.get(file)?.has(anchor)]).toEqual([annotations.runbook, true]);
    }
  });

  it('refuses a broken expression (the check can fail)', () => {
    expect(() => metricsIn('sum(rate(http_request_duration_seconds_count[5m]) >')).toThrow(/syntax error/);
  });
});

describeFull('alerting rules against what the apps export (MariaDB + Redis)', () => {
  jest.setTimeout(90_000);
  let api: RunningProcess | undefined;
  let worker: RunningProcess | undefined;

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
  });

  it('selects only metrics the API or the worker exports, with the job each is scraped as', async () => {
    [api, worker] = await Promise.all([spawnApp('api'), spawnApp('worker', { DB_MIGRATE_ON_START: 'false' })]);
    const byJob = {
      'coffee-api': exported(await (await fetch(`${api.url}/metrics`)).text()),
      'coffee-worker': exported(await (await fetch(`${worker.url}/metrics`)).text()),
    };
    const missing: string[] = [];
    for (const rule of rules) {
      // The jobs a rule's selectors name; a rule with none may match either.
      const jobs = Object.keys(byJob).filter((job) => rule.expr.includes(job)) as (keyof typeof byJob)[];
      for (const name of metricsIn(rule.expr)) {
        if (PROMETHEUS_SERIES.has(name)) continue;
        if (
          !(jobs.length > 0 ? jobs : (Object.keys(byJob) as (keyof typeof byJob)[])).some((job) => byJob[job].has(name))
        )
          missing.push(`${rule.alert}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
