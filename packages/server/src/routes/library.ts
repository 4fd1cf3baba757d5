// The policy library: every policy clause by clause (its text, readings and open parameters) and
// every evaluation scheme's indicator tree, each linked to the programmes that use it; and the
// what-if view: the cycle's approved data computed again with a changed parameter or reading,
// side by side with the parameters in force, per recipient and per clause.
import type { FastifyInstance } from 'fastify';
import { listSchemeIds, loadScheme, type Indicator } from '@caijin/evaluate';
import { computePolicy, listPolicyIds, loadPolicy, ParamError, PolicyError, showValue, type PolicyDef, type PolicyResult } from '@caijin/rules';
import { allow } from '../auth/principal.ts';
import type { Ctx } from '../context.ts';
import { approvedBundle } from '../compute/approved.ts';
import { visibleProgramme } from '../cycles/cycles.ts';
import { invalid, notFound } from '../http/errors.ts';

/** Yuan text with two decimals → fen, exactly. */
export function fenOf(yuan: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!m) throw new Error(`not a yuan amount: ${yuan}`);
  const f = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return m[1] ? -f : f;
}
export function yuanOf(fen: bigint): string {
  const neg = fen < 0n;
  const a = neg ? -fen : fen;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

function policyView(pol: PolicyDef) {
  return {
    id: pol.id,
    title: pol.title,
    document: pol.document,
    citation: pol.citation,
    effective: pol.effective,
    exclusions: pol.exclusions ? { applies_to: pol.exclusions.appliesTo, list: pol.exclusions.list.map((x) => ({ name: x.name, zh: x.zh, cite: x.cite })) } : null,
    clauses: pol.clauses.map((c) => ({
      id: c.id,
      cite: c.cite,
      citation: c.citation,
      title: c.title,
      text: c.text,
      recipient_zh: c.recipientZh,
      from: c.from,
      where: c.where?.source ?? null,
      lets: [...c.item, ...c.let].map((l) => ({ name: l.name, zh: l.zh ?? null, expr: l.source })),
      eligible: c.eligible?.source ?? null,
      amount: c.amount.source,
      cap: c.cap ? c.cap.text || c.cap.value.source : null,
      pool: c.pool?.text ?? null,
      rank: c.rank?.text ?? null,
      rounding: c.rounding,
      params: Object.values(c.params).map((p) => ({
        key: `${c.id}.${p.name}`,
        name: p.name,
        type: p.type,
        open: p.open,
        value: p.default === undefined ? null : showValue(p.default, p.type === 'scale' || p.type === 'choice' ? undefined : p.type),
        text: p.text,
        note: p.note ?? null,
        choices: p.choices ?? null,
      })),
      variants: Object.entries(c.variants.options).map(([name, v]) => ({ key: c.id, name, text: v.text, default: name === c.variants.default })),
    })),
  };
}

function indicatorView(i: Indicator): unknown {
  return { id: i.id, name: i.name, points: i.points.toString(), cite: i.cite, unit: i.unit, method: i.method.kind, filled_by: i.filledBy ?? null, note: i.note ?? null, children: i.children.map(indicatorView) };
}

export async function libraryRoutes(api: FastifyInstance, ctx: Ctx) {
  const usedBy = async (ref: string) =>
    ctx.db.query('SELECT p.id, p.title, p.year, (SELECT c.id FROM cycles c WHERE c.programme_id = p.id ORDER BY c.year DESC LIMIT 1) AS cycle_id FROM programmes p WHERE p.ref = $1 ORDER BY p.id', [ref]);

  // The library is public: policy documents and how they are read are published anyway.
  api.get('/library', async () => ({
    policies: listPolicyIds().map((id) => {
      const p = loadPolicy(id);
      return { id, title: p.title, document: p.document, clauses: p.clauses.length, open: p.clauses.flatMap((c) => Object.values(c.params).filter((x) => x.open)).length };
    }),
    schemes: listSchemeIds().map((id) => {
      const s = loadScheme(id);
      return { id, title: s.title, document: s.document, indicators: s.indicators.length };
    }),
  }));

  api.get<{ Params: { id: string } }>('/library/policies/:id', async (req) => {
    if (!listPolicyIds().includes(req.params.id)) throw notFound('政策');
    return { ...policyView(loadPolicy(req.params.id)), used_by: await usedBy(req.params.id) };
  });

  api.get<{ Params: { id: string } }>('/library/schemes/:id', async (req) => {
    if (!listSchemeIds().includes(req.params.id)) throw notFound('评价方案');
    const s = loadScheme(req.params.id);
    return {
      id: s.id, title: s.title, citation: s.citation, document: s.document, units: s.units.zh, total_points: s.totalPoints.toString(),
      grades: s.grades.map((g) => ({ grade: g.grade, from: g.from.toString() })),
      gates: s.gates.map((g) => ({ flag: g.flag, zh: g.zh, cite: g.cite })),
      consequences: s.consequences.map((c) => ({ code: c.code, zh: c.zh, cite: c.cite, when: c.whenSource })),
      indicators: s.indicators.map(indicatorView),
      used_by: await usedBy(req.params.id),
    };
  });

  // What-if: the same approved data, the parameters in force (the latest computation's) against
  // the changed ones. Nothing is stored; both runs are the batch engine, exact to the fen.
  api.post<{ Params: { id: string }; Body: { parameters?: Record<string, string>; variants?: Record<string, string> } }>(
    '/cycles/:id/what-if',
    { schema: { body: { type: 'object', properties: { parameters: { type: 'object', additionalProperties: { type: 'string' } }, variants: { type: 'object', additionalProperties: { type: 'string' } } } } } },
    async (req) => {
      const p = allow(req.principal, 'computation.run');
      const [c] = await ctx.db.query<{ id: string; programme_id: string; year: number }>('SELECT id, programme_id, year FROM cycles WHERE id = $1', [req.params.id]);
      if (!c) throw notFound('工作周期');
      const prog = await visibleProgramme(ctx.db, p, c.programme_id);
      if (prog.kind !== 'policy') throw invalid('what_if.kind', '测算仅适用于资金政策项目');
      const [last] = await ctx.db.query<{ parameters: Record<string, string>; variants: Record<string, string> }>(
        `SELECT parameters, variants FROM computations WHERE cycle_id = $1 AND status IN ('done', 'approved', 'published') ORDER BY created_at DESC LIMIT 1`,
        [c.id],
      );
      const baseReq = { params: last?.parameters ?? {}, variants: last?.variants ?? {} };
      const nextReq = { params: { ...baseReq.params, ...(req.body?.parameters ?? {}) }, variants: { ...baseReq.variants, ...(req.body?.variants ?? {}) } };
      let base: PolicyDef;
      let next: PolicyDef;
      try {
        base = loadPolicy(prog.ref, baseReq);
        next = loadPolicy(prog.ref, nextReq);
      } catch (e) {
        if (e instanceof PolicyError || e instanceof ParamError) throw invalid('what_if.parameters', (e as Error).message);
        throw e;
      }
      const { bundle } = await approvedBundle(ctx.db, prog.owner_unit, c.id, ctx.workDir);
      const a = computePolicy(base, bundle, c.year, { trace: false });
      const b = computePolicy(next, bundle, c.year, { trace: false });
      return { baseline: baseReq, scenario: nextReq, ...sideBySide(a, b) };
    },
  );
}

/** Per recipient and per clause: before, after, change — all in exact fen, shown as yuan. */
export function sideBySide(a: PolicyResult, b: PolicyResult) {
  const rec = new Map<string, { recipient: string; name: string; before: bigint; after: bigint }>();
  const add = (r: PolicyResult, which: 'before' | 'after') => {
    for (const x of r.awards) {
      let e = rec.get(x.recipient);
      if (!e) rec.set(x.recipient, (e = { recipient: x.recipient, name: x.recipient_name ?? x.recipient, before: 0n, after: 0n }));
      e[which] += fenOf(x.amount);
    }
  };
  add(a, 'before');
  add(b, 'after');
  const clauses = b.clauses.map((c) => {
    const was = a.clauses.find((x) => x.clause === c.clause);
    const before = was ? fenOf(was.total) : 0n;
    const after = fenOf(c.total);
    return { clause: c.clause, title: c.title, status_before: was?.status ?? null, status_after: c.status, before: yuanOf(before), after: yuanOf(after), change: yuanOf(after - before) };
  });
  const recipients = [...rec.values()]
    .map((e) => ({ recipient: e.recipient, name: e.name, before: yuanOf(e.before), after: yuanOf(e.after), change: yuanOf(e.after - e.before) }))
    .sort((x, y) => (fenOf(y.after) > fenOf(x.after) ? 1 : fenOf(y.after) < fenOf(x.after) ? -1 : x.recipient.localeCompare(y.recipient)));
  return { recipients, clauses, total_before: a.total, total_after: b.total, total_change: yuanOf(fenOf(b.total) - fenOf(a.total)), unset_before: a.unset, unset_after: b.unset };
}
