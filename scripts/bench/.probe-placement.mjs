import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { createOrderingShop, startApi, startServer, freePort, ROOT } from './lib.mjs';
const cpu = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const api = await startApi();
try {
  const shops = [];
  for (let i = 0; i < 8; i++) shops.push(await createOrderingShop(api.url, `probe${i}`, undefined, 'pro'));
  const place = (shop) => fetch(`${api.url}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), authorization: `Bearer ${shop.apiKey}` }, body: JSON.stringify({ type: 'takeaway', items: [{ menuItemId: shop.items[0].id, quantity: 2 }, { menuItemId: shop.items[1].id, quantity: 1 }] }) });
  for (const s of shops) await place(s);
  if (process.env.ONE) { const r = await place(shops[0]); console.log(r.status, await r.text()); process.exit(0); }
  var target = api; var bareMode = false;
  if (process.env.BARE) { const port = await freePort(); target = await startServer([`${ROOT}scripts/bench/bare-placement.cjs`], { ...process.env, NODE_OPTIONS: process.env.BARE_OPTS ?? '', PORT: String(port), SHOPS: JSON.stringify(shops.map(({ restaurantId, items }) => ({ restaurantId, items: items.map(({ id, name, price }) => ({ id, name, price })) }))) }, port, '/ready'); bareMode = true; }
  let turn = 0; const N = Number(process.env.N ?? 3000);
  const c0 = cpu(target.child.pid);
  const res = await autocannon({ url: `${target.url}${bareMode ? '' : '/api/v1'}/orders`, method: 'POST', connections: 32, amount: N, requests: [{ setupRequest: (req) => { const i = turn++ % shops.length; const s = shops[i]; return { ...req, headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), authorization: `Bearer ${s.apiKey}`, 'x-shop': String(i) }, body: JSON.stringify({ type: 'takeaway', items: [{ menuItemId: s.items[0].id, quantity: 2 }, { menuItemId: s.items[1].id, quantity: 1 }] }) }; } }] });
  const c1 = cpu(target.child.pid);
  console.log(`requests ${res.requests.total} non2xx ${res.non2xx} rps ${res.requests.average} api CPU/request ${((c1 - c0) * 1000 / res.requests.total).toFixed(0)} µs`);
} finally { if (target !== api) await target.stop(); await api.stop(); }
