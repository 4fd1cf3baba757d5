import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatform, signIn, type Platform } from './harness.ts';

describe('smoke', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await openPlatform('pglite');
  }, 120_000);
  afterAll(async () => p?.close());
  it('logs in and lists programmes', async () => {
    const admin = await signIn(p.app, 'admin.wz');
    const r = await admin.get('/api/programmes');
    expect(r.status).toBe(200);
    expect(r.body.map((x: { id: string }) => x.id)).toEqual(['wenzhou-2022']);
  });
});
