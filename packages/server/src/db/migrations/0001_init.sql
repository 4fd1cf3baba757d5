-- caijin platform schema, version 1.

-- 行政区划 (GB/T 2260) of the seed cities, as a tree.
CREATE TABLE regions (
  code   text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name   text NOT NULL,
  parent text REFERENCES regions(code),
  level  text NOT NULL CHECK (level IN ('province', 'city', 'district', 'county'))
);

-- Organisations: bureaus and departments of each region, institutions. parent_id makes the tree
-- that data scopes follow ("own unit and below").
CREATE TABLE units (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('government', 'department', 'bank', 'guarantor', 'reguarantor', 'insurer', 'other')),
  department  text CHECK (department IN ('finance', 'financial_office', 'pboc', 'regulator', 'science', 'industry', 'sasac')),
  region      text NOT NULL REFERENCES regions(code),
  parent_id   text REFERENCES units(id),
  uscc        text,
  -- institutions only: 层级 and 是否政府性, as the ledger's institutions file has them
  level       text CHECK (level IN ('province', 'city', 'county')),
  government_backed boolean,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX units_parent ON units(parent_id);
-- A bank has one unit per city it reports in (its branch there), so a USCC is unique per parent.
CREATE UNIQUE INDEX units_uscc ON units(parent_id, uscc) WHERE uscc IS NOT NULL;

CREATE TABLE accounts (
  id              text PRIMARY KEY,
  username        text NOT NULL UNIQUE,
  display_name    text NOT NULL,
  password_hash   text NOT NULL,
  unit_id         text NOT NULL REFERENCES units(id),
  role            text NOT NULL,
  scope           text NOT NULL CHECK (scope IN ('all', 'unit', 'unit_tree', 'self')),
  failed_logins   integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  disabled        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- Sessions are looked up by the SHA-256 of their token: a leaked table does not leak sessions.
CREATE TABLE sessions (
  token_hash   text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts(id),
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen    timestamptz NOT NULL DEFAULT now(),
  ended_at     timestamptz
);

-- 登录日志 and 操作日志 (kept apart from the audit chain, which records business actions).
CREATE TABLE login_log (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  username   text NOT NULL,
  account_id text,
  ok         boolean NOT NULL,
  reason     text,
  ip         text
);
CREATE TABLE operation_log (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  account_id text,
  method     text NOT NULL,
  path       text NOT NULL,
  status     integer NOT NULL,
  ip         text
);

-- A programme binds a policy or an evaluation scheme to a region and a year.
CREATE TABLE programmes (
  id           text PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('policy', 'scheme')),
  ref          text NOT NULL,
  title        text NOT NULL,
  region       text NOT NULL REFERENCES regions(code),
  owner_unit   text NOT NULL REFERENCES units(id),
  year         integer NOT NULL,
  calendar     text NOT NULL,
  settings     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cycles (
  id            text PRIMARY KEY,
  programme_id  text NOT NULL REFERENCES programmes(id),
  year          integer NOT NULL,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_by     text NOT NULL REFERENCES accounts(id),
  opened_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (programme_id, year)
);

-- Steps of a cycle with their deadlines, from the documents.
CREATE TABLE cycle_steps (
  id          text PRIMARY KEY,
  cycle_id    text NOT NULL REFERENCES cycles(id),
  seq         integer NOT NULL,
  code        text NOT NULL,
  title       text NOT NULL,
  cite        text NOT NULL,
  actor       text NOT NULL,
  submission  text CHECK (submission IN ('ledger', 'indicators', 'materials')),
  -- for materials: the documents the article lists, each {code, zh, match}
  materials   jsonb,
  due_date    date NOT NULL,
  UNIQUE (cycle_id, code)
);

-- One unit's task in a step: what it must hand in, and when.
CREATE TABLE tasks (
  id             text PRIMARY KEY,
  step_id        text NOT NULL REFERENCES cycle_steps(id),
  unit_id        text NOT NULL REFERENCES units(id),
  -- the evaluated unit (a district or a guarantor) whose indicators or materials these are
  subject_unit   text REFERENCES units(id),
  indicators     jsonb,
  due_date       date NOT NULL,
  UNIQUE (step_id, unit_id, subject_unit)
);

CREATE TABLE extensions (
  id           text PRIMARY KEY,
  task_id      text NOT NULL REFERENCES tasks(id),
  requested_by text NOT NULL REFERENCES accounts(id),
  reason       text NOT NULL,
  new_due      date NOT NULL,
  status       text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'granted', 'refused')),
  decided_by   text REFERENCES accounts(id),
  decided_at   timestamptz,
  expires_at   date,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reminders (
  id        bigserial PRIMARY KEY,
  task_id   text NOT NULL REFERENCES tasks(id),
  sent_at   timestamptz NOT NULL DEFAULT now(),
  sent_by   text REFERENCES accounts(id),
  kind      text NOT NULL CHECK (kind IN ('upcoming', 'overdue'))
);

-- Content-addressed file store: a file is kept once, by its SHA-256.
CREATE TABLE blobs (
  sha256  text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size    bigint NOT NULL,
  bytes   bytea NOT NULL
);

