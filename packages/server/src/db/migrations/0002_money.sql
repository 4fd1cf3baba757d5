-- Programme money and oversight: applications (申报), payments (兑现) in one disbursement ledger
-- across programmes, fund uses, recovery cases (追回), the competitive deposit (竞争性存放),
-- sampling reviews (抽审) and the register of suspected malicious debt evasion.

CREATE TABLE applications (
  id              text PRIMARY KEY,
  cycle_id        text NOT NULL REFERENCES cycles(id),
  unit_id         text NOT NULL REFERENCES units(id),
  status          text NOT NULL CHECK (status IN ('submitted', 'verified', 'approved', 'rejected')),
  claims          jsonb NOT NULL,
  computation_id  text REFERENCES computations(id),
  verification    jsonb,
  created_by      text NOT NULL REFERENCES accounts(id),
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- The departments that must agree before payment (Linhai: 财政局, 金融工作中心, 人民银行, 金融监管).
CREATE TABLE application_approvals (
  application_id  text NOT NULL REFERENCES applications(id),
  department      text NOT NULL,
  decided_by      text NOT NULL REFERENCES accounts(id),
  agree           boolean NOT NULL,
  note            text,
  decided_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (application_id, department)
);

-- 兑现台账: every payment of every programme, with the business it rests on.
CREATE TABLE payments (
  id              text PRIMARY KEY,
  programme_id    text NOT NULL REFERENCES programmes(id),
  cycle_id        text REFERENCES cycles(id),
  application_id  text REFERENCES applications(id),
  recipient       text NOT NULL,
  recipient_name  text,
  clause          text NOT NULL,
  category        text,
  amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
  paid_on         date NOT NULL,
  voucher         text NOT NULL,
  created_by      text NOT NULL REFERENCES accounts(id),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE payment_business (
  payment_id  text NOT NULL REFERENCES payments(id),
  kind        text NOT NULL CHECK (kind IN ('loan', 'guarantee', 'outlet', 'project', 'policy', 'branch')),
  business_id text NOT NULL,
  category    text,
  PRIMARY KEY (payment_id, kind, business_id)
);
CREATE INDEX payment_business_by_id ON payment_business(kind, business_id);
CREATE INDEX payments_by_recipient ON payments(recipient);
CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION caijin_append_only();
CREATE TRIGGER payment_business_append_only BEFORE UPDATE OR DELETE ON payment_business FOR EACH ROW EXECUTE FUNCTION caijin_append_only();

-- Uses of a reward fund (Tianjin: only risk compensation or government guarantors' capital).
CREATE TABLE fund_uses (
  id            text PRIMARY KEY,
  programme_id  text NOT NULL REFERENCES programmes(id),
  unit_id       text NOT NULL REFERENCES units(id),
  purpose       text NOT NULL,
  amount_fen    bigint NOT NULL CHECK (amount_fen > 0),
  used_on       date NOT NULL,
  description   text NOT NULL,
  created_by    text NOT NULL REFERENCES accounts(id),
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- 追回: a case raised by a result or a finding, followed to recovered or written off.
CREATE TABLE recovery_cases (
  id             text PRIMARY KEY,
  programme_id   text NOT NULL REFERENCES programmes(id),
  unit_id        text NOT NULL REFERENCES units(id),
  reason         text NOT NULL CHECK (reason IN ('below_threshold', 'false_reporting', 'finding')),
  cite           text NOT NULL,
  amount_fen     bigint NOT NULL CHECK (amount_fen > 0),
  source         text,
  status         text NOT NULL CHECK (status IN ('open', 'recovering', 'recovered', 'written_off')),
  created_by     text NOT NULL REFERENCES accounts(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (programme_id, unit_id, reason, source)
);
CREATE TABLE recovery_events (
  id          bigserial PRIMARY KEY,
  case_id     text NOT NULL REFERENCES recovery_cases(id),
  kind        text NOT NULL CHECK (kind IN ('raised', 'notified', 'received', 'written_off')),
  amount_fen  bigint NOT NULL DEFAULT 0,
  note        text,
  voucher     text,
  at          timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL REFERENCES accounts(id)
);

-- 竞争性存放: the weights of the inclusive-finance indicator (editable data) and each allocation.
CREATE TABLE deposit_weights (
  programme_id  text NOT NULL REFERENCES programmes(id),
  indicator     text NOT NULL,
  weight        numeric NOT NULL CHECK (weight >= 0),
  updated_by    text REFERENCES accounts(id),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (programme_id, indicator)
);
CREATE TABLE deposit_allocations (
  id            text PRIMARY KEY,
  cycle_id      text NOT NULL REFERENCES cycles(id),
  total_fen     bigint NOT NULL CHECK (total_fen > 0),
  weights       jsonb NOT NULL,
  snapshot      text NOT NULL,
  result        jsonb NOT NULL,
  created_by    text NOT NULL REFERENCES accounts(id),
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- 抽审: a reproducible sample (its seed recorded), re-review and findings.
CREATE TABLE sampling_reviews (
  id            text PRIMARY KEY,
  cycle_id      text NOT NULL REFERENCES cycles(id),
  seed          text NOT NULL,
  population    jsonb NOT NULL,
  size          integer NOT NULL CHECK (size > 0),
  sample        jsonb NOT NULL,
  created_by    text NOT NULL REFERENCES accounts(id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE review_findings (
  id          text PRIMARY KEY,
  review_id   text NOT NULL REFERENCES sampling_reviews(id),
  unit_id     text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('confirmed', 'adjusted', 'false_reporting')),
  note        text NOT NULL,
  created_by  text NOT NULL REFERENCES accounts(id),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- 聊城（七）: compensations under check for malicious debt evasion (恶意逃废债), hand-over to police.
CREATE TABLE evasion_checks (
  id             text PRIMARY KEY,
  programme_id   text NOT NULL REFERENCES programmes(id),
  guarantor      text NOT NULL,
  guarantee_id   text NOT NULL,
  borrower       text NOT NULL,
  amount_fen     bigint NOT NULL,
  status         text NOT NULL CHECK (status IN ('under_check', 'cleared', 'handed_to_police')),
  police_ref     text,
  note           text,
  created_by     text NOT NULL REFERENCES accounts(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  decided_at     timestamptz,
  UNIQUE (programme_id, guarantee_id)
);

-- The application window of a cycle (申报期), from the document or set by the bureau's notice.
ALTER TABLE cycles ADD COLUMN application_from date;
ALTER TABLE cycles ADD COLUMN application_to date;
-- Who receives a fund use (for "no double support of one 主体").
ALTER TABLE fund_uses ADD COLUMN beneficiary text;
