import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allow } from '../auth/principal.ts';
import type { Ctx } from '../context.ts';
import { invalid, notFound } from '../http/errors.ts';
import type { UploadedFile } from '../submissions/bundle.ts';
import type { IndicatorValue } from '../submissions/diff.ts';
import { visibleTask } from '../submissions/tasks.ts';
import { workbookFiles } from '../submissions/workbook.ts';
import {
  approveVersion, filesOf, indicatorValues, returnVersion, submitIndicators, submitLedger, submitMaterials, visibleVersion, withdrawVersion,
} from '../submissions/versions.ts';

const SAFE_NAME = /^[^/\\\u0000]{1,200}$/;

async function uploaded(req: FastifyRequest, xlsx = false): Promise<{ files: UploadedFile[]; note?: string }> {
  if (!req.isMultipart()) throw invalid('upload.multipart', '请以 multipart/form-data 上传文件');
  const files: UploadedFile[] = [];
  let note: string | undefined;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (!SAFE_NAME.test(part.filename)) throw invalid('upload.name', `文件名不合法：${part.filename}`);
      const bytes = await part.toBuffer();
      const file = { name: part.filename.normalize('NFC'), bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) };
      // The Excel template: its sheets become the tables' CSV files (ledger uploads only).
      if (xlsx && /\.xlsx$/i.test(file.name)) files.push(...(await workbookFiles(file.name, file.bytes)));
      else files.push(file);
    } else if (part.fieldname === 'note') note = String(part.value).slice(0, 2000);
  }
  return { files, note };
}

export async function submissionRoutes(api: FastifyInstance, ctx: Ctx) {
  api.post<{ Params: { id: string } }>('/tasks/:id/ledger', async (req) => {
    const p = allow(req.principal, 'submission.submit');
    const { files, note } = await uploaded(req, true);
    return submitLedger(ctx.db, p, req.params.id, files, note);
  });
  api.post<{ Params: { id: string } }>('/tasks/:id/materials', async (req) => {
    const p = allow(req.principal, 'submission.submit');
    const { files, note } = await uploaded(req);
    return submitMaterials(ctx.db, p, req.params.id, files, note);
  });
  api.post<{ Params: { id: string }; Body: { values: IndicatorValue[]; note?: string } }>(
    '/tasks/:id/indicators',
    {
      schema: {
        body: {
          type: 'object',
          required: ['values'],
          properties: {
            note: { type: 'string', maxLength: 2000 },
            values: {
              type: 'array',
              maxItems: 10000,
              items: {
                type: 'object',
                required: ['subject', 'indicator'],
                properties: {
                  subject: { type: 'string' }, indicator: { type: 'string' },
                  actual: { type: ['string', 'null'] }, target: { type: ['string', 'null'] }, points: { type: ['string', 'null'] }, previous: { type: ['string', 'null'] },
                },
              },
            },
          },
        },
      },
    },
    async (req) => submitIndicators(ctx.db, allow(req.principal, 'submission.submit'), req.params.id, req.body.values, req.body.note),
  );

  api.get<{ Params: { id: string } }>('/tasks/:id/versions', async (req) => {
    const p = allow(req.principal, 'submission.read');
    const t = await visibleTask(ctx.db, p, req.params.id);
    const versions = await ctx.db.query(
      `SELECT id, version, kind, status, note, bundle_hash, summary, created_by, created_at, decided_by, decided_at, reason FROM submission_versions
        WHERE task_id = $1 AND ($2::text IS NULL OR created_by = $2) ORDER BY version`,
      [t.id, p.scope === 'self' ? p.accountId : null],
    );
    return { task: t, versions };
  });

  api.get<{ Params: { id: string } }>('/versions/:id', async (req) => {
    const p = allow(req.principal, 'submission.read');
    const v = await visibleVersion(ctx.db, p, req.params.id);
    const files = (await filesOf(ctx.db, v.id)).map((f) => ({ name: f.name, sha256: f.sha256, size: f.bytes.length }));
    const values = v.kind === 'indicators' ? await indicatorValues(ctx.db, v.id) : undefined;
    return { ...v, files, values };
  });

  api.get<{ Params: { id: string; name: string } }>('/versions/:id/files/:name', async (req, reply) => {
    const p = allow(req.principal, 'submission.read');
    const v = await visibleVersion(ctx.db, p, req.params.id);
    const f = (await filesOf(ctx.db, v.id)).find((x) => x.name === req.params.name);
    if (!f) throw notFound('文件');
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`);
    reply.type('application/octet-stream');
    return Buffer.from(f.bytes);
  });

  api.post<{ Params: { id: string } }>('/versions/:id/withdraw', async (req) => withdrawVersion(ctx.db, allow(req.principal, 'submission.read'), req.params.id));
  api.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/versions/:id/return',
    { schema: { body: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', maxLength: 2000 } } } } },
    async (req) => returnVersion(ctx.db, allow(req.principal, 'submission.review'), req.params.id, req.body.reason),
  );
  api.post<{ Params: { id: string } }>('/versions/:id/approve', async (req) => approveVersion(ctx.db, allow(req.principal, 'submission.review'), req.params.id));
}
