import type { FastifyInstance } from 'fastify';
import { allow } from '../auth/principal.ts';
import type { Ctx } from '../context.ts';
import { forbidden } from '../http/errors.ts';
import { cycleMonitoring } from '../monitoring/alerts.ts';
import { monthlyGuaranteeReport } from '../monitoring/monthly.ts';

export async function monitoringRoutes(api: FastifyInstance, ctx: Ctx) {
  api.get<{ Params: { id: string } }>('/cycles/:id/monitoring', async (req) => cycleMonitoring(ctx.db, allow(req.principal, 'monitoring.read'), req.params.id, ctx.workDir));
  api.get<{ Params: { id: string; month: string } }>('/cycles/:id/monthly-report/:month', async (req) => {
    if (!req.principal) throw forbidden('请先登录');
    return monthlyGuaranteeReport(ctx.db, req.principal, req.params.id, Number(req.params.month), ctx.workDir);
  });
}
