// Roles and what each may do. The three security roles (系统管理员, 安全管理员, 审计管理员) are kept
// apart from business roles and from each other (三员分立): none of them reads business data.
export type Role =
  | 'bureau_admin'
  | 'reviewer'
  | 'district_filler'
  | 'bank_reporter'
  | 'guarantor_reporter'
  | 'insurer_reporter'
  | 'system_admin'
  | 'security_admin'
  | 'audit_admin';

export type Permission =
  | 'programme.read'
  | 'programme.manage' // open cycles, set deadlines, grant extensions, send reminders
  | 'submission.submit'
  | 'submission.review' // send back, approve
  | 'submission.read'
  | 'computation.run'
  | 'computation.approve'
  | 'computation.publish'
  | 'monitoring.read'
  | 'account.manage'
  | 'security.manage'
  | 'audit.read'
  | 'backup.run'
  | 'money.manage' // record payments, fund uses, recovery cases, deposit allocations, sampling reviews
  | 'application.review'; // verify applications, and agree for one's department

export const ROLES: Record<Role, { zh: string; can: readonly Permission[] }> = {
  bureau_admin: {
    zh: '财政局管理员',
    can: ['programme.read', 'programme.manage', 'submission.read', 'computation.run', 'computation.approve', 'computation.publish', 'monitoring.read', 'money.manage', 'application.review'],
  },
  reviewer: { zh: '审核员', can: ['programme.read', 'submission.read', 'submission.review', 'computation.run', 'monitoring.read', 'application.review'] },
  district_filler: { zh: '区县部门填报员', can: ['programme.read', 'submission.read', 'submission.submit'] },
  bank_reporter: { zh: '银行填报员', can: ['programme.read', 'submission.read', 'submission.submit'] },
  guarantor_reporter: { zh: '担保机构填报员', can: ['programme.read', 'submission.read', 'submission.submit'] },
  insurer_reporter: { zh: '保险机构填报员', can: ['programme.read', 'submission.read', 'submission.submit'] },
  system_admin: { zh: '系统管理员', can: ['account.manage', 'backup.run'] },
  security_admin: { zh: '安全管理员', can: ['security.manage'] },
  audit_admin: { zh: '审计管理员', can: ['audit.read'] },
};

export const isRole = (r: string): r is Role => r in ROLES;

export function can(role: string, p: Permission): boolean {
  return isRole(role) && ROLES[role].can.includes(p);
}