-- A submission is the sequence of versions one unit hands in for one task.
CREATE TABLE submission_versions (
  id            text PRIMARY KEY,
  task_id       text NOT NULL REFERENCES tasks(id),
  unit_id       text NOT NULL REFERENCES units(id),
  version       integer NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('ledger', 'indicators', 'materials')),
  status        text NOT NULL CHECK (status IN ('submitted', 'withdrawn', 'returned', 'approved', 'superseded')),
  note          text,
  bundle_hash   text,
  summary       jsonb NOT NULL DEFAULT '{}'::jsonb,
  diff          jsonb,
  created_by    text NOT NULL REFERENCES accounts(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  decided_by    text REFERENCES accounts(id),
  decided_at    timestamptz,
  reason        text,
  UNIQUE (task_id, version)
);

CREATE TABLE version_files (
  version_id  text NOT NULL REFERENCES submission_versions(id),
  name        text NOT NULL,
  sha256      text NOT NULL REFERENCES blobs(sha256),
  rows        integer,
  PRIMARY KEY (version_id, name)
);

CREATE TABLE indicator_values (
  version_id  text NOT NULL REFERENCES submission_versions(id),
  subject     text NOT NULL,
  indicator   text NOT NULL,
  actual      numeric,
  target      numeric,
  points      numeric,
  previous    numeric,
  PRIMARY KEY (version_id, subject, indicator)
);

-- Approved versions are locked: no change to the version, its files or its values.
CREATE FUNCTION caijin_locked_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'submission_versions' THEN
    IF OLD.status = 'approved' AND (TG_OP = 'DELETE' OR NEW.status <> 'superseded'
        OR NEW.bundle_hash IS DISTINCT FROM OLD.bundle_hash OR NEW.summary IS DISTINCT FROM OLD.summary) THEN
      RAISE EXCEPTION '已审核通过的版本不可更改 (submission.locked)' USING ERRCODE = 'P0001';
    END IF;
  ELSIF EXISTS (SELECT 1 FROM submission_versions v
                 WHERE v.id = (CASE WHEN TG_OP = 'INSERT' THEN NEW.version_id ELSE OLD.version_id END)
                   AND v.status IN ('approved', 'superseded')) THEN
    RAISE EXCEPTION '已审核通过的版本不可更改 (submission.locked)' USING ERRCODE = 'P0001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER versions_locked BEFORE UPDATE OR DELETE ON submission_versions
  FOR EACH ROW EXECUTE FUNCTION caijin_locked_version();
CREATE TRIGGER version_files_locked BEFORE INSERT OR UPDATE OR DELETE ON version_files
  FOR EACH ROW EXECUTE FUNCTION caijin_locked_version();
CREATE TRIGGER indicator_values_locked BEFORE INSERT OR UPDATE OR DELETE ON indicator_values
  FOR EACH ROW EXECUTE FUNCTION caijin_locked_version();

-- Computation jobs and their results.
CREATE TABLE computations (
  id             text PRIMARY KEY,
  cycle_id       text NOT NULL REFERENCES cycles(id),
  status         text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'approved', 'published')),
  progress       integer NOT NULL DEFAULT 0,
  stage          text,
  parameters     jsonb NOT NULL DEFAULT '{}'::jsonb,
  variants       jsonb NOT NULL DEFAULT '[]'::jsonb,
  policy_version text,
  inputs         jsonb,
  result         jsonb,
  error          text,
  created_by     text NOT NULL REFERENCES accounts(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz,
  approved_by    text REFERENCES accounts(id),
  approved_at    timestamptz,
  published_at   timestamptz,
  notice_until   date
);

-- A published result is frozen.
CREATE FUNCTION caijin_frozen_result() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' OR (OLD.status = 'approved' AND NEW.status NOT IN ('approved', 'published')) THEN
    RAISE EXCEPTION '已发布的结果不可更改 (result.frozen)' USING ERRCODE = 'P0001';
  END IF;
  IF OLD.status IN ('approved', 'published') AND (NEW.result IS DISTINCT FROM OLD.result OR NEW.parameters IS DISTINCT FROM OLD.parameters) THEN
    RAISE EXCEPTION '已批准的结果不可更改 (result.frozen)' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER computations_frozen BEFORE UPDATE ON computations
  FOR EACH ROW EXECUTE FUNCTION caijin_frozen_result();

CREATE TABLE objections (
  id              text PRIMARY KEY,
  computation_id  text NOT NULL REFERENCES computations(id),
  name            text NOT NULL,
  contact         text NOT NULL,
  recipient       text,
  text            text NOT NULL,
  status          text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'answered')),
  answer          text,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- The audit chain: each entry's hash covers the previous hash and the entry, so an edited or
-- deleted row breaks the chain. Only INSERT is allowed.
CREATE TABLE audit_log (
  seq        bigint PRIMARY KEY,
  at         timestamptz NOT NULL,
  actor      text,
  role       text,
  action     text NOT NULL,
  object     text,
  detail     jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash  text NOT NULL,
  hash       text NOT NULL
);
CREATE FUNCTION caijin_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '审计日志只能追加 (audit.append_only)' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION caijin_append_only();
