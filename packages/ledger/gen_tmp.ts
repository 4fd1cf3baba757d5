import { writeFileSync, mkdirSync } from 'node:fs';
import { makeUscc } from '@caijin/core';
const dir = '/tmp/perf/b';
mkdirSync(dir, { recursive: true });
const BANK = makeUscc('91330300MA0000001');
writeFileSync(`${dir}/institutions.csv`, `id,name,kind\n${BANK},银行,bank\n`);
const NE = 50_000, NL = 200_000;
const ents: string[] = ['id,name,kind,size'];
const eid: string[] = [];
for (let i = 0; i < NE; i++) { const id = makeUscc('91330302' + String(i).padStart(9, '0')); eid.push(id); ents.push(`${id},企业${i},enterprise,small`); }
writeFileSync(`${dir}/enterprises.csv`, ents.join('\n') + '\n');
const loans: string[] = ['id,bank_id,borrower_id,amount,start_date,rate_pct,products'];
for (let i = 0; i < NL; i++) loans.push(`L${i},${BANK},${eid[i % NE]},${1000000 + i}.00,2022-01-${(i % 28) + 1},4.35,credit;first_loan`);
writeFileSync(`${dir}/loans.csv`, loans.join('\n') + '\n');
const bal: string[] = ['loan_id,month,balance'];
for (let i = 0; i < NL; i++) for (let m = 1; m <= 12; m++) bal.push(`L${i},2022-${String(m).padStart(2, '0')},${1000000 - m * 1000}.50`);
writeFileSync(`${dir}/loan_balances.csv`, bal.join('\n') + '\n');
