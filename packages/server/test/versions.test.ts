// A ledger submission's life: send back with a reason, resubmit with a diff of rows and cells,
// withdraw; 身份证 numbers masked in what is shown.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '@caijin/core';
import { maskResult } from '../src/privacy.ts';
import { dbKinds, folderFiles, openPlatform, signIn, type Client, type Platform } from './harness.ts';

for (const kind of dbKinds()) {
  describe(`ledger versions on ${kind}`, () => {
    let p: Platform;
    let bank: Client, reviewer: Client, taskId: string, files: { name: string; bytes: Uint8Array }[];
    beforeAll(async () => {
      p = await openPlatform(kind);
      const admin = await signIn(p.app, 'admin.wz');
      const cycle = (await admin.post('/api/programmes/wenzhou-2022/cycles', { year: 2022 })).body.id;
      bank = await signIn(p.app, 'bank.wz');
      reviewer = await signIn(p.app, 'reviewer.wz');
      taskId = (await bank.get('/api/tasks')).body.find((t: { cycle_id: string }) => t.cycle_id === cycle).id;
      files = folderFiles(join(p.uploads, 'wenzhou', (await bank.get('/api/me')).body.unit));
    }, 180_000);
    afterAll(async () => p?.close());

    it('a bad bundle is refused whole with file, row, column and value', async () => {
      const loans = files.find((f) => f.name === 'loans.csv')!;
      const lines = new TextDecoder().decode(loans.bytes).split('\n');
      const cols = lines[1].split(',');
      cols[3] = '12.345';
      const bad = [...lines.slice(0, 1), cols.join(','), ...lines.slice(2)].join('\n');
      const r = await bank.upload(`/api/tasks/${taskId}/ledger`, [...files.filter((f) => f.name !== 'loans.csv'), { name: 'loans.csv', bytes: new TextEncoder().encode(bad) }]);
      expect(r.status).toBe(400);
      expect(r.body.details[0]).toMatchObject({ file: 'loans.csv', row: 2, column: 'amount', value: '12.345' });
      expect(r.body.details[0].zh).toMatch(/分|小数/);
      expect((await bank.get(`/api/tasks/${taskId}/versions`)).body.versions).toEqual([]);
    });

    it('send back, then resubmit: the diff names the changed cells and the removed rows', async () => {
      const v1 = await bank.upload(`/api/tasks/${taskId}/ledger`, files);
      expect(v1.status).toBe(200);
      expect(v1.body.diff).toBeNull();
      expect((await reviewer.post(`/api/versions/${v1.body.id}/return`, { reason: '第2行贷款金额有误' })).status).toBe(200);
      // Fix: change one amount, drop the last loan (and its balances stay valid: drop them too).
      const text = (name: string) => new TextDecoder().decode(files.find((f) => f.name === name)!.bytes);
      const loanLines = text('loans.csv').trimEnd().split('\n');
      const header = loanLines[0].split(',');
      const amountAt = header.indexOf('amount');
      const first = loanLines[1].split(',');
      const oldAmount = first[amountAt];
      first[amountAt] = '123456.78';
      const dropped = loanLines.at(-1)!.split(',')[header.indexOf('id')];
      const newLoans = [loanLines[0], first.join(','), ...loanLines.slice(2, -1)].join('\n') + '\n';
      const balLines = text('loan_balances.csv').trimEnd().split('\n');
      const newBal = balLines.filter((l, i) => i === 0 || l.split(',')[0] !== dropped).join('\n') + '\n';
      const enc = new TextEncoder();
      const changed = files.map((f) => (f.name === 'loans.csv' ? { name: f.name, bytes: enc.encode(newLoans) } : f.name === 'loan_balances.csv' ? { name: f.name, bytes: enc.encode(newBal) } : f));
      const v2 = await bank.upload(`/api/tasks/${taskId}/ledger`, changed, '已按退回意见修改');
      expect(v2.status, JSON.stringify(v2.body).slice(0, 500)).toBe(200);
      expect(v2.body.version).toBe(2);
      const loansDiff = v2.body.diff.find((d: { file: string }) => d.file === 'loans.csv');
      expect(loansDiff).toMatchObject({ added: 0, removed: 1, changed: 1 });
      expect(loansDiff.details).toEqual(expect.arrayContaining([
        expect.objectContaining({ change: 'changed', cells: [{ column: 'amount', from: oldAmount, to: '123456.78' }] }),
        expect.objectContaining({ change: 'removed' }),
      ]));
      expect(v2.body.diff.find((d: { file: string }) => d.file === 'loan_balances.csv').removed).toBeGreaterThan(0);
      // The reporter can withdraw a pending version; then it is no longer pending.
      expect((await bank.post(`/api/versions/${v2.body.id}/withdraw`)).status).toBe(200);
      expect((await reviewer.post(`/api/versions/${v2.body.id}/approve`)).status).toBe(409);
      const statuses = (await bank.get(`/api/tasks/${taskId}/versions`)).body.versions.map((v: { status: string }) => v.status);
      expect(statuses).toEqual(['returned', 'withdrawn']);
    });

    it('masks 公民身份号码 anywhere in a result but keeps USCCs', () => {
      const person = makeResidentId('33030219800101123');
      const shown = maskResult({ awards: [{ recipient: person, trace: [{ rows: [{ borrower_id: person, bank_id: '91330300MA000M2MX9' }] }] }] });
      expect(JSON.stringify(shown)).not.toContain(person);
      expect(shown.awards[0].recipient).toMatch(/^330302\*+/);
      expect(shown.awards[0].trace[0].rows[0].bank_id).toBe('91330300MA000M2MX9');
    });
  });
}
