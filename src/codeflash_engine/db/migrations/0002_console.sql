-- The operator console: key roles, console sessions, every /ai/* request and every candidate it
-- produced (kept or dropped), and one summary row per trace so the trace list pages on an index.

ALTER TABLE cf_api_keys
    ADD COLUMN role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin'));

-- A console login. The cookie holds a random token; only its SHA-256 is stored. Revoking the key
-- ends its sessions (they are only valid while the key is active).
CREATE TABLE console_sessions (
    token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    key_id bigint NOT NULL REFERENCES cf_api_keys (id) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

CREATE INDEX console_sessions_expires_at_idx ON console_sessions (expires_at);

CREATE TABLE requests (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trace_id text NOT NULL,
    request_id text NOT NULL,
    endpoint text NOT NULL,
    language text,
    status integer NOT NULL,
    latency_ms integer NOT NULL,
    user_id text REFERENCES users (user_id) ON DELETE SET NULL,
    organization_id text REFERENCES organizations (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX requests_trace_id_idx ON requests (trace_id, created_at);
CREATE INDEX requests_created_at_idx ON requests (created_at);

CREATE TABLE candidates (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trace_id text NOT NULL,
    request_id text NOT NULL,
    candidate_id text NOT NULL,
    endpoint text NOT NULL,
    model text,
    kept boolean NOT NULL,
    -- The step that dropped it (extract, validate, signature, deduplicate ...) and why; NULL if kept.
    step text,
    reason text,
    -- NULL when the caller's organization is in privacy mode.
    code text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX candidates_trace_id_idx ON candidates (trace_id);
CREATE INDEX candidates_created_at_idx ON candidates (created_at);

-- One row per trace, kept up to date by the recorder; the console's trace list reads only this.
CREATE TABLE console_traces (
    trace_id text PRIMARY KEY,
    first_at timestamptz NOT NULL,
    last_at timestamptz NOT NULL,
    user_id text REFERENCES users (user_id) ON DELETE SET NULL,
    organization_id text REFERENCES organizations (id) ON DELETE SET NULL,
    endpoints text[] NOT NULL DEFAULT '{}',
    languages text[] NOT NULL DEFAULT '{}',
    requests integer NOT NULL DEFAULT 0,
    failed_requests integer NOT NULL DEFAULT 0,
    llm_calls integer NOT NULL DEFAULT 0,
    failed_llm_calls integer NOT NULL DEFAULT 0,
    cost_usd numeric(14, 8) NOT NULL DEFAULT 0,
    candidates_kept integer NOT NULL DEFAULT 0,
    candidates_dropped integer NOT NULL DEFAULT 0
);

-- Newest first, with the trace id as tie-breaker: the keyset the list pages on.
CREATE INDEX console_traces_last_at_idx ON console_traces (last_at DESC, trace_id DESC);
CREATE INDEX console_traces_user_idx ON console_traces (user_id, last_at DESC, trace_id DESC);
CREATE INDEX console_traces_org_idx ON console_traces (organization_id, last_at DESC, trace_id DESC);

-- LLM calls and cost per UTC day, model and organization ('' for none), kept up to date by the
-- recorder: the usage page reads a few hundred rows, not every call of the period.
CREATE TABLE usage_daily (
    day date NOT NULL,
    model text NOT NULL,
    organization_id text NOT NULL DEFAULT '',
    calls integer NOT NULL DEFAULT 0,
    failed_calls integer NOT NULL DEFAULT 0,
    cost_usd numeric(18, 8) NOT NULL DEFAULT 0,
    PRIMARY KEY (day, model, organization_id)
);

-- Retention deletes by time.
CREATE INDEX llm_calls_created_at_idx ON llm_calls (created_at);
CREATE INDEX optimization_errors_created_at_idx ON optimization_errors (created_at);

INSERT INTO usage_daily (day, model, organization_id, calls, failed_calls, cost_usd)
SELECT (created_at AT TIME ZONE 'UTC')::date, model, COALESCE(organization_id, ''), count(*),
       count(*) FILTER (WHERE status NOT IN ('ok', 'truncated')), COALESCE(sum(cost_usd), 0)
FROM llm_calls
GROUP BY 1, 2, 3;

INSERT INTO console_traces (
    trace_id, first_at, last_at, user_id, organization_id, endpoints, llm_calls, failed_llm_calls, cost_usd)
SELECT trace_id, min(created_at), max(created_at), max(user_id), max(organization_id),
       COALESCE(array_agg(DISTINCT endpoint) FILTER (WHERE endpoint IS NOT NULL), '{}'),
       count(*), count(*) FILTER (WHERE status NOT IN ('ok', 'truncated')), COALESCE(sum(cost_usd), 0)
FROM llm_calls
GROUP BY trace_id;
