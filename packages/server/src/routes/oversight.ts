import type { FastifyInstance } from 'fastify';
import { allow } from '../auth/principal.ts';
import type { Ctx } from '../context.ts';
import { forbidden } from '../http/errors.ts';
import { decideEvasion, evasionRegister, openEvasionChecks } from '../oversight/evasion.ts';
import { getSampling, recordFinding, startSampling } from '../oversight/sampling.ts';

export async function oversightRoutes(api: FastifyInstance, ctx: Ctx) {
  const db = ctx.db;
  api.post<{ Params: { id: string }; Body: { size: number; seed?: string } }>(
    '/cycles/:id/sampling-reviews',
    { schema: { body: { type: 'object', required: ['size'], properties: { size: { type: 'integer' }, seed: { type: 'string', pattern: '^[0-9A-Za-z_-]{1,128}$' } } } } },
    async (req) => startSampling(db, allow(req.principal, 'money.manage'), req.params.id, req.body.size, req.body.seed),
  );
  api.get<{ Params: { id: string } }>('/sampling-reviews/:id', async (req) => {
    if (!req.principal) throw forbidden('请先登录');
    return getSampling(db, req.principal, req.params.id);
  });
  api.post<{ Params: { id: string }; Body: { unit: string; outcome: 'confirmed' | 'adjusted' | 'false_reporting'; note: string } }>(
    '/sampling-reviews/:id/findings',
    { schema: { body: { type: 'object', required: ['unit', 'outcome', 'note'], properties: { unit: { type: 'string' }, outcome: { enum: ['confirmed', 'adjusted', 'false_reporting'] }, note: { type: 'string', maxLength: 5000 } } } } },
    async (req) => {
      if (!req.principal) throw forbidden('请先登录');
      return recordFinding(db, req.principal, req.params.id, req.body.unit, req.body.outcome, req.body.note);
    },
  );
  api.post<{ Params: { id: string } }>('/cycles/:id/evasion-checks', async (req) => openEvasionChecks(db, allow(req.principal, 'money.manage'), req.params.id, ctx.workDir));
  api.get<{ Params: { id: string } }>('/programmes/:id/evasion-checks', async (req) => {
    if (!req.principal) throw forbidden('请先登录');
    return evasionRegister(db, req.principal, req.params.id);
  });
  api.post<{ Params: { id: string }; Body: { status: 'cleared' | 'handed_to_police'; note: string; policeRef?: string } }>(
    '/evasion-checks/:id/decision',
    { schema: { body: { type: 'object', required: ['status', 'note'], properties: { status: { enum: ['cleared', 'handed_to_police'] }, note: { type: 'string' }, policeRef: { type: 'string' } } } } },
    async (req) => decideEvasion(db, allow(req.principal, 'money.manage'), req.params.id, req.body.status, req.body.note, req.body.policeRef),
  );
}
