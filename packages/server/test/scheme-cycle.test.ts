// The evaluation programmes end to end through the API. Tianjin: 16 districts' departments each
// fill only their own indicators; one table is sent back and resubmitted; the best two districts
// are selected for the 30M reward. Chongqing: each government guarantor hands in its
// self-evaluation score sheet and materials; grades come out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allIndicators, loadScheme } from '@caijin/evaluate';
import { Q, TIANJIN_DISTRICTS } from '@caijin/core';
import { jobs } from '../src/compute/jobs.ts';
import { dbKinds, openPlatform, signIn, type Client, type Platform } from './harness.ts';

type Task = { id: string; cycle_id: string; step: string; submission: string; subject_unit: string; indicators: string[] };

async function myTasks(c: Client, cycleId: string, step: string): Promise<Task[]> {
  return ((await c.get('/api/tasks')).body as Task[]).filter((t) => t.cycle_id === cycleId && t.step === step);
}

for (const kind of dbKinds()) {
  describe(`evaluation programmes on ${kind}`, () => {
    let p: Platform;
    beforeAll(async () => {
      p = await openPlatform(kind);
    }, 180_000);
    afterAll(async () => p?.close());

    it('tianjin: departments fill their indicators, send back and resubmit, select two districts', async () => {
      const admin = await signIn(p.app, 'admin.tj');
      const reviewer = await signIn(p.app, 'reviewer.tj');
      const opened = await admin.post('/api/programmes/tianjin-pilot/cycles', { year: 2024 });
      expect(opened.status, JSON.stringify(opened.body)).toBe(200);
      const cycleId = opened.body.id;
      const codes = [...TIANJIN_DISTRICTS];
      const versions: string[] = [];
      let returned: { client: Client; task: Task; version: string } | null = null;
      for (const [i, code] of codes.entries()) {
        // District i scores 100 − 2i on the reviewer items; 1.1 from actual/target.
        const score = (max: number) => String((max * (100 - 2 * i)) / 100);
        for (const dept of ['pboc', 'finance', 'science']) {
          const c = await signIn(p.app, `tj.${code}.${dept}`);
          const [task] = await myTasks(c, cycleId, 'indicators');
          expect(task.subject_unit).toBe(`tj-${code}`);
          const values = task.indicators.map((ind) =>
            ind === '1.1'
              ? { subject: task.subject_unit, indicator: ind, actual: String(1_000_000 * (20 - i)), target: '20000000', points: null, previous: null }
              : { subject: task.subject_unit, indicator: ind, actual: null, target: null, points: score({ '1.2': 35, '2': 30, '3': 20, '4': 10 }[ind]!), previous: null },
          );
          if (dept === 'pboc' && i === 0) {
            // A department may fill only its own indicators.
            const wrong = await c.post(`/api/tasks/${task.id}/indicators`, { values: [{ subject: task.subject_unit, indicator: '2', points: '30' }] });
            expect(wrong.status).toBe(400);
            expect(wrong.body.details[0].key).toBe('indicator.not_assigned');
            // First a table with a mistake in it, sent back below.
            const bad = await c.post(`/api/tasks/${task.id}/indicators`, { values: values.map((v) => (v.indicator === '3' ? { ...v, points: '2' } : v)) });
            expect(bad.status, JSON.stringify(bad.body)).toBe(200);
            returned = { client: c, task, version: bad.body.id };
            continue;
          }
          const r = await c.post(`/api/tasks/${task.id}/indicators`, { values });
          expect(r.status, JSON.stringify(r.body)).toBe(200);
          versions.push(r.body.id);
        }
      }
      // Send back with a reason; the department resubmits; the diff shows what changed.
      expect((await reviewer.post(`/api/versions/${returned!.version}/return`, { reason: '' })).status).toBe(400);
      const back = await reviewer.post(`/api/versions/${returned!.version}/return`, { reason: '指标3得分与佐证材料不符，请核实' });
      expect(back.status).toBe(200);
      expect((await reviewer.post(`/api/versions/${returned!.version}/approve`)).status).toBe(409);
      const fixedValues = returned!.task.indicators.map((ind) =>
        ind === '1.1' ? { subject: returned!.task.subject_unit, indicator: ind, actual: '20000000', target: '20000000' } : { subject: returned!.task.subject_unit, indicator: ind, points: String({ '1.2': 35, '3': 20 }[ind]) },
      );
      const again = await returned!.client.post(`/api/tasks/${returned!.task.id}/indicators`, { values: fixedValues, note: '已按退回意见修改指标3' });
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      expect(again.body.version).toBe(2);
      expect(again.body.diff).toEqual(expect.arrayContaining([{ subject: 'tj-120101', indicator: '3', field: 'points', from: '2', to: '20' }]));
      versions.push(again.body.id);
      const page = (await returned!.client.get(`/api/tasks/${returned!.task.id}/versions`)).body;
      // The task names its programme, its unit and the district it reports for in words.
      expect([page.task.programme_title, page.task.subject_name]).toEqual(['天津市财政支持深化民营和小微企业金融服务综合改革试点区', '和平区']);
      const history = page.versions;
      expect(history.map((v: { status: string }) => v.status)).toEqual(['returned', 'submitted']);
      expect(history[0].reason).toBe('指标3得分与佐证材料不符，请核实');

      for (const v of versions) expect((await reviewer.post(`/api/versions/${v}/approve`)).status).toBe(200);
      // Approved data cannot change: not through the API, not even in the database.
      expect((await returned!.client.post(`/api/versions/${again.body.id}/withdraw`)).status).toBe(409);
      await expect(p.db.query(`UPDATE indicator_values SET points = 1 WHERE version_id = $1`, [again.body.id])).rejects.toThrow(/submission.locked/);
      await expect(p.db.query(`DELETE FROM submission_versions WHERE id = $1`, [again.body.id])).rejects.toThrow(/submission.locked/);

      const started = await admin.post(`/api/cycles/${cycleId}/computations`, {});
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      await jobs.done(started.body.id);
      const k = (await admin.get(`/api/computations/${started.body.id}`)).body;
      expect(k.error).toBeNull();
      expect(k.result.results).toHaveLength(16);
      expect(k.result.selection.selected).toEqual(['tj-120101', 'tj-120102']);
      const first = k.result.results.find((r: { unit: string }) => r.unit === 'tj-120101');
      expect(first.score).toBe('100.00');
      expect(k.result.selection.reward_each).toBe('30000000.00');
      expect(k.inputs.versions).toHaveLength(48);
      expect((await admin.post(`/api/computations/${k.id}/approve`)).status).toBe(200);
      expect((await admin.post(`/api/computations/${k.id}/publish`, { noticeDays: 5 })).status).toBe(200);
      const shown = JSON.parse((await p.app.inject({ method: 'GET', url: `/api/public/results/${k.id}` })).body);
      expect(shown.result.selection.selected).toEqual(['tj-120101', 'tj-120102']);
      // Objections are taken during the notice period.
      const obj = await p.app.inject({ method: 'POST', url: `/api/public/results/${k.id}/objections`, payload: { name: '张三', contact: '13800000000', text: '对河西区得分有异议，请复核' } });
      expect(obj.statusCode).toBe(200);
    }, 300_000);

    it('chongqing: guarantors self-evaluate with materials, grades come out', async () => {
      const admin = await signIn(p.app, 'admin.cq');
      const reviewer = await signIn(p.app, 'reviewer.cq');
      const opened = await admin.post('/api/programmes/chongqing-guarantee/cycles', { year: 2021 });
      expect(opened.status, JSON.stringify(opened.body)).toBe(200);
      const cycleId = opened.body.id;
      const overview = (await admin.get(`/api/cycles/${cycleId}`)).body;
      const selfEval = overview.steps.find((s: { code: string }) => s.code === 'self_evaluation');
      expect(selfEval.due_date).toBe('2022-03-31');
      expect(overview.steps.find((s: { code: string }) => s.code === 'district_results').due_date).toBe('2022-04-30');
      const leaves = allIndicators(loadScheme('chongqing-2021')).filter((i) => i.children.length === 0);
      const guarantors = overview.tasks.filter((t: { step: string }) => t.step === 'self_evaluation').map((t: { unit_id: string }) => t.unit_id);
      expect(guarantors).toHaveLength(6);
      const versions: string[] = [];
      for (const [i, unit] of guarantors.entries()) {
        const code = unit.split('-')[1];
        const c = await signIn(p.app, `guarantor.cq.${code}`);
        const [task] = await myTasks(c, cycleId, 'self_evaluation');
        // Guarantor i earns (95 − 9i)% of every item: 优, 良, 中, 低, 差 and one more 差.
        const pct = 95 - 9 * i;
        const values = leaves.map((l) => ({ subject: unit, indicator: l.id, points: l.points.mul(Q.of(pct, 100)).toDecimal(2) }));
        const r = await c.post(`/api/tasks/${task.id}/indicators`, { values });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        versions.push(r.body.id);
        const [mt] = await myTasks(c, cycleId, 'self_evaluation_materials');
        const doc = (name: string) => ({ name, bytes: new TextEncoder().encode(`%PDF-1.4 ${name} ${unit}`) });
        const materials = [doc('绩效自评报告.pdf'), doc('2021年经营计划.pdf'), doc('2021年经营情况报告.pdf'), doc('2021年财务会计报告及审计报告.pdf'), doc('绩效评价计分表.pdf')];
        if (i === 0) {
          // 第十条 lists the documents: one missing is refused, naming it.
          const short = await c.upload(`/api/tasks/${mt.id}/materials`, materials.slice(0, 3));
          expect(short.status).toBe(400);
          expect(short.body.key).toBe('materials.missing');
          expect(short.body.details.map((d: { item: string }) => d.item)).toEqual(['financials', 'score_sheet']);
        }
        const m = await c.upload(`/api/tasks/${mt.id}/materials`, materials);
        expect(m.status, JSON.stringify(m.body)).toBe(200);
        expect(m.body.version).toBe(1);
        versions.push(m.body.id);
      }
      for (const v of versions) expect((await reviewer.post(`/api/versions/${v}/approve`)).status).toBe(200);
      const started = await admin.post(`/api/cycles/${cycleId}/computations`, {});
      await jobs.done(started.body.id);
      const k = (await admin.get(`/api/computations/${started.body.id}`)).body;
      expect(k.error).toBeNull();
      const grades = Object.fromEntries(k.result.results.map((r: { unit: string; grade: string }) => [r.unit, r.grade]));
      expect(guarantors.map((u: string) => grades[u])).toEqual(['优', '良', '中', '低', '差', '差']);
    }, 300_000);
  });
}
