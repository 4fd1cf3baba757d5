import type { FastifyInstance } from 'fastify';
import { allow } from '../auth/principal.ts';
import type { Ctx } from '../context.ts';
import { forbidden } from '../http/errors.ts';
import { decideApplication, getApplication, setWindow, submitApplication, verifyApplication, type Claim } from '../money/applications.ts';
import { depositWeights, runDepositAllocation, setDepositWeights } from '../money/deposit.ts';
import { fundBalance, recordFundUse } from '../money/funds.ts';
import { paymentLedger, programmeFor, recordPayment, type PaymentInput } from '../money/payments.ts';
import { caseEvent, casesFromResult, getCase, raiseCase } from '../money/recovery.ts';

export async function moneyRoutes(api: FastifyInstance, ctx: Ctx) {
  const db = ctx.db;
  api.post<{ Params: { id: string }; Body: { from: string; to: string } }>('/cycles/:id/application-window', async (req) => setWindow(db, allow(req.principal, 'money.manage'), req.params.id, req.body.from, req.body.to));
  api.post<{ Params: { id: string }; Body: { claims: Claim[] } }>(
    '/cycles/:id/applications',
    { schema: { body: { type: 'object', required: ['claims'], properties: { claims: { type: 'array', maxItems: 100, items: { type: 'object', required: ['clause', 'amount'], properties: { clause: { type: 'string' }, amount: { type: 'string' } } } } } } } },
    async (req) => submitApplication(db, allow(req.principal, 'submission.submit'), req.params.id, req.body.claims),
  );
  api.get<{ Params: { id: string } }>('/applications/:id', async (req) => {
    if (!req.principal) throw forbidden('请先登录');
    return getApplication(db, req.principal, req.params.id);
  });
  api.post<{ Params: { id: string } }>('/applications/:id/verify', async (req) => verifyApplication(db, allow(req.principal, 'money.manage'), req.params.id));
  api.post<{ Params: { id: string }; Body: { agree: boolean; note?: string } }>(
    '/applications/:id/decision',
    { schema: { body: { type: 'object', required: ['agree'], properties: { agree: { type: 'boolean' }, note: { type: 'string', maxLength: 2000 } } } } },
    async (req) => decideApplication(db, allow(req.principal, 'application.review'), req.params.id, req.body.agree, req.body.note),
  );

  api.post<{ Body: PaymentInput }>(
    '/payments',
    {
      schema: {
        body: {
          type: 'object',
          required: ['programme', 'recipient', 'clause', 'amount', 'paidOn', 'voucher'],
          properties: {
            programme: { type: 'string' }, cycle: { type: 'string' }, application: { type: 'string' }, recipient: { type: 'string' }, recipientName: { type: 'string' },
            clause: { type: 'string' }, category: { type: 'string' }, amount: { type: 'string' }, paidOn: { type: 'string' }, voucher: { type: 'string' },
            business: { type: 'array', maxItems: 100000, items: { type: 'object', required: ['kind', 'id'], properties: { kind: { enum: ['loan', 'guarantee', 'outlet', 'project', 'policy', 'branch'] }, id: { type: 'string' }, category: { type: 'string' } } } },
          },
        },
      },
    },
    async (req) => recordPayment(db, allow(req.principal, 'money.manage'), req.body),
  );
  api.get<{ Querystring: { programme?: string } }>('/payments', async (req) => {
    if (!req.principal) throw forbidden('请先登录');
    return paymentLedger(db, req.principal, req.query.programme);
  });

  api.post<{ Body: { programme: string; unit: string; purpose: string; amount: string; usedOn: string; description: string; beneficiary?: string } }>('/fund-uses', async (req) =>
    recordFundUse(db, allow(req.principal, 'money.manage'), req.body),
  );
  api.get<{ Params: { programme: string; unit: string } }>('/programmes/:programme/funds/:unit', async (req) => {
    const p = allow(req.principal, 'money.manage');
    const g = await programmeFor(db, p, req.params.programme);
    const b = await fundBalance(db, g.id, req.params.unit);
    const uses = await db.query(`SELECT id, purpose, amount_fen::text AS amount_fen, to_char(used_on, 'YYYY-MM-DD') AS used_on, description, beneficiary FROM fund_uses WHERE programme_id = $1 AND unit_id = $2 ORDER BY used_on`, [g.id, req.params.unit]);
    return { received: b.received, used: b.used, balance: b.balance, uses };
  });

  api.post<{ Params: { id: string } }>('/computations/:id/recovery-cases', async (req) => casesFromResult(db, allow(req.principal, 'money.manage'), req.params.id));
  api.post<{ Body: { programme: string; unit: string; reason: 'false_reporting' | 'finding'; cite: string; amount: string; note: string } }>('/recovery-cases', async (req) => raiseCase(db, allow(req.principal, 'money.manage'), req.body));
  api.get<{ Params: { id: string } }>('/recovery-cases/:id', async (req) => getCase(db, allow(req.principal, 'money.manage'), req.params.id));
  api.post<{ Params: { id: string }; Body: { kind: 'notified' | 'received' | 'written_off'; amount?: string; note?: string; voucher?: string } }>(
    '/recovery-cases/:id/events',
    { schema: { body: { type: 'object', required: ['kind'], properties: { kind: { enum: ['notified', 'received', 'written_off'] }, amount: { type: 'string' }, note: { type: 'string' }, voucher: { type: 'string' } } } } },
    async (req) => caseEvent(db, allow(req.principal, 'money.manage'), req.params.id, req.body),
  );

  api.get<{ Params: { id: string } }>('/programmes/:id/deposit-weights', async (req) => {
    const p = allow(req.principal, 'money.manage');
    return depositWeights(db, (await programmeFor(db, p, req.params.id)).id);
  });
  api.post<{ Params: { id: string }; Body: Record<string, string> }>('/programmes/:id/deposit-weights', async (req) => setDepositWeights(db, allow(req.principal, 'money.manage'), req.params.id, req.body));
  api.post<{ Params: { id: string }; Body: { total: string } }>(
    '/cycles/:id/deposit-allocations',
    { schema: { body: { type: 'object', required: ['total'], properties: { total: { type: 'string' } } } } },
    async (req) => runDepositAllocation(db, allow(req.principal, 'money.manage'), req.params.id, req.body.total, ctx.workDir),
  );
}
