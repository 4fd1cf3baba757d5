// Fault injection for the crash test: CAIJIN_FAULT=import.file:<ms> makes the server pause at that
// point inside the import transaction, so a test can kill it there. Off unless the variable is set.
export async function faultPoint(name: string): Promise<void> {
  const spec = process.env.CAIJIN_FAULT;
  if (!spec) return;
  const [point, ms] = spec.split(':');
  if (point !== name) return;
  process.stderr.write(`fault point ${name} reached\n`);
  await new Promise((r) => setTimeout(r, Number(ms) || 1000));
}
