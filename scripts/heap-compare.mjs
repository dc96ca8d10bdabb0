// npm run heap:compare -- <early.heapsnapshot> <later.heapsnapshot> [<latest.heapsnapshot>] [--top 25]
// Compares V8 heap snapshots (--heapsnapshot-signal, v8.writeHeapSnapshot, DevTools)
// by constructor: object count, shallow size and retained size in each, the
// classes whose retained size grew most first. A leak shows as a class that
// grows from snapshot to snapshot of a steady load; the retained size of a
// class counts each object once (objects held by another object of the same
// class are inside that one's retained size), as in DevTools' Summary view.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals: files } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' } },
});
if (files.length < 2) {
  console.error('usage: npm run heap:compare -- <early.heapsnapshot> <later.heapsnapshot> [more…] [--top N]');
  process.exit(2);
}

/** The class a node is grouped under: its constructor name for objects, `(type)` for the engine's own kinds. */
function className(type, name) {
  if (type === 'object' || type === 'native') return name;
  if (type === 'closure') return '(closure)';
  if (type.endsWith('string')) return '(string)';
  return `(${type})`;
}

/** Per class: count, shallow and retained bytes, from the dominator tree (Cooper, Harvey and Kennedy's algorithm). */
function analyse(file) {
  const { snapshot, nodes, edges, strings } = JSON.parse(readFileSync(file, 'utf8'));
  const {
    node_fields: nodeFields,
    node_types: nodeTypes,
    edge_fields: edgeFields,
    edge_types: edgeTypes,
  } = snapshot.meta;
  const NF = nodeFields.length;
  const EF = edgeFields.length;
  const [typeAt, nameAt, sizeAt, edgeCountAt] = ['type', 'name', 'self_size', 'edge_count'].map((f) =>
    nodeFields.indexOf(f),
  );
  const [edgeTypeAt, toAt] = ['type', 'to_node'].map((f) => edgeFields.indexOf(f));
  // Weak references and the snapshot's own shortcut edges keep nothing alive.
  const ignored = new Set(['weak', 'shortcut'].map((t) => edgeTypes[0].indexOf(t)));
  const count = nodes.length / NF;

  const firstEdge = new Uint32Array(count + 1);
  for (let n = 0; n < count; n++) firstEdge[n + 1] = firstEdge[n] + nodes[n * NF + edgeCountAt] * EF;
  const targets = (n, visit) => {
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += EF) {
      if (!ignored.has(edges[e + edgeTypeAt])) visit(edges[e + toAt] / NF);
    }
  };

  // Post-order from the root (node 0), iteratively; unreachable nodes keep order -1.
  const order = new Int32Array(count).fill(-1);
  const byOrder = [];
  const visited = new Uint8Array(count);
  const stack = [0];
  const cursor = new Uint32Array(count);
  visited[0] = 1;
  for (let n = 0; n < count; n++) cursor[n] = firstEdge[n];
  while (stack.length > 0) {
    const n = stack[stack.length - 1];
    let pushed = false;
    while (cursor[n] < firstEdge[n + 1]) {
      const e = cursor[n];
      cursor[n] += EF;
      if (ignored.has(edges[e + edgeTypeAt])) continue;
      const to = edges[e + toAt] / NF;
      if (!visited[to]) {
        visited[to] = 1;
        stack.push(to);
        pushed = true;
        break;
      }
    }
    if (!pushed) {
      stack.pop();
      order[n] = byOrder.length;
      byOrder.push(n);
    }
  }
  const reachable = byOrder.length;

  // Predecessors in post-order numbers (CSR).
  const predCount = new Uint32Array(reachable + 1);
  for (const n of byOrder) targets(n, (to) => predCount[order[to] + 1]++);
  for (let i = 0; i < reachable; i++) predCount[i + 1] += predCount[i];
  const preds = new Uint32Array(predCount[reachable]);
  const fill = predCount.slice(0, reachable);
  for (const n of byOrder) targets(n, (to) => (preds[fill[order[to]]++] = order[n]));

  const root = reachable - 1;
  const idom = new Int32Array(reachable).fill(-1);
  idom[root] = root;
  const intersect = (a, b) => {
    while (a !== b) {
      while (a < b) a = idom[a];
      while (b < a) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let v = root - 1; v >= 0; v--) {
      let dom = -1;
      for (let p = predCount[v]; p < predCount[v + 1]; p++) {
        const u = preds[p];
        if (idom[u] === -1) continue;
        dom = dom === -1 ? u : intersect(u, dom);
      }
      if (dom !== -1 && idom[v] !== dom) {
        idom[v] = dom;
        changed = true;
      }
    }
  }

  // A dominator comes after everything it dominates in post-order: sum upwards.
  const retained = new Float64Array(reachable);
  const classOf = new Int32Array(reachable);
  const classIds = new Map();
  const classes = [];
  for (let v = 0; v < reachable; v++) {
    const n = byOrder[v];
    const name = className(nodeTypes[0][nodes[n * NF + typeAt]], strings[nodes[n * NF + nameAt]]);
    if (!classIds.has(name)) {
      classIds.set(name, classes.length);
      classes.push({ name, count: 0, self: 0, retained: 0 });
    }
    classOf[v] = classIds.get(name);
    const self = nodes[n * NF + sizeAt];
    classes[classOf[v]].count++;
    classes[classOf[v]].self += self;
    retained[v] += self;
    if (v !== root) retained[idom[v]] += retained[v];
  }

  // Walk the dominator tree; an object counts for its class unless an ancestor of the same class holds it.
  const childStart = new Uint32Array(reachable + 1);
  for (let v = 0; v < root; v++) childStart[idom[v] + 1]++;
  for (let i = 0; i < reachable; i++) childStart[i + 1] += childStart[i];
  const children = new Uint32Array(reachable);
  const childFill = childStart.slice(0, reachable);
  for (let v = 0; v < root; v++) children[childFill[idom[v]]++] = v;
  const active = new Uint32Array(classes.length);
  const next = childStart.slice(0, reachable);
  const path = [root];
  active[classOf[root]]++;
  while (path.length > 0) {
    const v = path[path.length - 1];
    if (next[v] < childStart[v + 1]) {
      const child = children[next[v]++];
      if (active[classOf[child]] === 0) classes[classOf[child]].retained += retained[child];
      active[classOf[child]]++;
      path.push(child);
    } else {
      active[classOf[v]]--;
      path.pop();
    }
  }
  return { total: retained[root], nodes: reachable, classes: new Map(classes.map((c) => [c.name, c])) };
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(2);
const results = files.map((file) => {
  const result = analyse(file);
  console.log(`${file}: ${result.nodes} reachable objects, ${mb(result.total)} MB`);
  return result;
});
const first = results[0];
const last = results.at(-1);
const names = new Set(results.flatMap((r) => [...r.classes.keys()]));
const empty = { count: 0, self: 0, retained: 0 };
const rows = [...names]
  .map((name) => ({ name, per: results.map((r) => r.classes.get(name) ?? empty) }))
  .map((row) => ({ ...row, growth: row.per.at(-1).retained - row.per[0].retained }))
  .toSorted((a, b) => b.growth - a.growth)
  .slice(0, Number(values.top));

console.log(`\nretained MB (count) per snapshot, by growth from the first to the last:`);
const width = Math.min(48, Math.max(...rows.map((r) => r.name.length)));
for (const row of rows) {
  const cells = row.per.map((c) => `${mb(c.retained).padStart(8)} (${String(c.count).padStart(7)})`).join('  ');
  console.log(`${row.name.slice(0, width).padEnd(width)}  ${cells}  ${(row.growth >= 0 ? '+' : '') + mb(row.growth)}`);
}
console.log(`\ntotal: ${mb(first.total)} → ${mb(last.total)} MB, objects ${first.nodes} → ${last.nodes}`);
