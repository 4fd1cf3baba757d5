// Documents: the Excel reporting template (from the data contract), Excel exports of UI tables,
// the printable 公示 notice and 计分表 (HTML and PDF), and the public policy look-up.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { TABLE_NAMES, type TableName } from '@caijin/ledger';
import { allow } from '../auth/principal.ts';
import type { Ctx } from '../context.ts';
import { visibleComputation } from '../compute/jobs.ts';
import { ApiError, forbidden, invalid, notFound } from '../http/errors.ts';
import { publicResult } from '../privacy.ts';
import { htmlToPdf, noticeHtml, scoreSheetHtml } from '../documents/notice.ts';
import { ledgerTemplate, TABLES_OF, tableWorkbook, type ExportTable } from '../documents/xlsx.ts';
import { lookupProfile, publishedFor, type LookupProfile } from '../public/lookup.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attach = (reply: FastifyReply, name: string, type: string) =>
  reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`).type(type);

async function sendPdf(reply: FastifyReply, html: string, name: string) {
  const pdf = await htmlToPdf(html);
  if (!pdf) throw new ApiError(503, 'pdf.unavailable', '服务器未安装 chromium，无法生成 PDF；可打开网页版后打印');
  return attach(reply, name, 'application/pdf').send(pdf);
}

export async function documentRoutes(api: FastifyInstance, ctx: Ctx) {
  // The template for the signed-in reporter's institution kind (or ?tables=loans,guarantees).
  api.get<{ Querystring: { tables?: string } }>('/templates/ledger.xlsx', async (req, reply) => {
    const p = allow(req.principal, 'submission.read');
    let tables: TableName[];
    if (req.query.tables) {
      tables = req.query.tables.split(',').filter((t): t is TableName => (TABLE_NAMES as string[]).includes(t) && t !== 'institutions');
      if (!tables.length) throw invalid('template.tables', '没有可用的数据表');
    } else {
      const [u] = await ctx.db.query<{ kind: string }>('SELECT kind FROM units WHERE id = $1', [p.unitId]);
      tables = TABLES_OF[u?.kind ?? ''] ?? TABLES_OF.bank;
    }
    return attach(reply, '数据报送模板.xlsx', XLSX).send(await ledgerTemplate(tables));
  });

  api.post<{ Body: ExportTable }>(
    '/exports/xlsx',
    {
      schema: {
        body: {
          type: 'object', required: ['title', 'columns', 'rows'],
          properties: {
            title: { type: 'string', maxLength: 100 },
            columns: { type: 'array', maxItems: 50, items: { type: 'object', required: ['key', 'title'], properties: { key: { type: 'string' }, title: { type: 'string' }, money: { type: 'boolean' } } } },
            rows: { type: 'array', maxItems: 100000, items: { type: 'object' } },
          },
        },
      },
    },
    async (req, reply) => {
      if (!req.principal) throw forbidden('请先登录');
      return attach(reply, `${req.body.title}.xlsx`, XLSX).send(await tableWorkbook(req.body));
    },
  );

  // The published result as Excel for anyone: built here from the public form, never from client rows.
  api.get<{ Params: { id: string } }>('/public/results/:id/export.xlsx', async (req, reply) => {
    const [k] = await ctx.db.query<{ title: string; year: number; result: Record<string, unknown> }>(
      `SELECT p.title, c.year, k.result FROM computations k JOIN cycles c ON c.id = k.cycle_id JOIN programmes p ON p.id = c.programme_id
        WHERE k.id = $1 AND k.status = 'published'`,
      [req.params.id],
    );
    if (!k) throw notFound('公示结果');
    const r = publicResult(k.result) as { awards?: Record<string, string>[]; results?: Record<string, string>[] };
    const title = `${k.year}年度${k.title}公示结果`;
    const table: ExportTable = r.awards
      ? { title, rows: r.awards.map((a) => ({ recipient: a.recipient, name: a.recipient_name ?? '', clause: a.clause, citation: a.citation, amount: a.amount })),
          columns: [{ key: 'recipient', title: '统一社会信用代码' }, { key: 'name', title: '名称' }, { key: 'clause', title: '条款' }, { key: 'citation', title: '依据' }, { key: 'amount', title: '金额（元）', money: true }] }
      : { title, rows: (r.results ?? []).map((x) => ({ rank: x.rank, unit: x.unit, name: x.name ?? '', score: x.score, grade: x.grade, reward: x.reward ?? null })),
          columns: [{ key: 'rank', title: '排名' }, { key: 'unit', title: '单位' }, { key: 'name', title: '名称' }, { key: 'score', title: '得分' }, { key: 'grade', title: '等次' }, { key: 'reward', title: '奖励（元）', money: true }] };
    return attach(reply, `${title}.xlsx`, XLSX).send(await tableWorkbook(table));
  });

  const notice = async (id: string) => {
    const [k] = await ctx.db.query<{ title: string; kind: 'policy' | 'scheme'; year: number; result: Record<string, unknown>; notice_until: string; published: string; issuer: string }>(
      `SELECT p.title, p.kind, c.year, k.result, to_char(k.notice_until, 'YYYY-MM-DD') AS notice_until,
              to_char(k.published_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS published, u.name AS issuer
         FROM computations k JOIN cycles c ON c.id = k.cycle_id JOIN programmes p ON p.id = c.programme_id JOIN units u ON u.id = p.owner_unit
        WHERE k.id = $1 AND k.status = 'published'`,
      [id],
    );
    if (!k) throw notFound('公示结果');
    const what = k.kind === 'policy' ? '奖补资金' : '绩效评价结果';
    return noticeHtml({
      issuer: k.issuer, title: `关于${k.year}年度${k.title}${what}的公示`, programme: k.title, year: k.year,
      publishedAt: k.published, noticeUntil: k.notice_until, kind: k.kind, result: publicResult(k.result),
    });
  };
  api.get<{ Params: { id: string } }>('/public/results/:id/notice.html', async (req, reply) => reply.type('text/html; charset=utf-8').send(await notice(req.params.id)));
  api.get<{ Params: { id: string } }>('/public/results/:id/notice.pdf', async (req, reply) => sendPdf(reply, await notice(req.params.id), '公示.pdf'));

  // One evaluated unit's 计分表, for those who may see the computation.
  api.get<{ Params: { id: string; unit: string }; Querystring: { format?: string } }>('/computations/:id/score-sheets/:unit', async (req, reply) => {
    if (!req.principal) throw notFound('计算结果');
    const k = await visibleComputation(ctx.db, req.principal, req.params.id);
    const res = k.result as { year: number; results?: { unit: string }[] } | null;
    const r = res?.results?.find((x) => x.unit === req.params.unit);
    if (!r) throw notFound('计分表');
    const [meta] = await ctx.db.query<{ title: string; issuer: string }>(
      'SELECT p.title, u.name AS issuer FROM cycles c JOIN programmes p ON p.id = c.programme_id JOIN units u ON u.id = p.owner_unit WHERE c.id = $1',
      [k.cycle_id],
    );
    const html = scoreSheetHtml(meta.issuer, meta.title, res!.year, r);
    if (req.query.format === 'pdf') return sendPdf(reply, html, '计分表.pdf');
    return reply.type('text/html; charset=utf-8').send(html);
  });

  api.post<{ Body: LookupProfile }>(
    '/public/lookup',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        body: {
          type: 'object',
          properties: {
            uscc: { type: 'string', maxLength: 18 }, name: { type: 'string', maxLength: 100 }, kind: { enum: ['enterprise', 'individual_business', 'farmer', 'new_agri_entity', 'business_owner'] },
            industry: { type: 'string', maxLength: 40 }, region: { type: 'string', maxLength: 6 }, employees: { type: 'string', maxLength: 12 },
            revenue: { type: 'string', maxLength: 20 }, total_assets: { type: 'string', maxLength: 20 }, annual_sales: { type: 'string', maxLength: 20 },
            tech_enterprise: { type: 'boolean' }, tech_branch_loan_balance: { type: 'string', maxLength: 20 }, securitization_interest: { type: 'string', maxLength: 20 },
            financing_amount: { type: 'string', maxLength: 20 }, supply_chain_counterparties: { type: 'string', maxLength: 6 }, supply_chain_financings: { type: 'string', maxLength: 6 }, supply_chain_amount: { type: 'string', maxLength: 20 },
            year: { type: 'integer', minimum: 2000, maximum: 2100 },
          },
        },
      },
    },
    async (req) => {
      const b = req.body ?? {};
      const onFile = b.uscc ? await publishedFor(ctx.db, b.uscc.trim().toUpperCase()) : [];
      const hasProfile = !!(b.tech_branch_loan_balance || b.securitization_interest || b.annual_sales || b.revenue || (!!b.kind && b.kind !== 'enterprise') || b.supply_chain_amount || b.financing_amount);
      return { on_file: onFile, asked: hasProfile, clauses: hasProfile ? await lookupProfile(b) : [] };
    },
  );
}
