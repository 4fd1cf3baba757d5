import type { FastifyInstance } from 'fastify';
import { allow } from '../auth/principal.ts';
import type { Ctx } from '../context.ts';
import { cycleMonitoring } from '../monitoring/alerts.ts';

export async function monitoringRoutes(api: FastifyInstance, ctx: Ctx) {
  api.get<{ Params: { id: string } }>('/cycles/:id/monitoring', async (req) => cycleMonitoring(ctx.db, allow(req.principal, 'monitoring.read'), req.params.id, ctx.workDir));
}
