// npm run bench -- <name> [options]: runs scripts/bench/<name>.mjs against the built API.
const name = process.argv[2];
const known = [
  'public-menu',
  'orders-paging',
  'orders-placement',
  'orders-list',
  'body-flood',
  'soak',
  'embedded-writes',
  'reports',
];
if (!known.includes(name)) {
  console.error(`usage: npm run bench -- <${known.join('|')}>`);
  process.exit(2);
}
await import(`./${name}.mjs`);
