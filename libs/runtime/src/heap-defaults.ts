/**
 * The V8 heap flags every long-running process of this app runs with: old
 * space at most half the memory Node sees (the container's cgroup limit, else
 * the machine's), semi-spaces of at most 16 MB. Node's own default semi-space
 * on a machine with several GB is 64 MB (a 192 MB young generation), which
 * under load is resident memory that holds nothing live (docs/operations.md,
 * "Memory").
 */
export const HEAP_FLAGS = ['--max-old-space-size-percentage=50', '--max-semi-space-size=16'] as const;

/** Flags that size the heap: when any is given, the operator chose and nothing is added. */
const SIZING_FLAG = /^--max[-_](old[-_]space[-_]size|semi[-_]space[-_]size|heap[-_]size)/;

/** Whether `execArgv` or `NODE_OPTIONS` already size the heap. */
export function heapSizedBy(execArgv: readonly string[], nodeOptions = ''): boolean {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => SIZING_FLAG.test(arg));
}

/**
 * The command line that restarts this process with {@link HEAP_FLAGS}, or null
 * when nothing is to be done: the heap is already sized (the image's command
 * states the flags), the platform has no `execve`, or the process talks to a
 * parent over IPC (which `execve` would cut).
 */
export function heapDefaultsCommand(proc: {
  execPath: string;
  execArgv: readonly string[];
  argv: readonly string[];
  nodeOptions?: string;
  hasExecve: boolean;
  hasIpc: boolean;
}): string[] | null {
  if (!proc.hasExecve || proc.hasIpc || heapSizedBy(proc.execArgv, proc.nodeOptions)) return null;
  return [proc.execPath, ...HEAP_FLAGS, ...proc.execArgv, ...proc.argv.slice(1)];
}

/**
 * The first call of an app's main: when the process was started without heap
 * flags (`node dist/apps/api/src/main.js`, `npm start`), it replaces itself
 * with the same command plus {@link HEAP_FLAGS}, before anything is loaded.
 * V8 sizes the heap when the process starts (`v8.setFlagsFromString` cannot
 * change it afterwards) and Node 24 refuses the percentage flag in
 * `NODE_OPTIONS`, so the flags go on a command line. `process.execve` keeps
 * the PID and the standard streams; the cost is one more Node start (tens of
 * milliseconds). Returns only when nothing was to be done.
 */
export function applyHeapDefaults(): void {
  const execve = process.execve?.bind(process);
  const command = heapDefaultsCommand({
    execPath: process.execPath,
    execArgv: process.execArgv,
    argv: process.argv,
    // eslint-disable-next-line no-restricted-properties -- read before any library (and the config) is loaded
    nodeOptions: process.env.NODE_OPTIONS,
    hasExecve: execve !== undefined,
    hasIpc: process.channel !== undefined,
  });
  if (command && execve) execve(process.execPath, command);
}
