// Every refusal the API gives: an HTTP status, an English key and a Chinese message, plus details
// (e.g. the file/row/column errors of a rejected bundle).
export class ApiError extends Error {
  readonly status: number;
  readonly key: string;
  readonly zh: string;
  readonly details?: unknown;
  constructor(status: number, key: string, zh: string, details?: unknown) {
    super(`${zh} (${key})`);
    this.status = status;
    this.key = key;
    this.zh = zh;
    this.details = details;
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what}不存在或无权查看`);
export const forbidden = (zh = '无权执行此操作') => new ApiError(403, 'forbidden', zh);
export const conflict = (key: string, zh: string) => new ApiError(409, key, zh);
export const invalid = (key: string, zh: string, details?: unknown) => new ApiError(400, key, zh, details);
