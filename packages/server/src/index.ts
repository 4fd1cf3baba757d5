export { buildApp, type AppOptions } from './app.ts';
export { startServer, type ServeOptions } from './server.ts';
export { openDatabase } from './db/open.ts';
export type { Database, Sql } from './db/types.ts';
export { verifyAudit } from './audit/chain.ts';
export { seedDemo } from './demo/seed.ts';
export { backup, restore } from './ops/backup.ts';
