import { HEAP_FLAGS, heapDefaultsCommand, heapSizedBy } from './heap-defaults';

const plain = {
  execPath: '/usr/bin/node',
  execArgv: [] as string[],
  argv: ['/usr/bin/node', '/app/dist/apps/api/src/main.js', '--flag'],
  nodeOptions: undefined as string | undefined,
  hasExecve: true,
  hasIpc: false,
};

describe('heap defaults', () => {
  it('restarts a plain start with the heap flags, keeping its own flags and arguments', () => {
    expect(heapDefaultsCommand({ ...plain, execArgv: ['--enable-source-maps'] })).toEqual([
      '/usr/bin/node',
      ...HEAP_FLAGS,
      '--enable-source-maps',
      '/app/dist/apps/api/src/main.js',
      '--flag',
    ]);
  });

  it.each([
    ['--max-old-space-size-percentage=50'],
    ['--max-old-space-size=256'],
    ['--max_old_space_size=256'],
    ['--max-semi-space-size=16'],
    ['--max-heap-size=512'],
  ])('leaves a heap sized on the command line (%s) alone', (flag) => {
    expect(heapSizedBy([flag])).toBe(true);
    expect(heapDefaultsCommand({ ...plain, execArgv: [flag] })).toBeNull();
  });

  it('leaves a heap sized in NODE_OPTIONS alone', () => {
    expect(heapDefaultsCommand({ ...plain, nodeOptions: '--enable-source-maps  --max-old-space-size=300' })).toBeNull();
    expect(heapSizedBy([], '--enable-source-maps')).toBe(false);
  });

  it('does nothing without execve or with an IPC channel to a parent', () => {
    expect(heapDefaultsCommand({ ...plain, hasExecve: false })).toBeNull();
    expect(heapDefaultsCommand({ ...plain, hasIpc: true })).toBeNull();
  });
});
