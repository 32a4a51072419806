-- Accounts, API keys, rate limiting and usage quotas, plus the tables the optimization pipeline
-- records into. Identifiers of users and organizations are text so that ids imported from another
-- system (GitHub, a billing provider) fit as they are.

CREATE TABLE organizations (
    id text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    name text NOT NULL UNIQUE,
    github_org_id bigint UNIQUE,
    -- When true, prompts and replies of this organization's LLM calls are not stored.
    privacy_mode boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    user_id text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    github_username text UNIQUE,
    -- Stored lower-cased by the application, so the unique constraint is case-insensitive.
    email text UNIQUE,
    organization_id text REFERENCES organizations (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE subscriptions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id text NOT NULL UNIQUE REFERENCES users (user_id) ON DELETE CASCADE,
    plan_type text NOT NULL CHECK (plan_type IN ('free', 'pro', 'enterprise')),
    optimizations_used integer NOT NULL DEFAULT 0 CHECK (optimizations_used >= 0),
    -- NULL means unlimited.
    optimizations_limit integer CHECK (optimizations_limit >= 0),
    current_period_start timestamptz NOT NULL DEFAULT now(),
    current_period_end timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (current_period_end > current_period_start)
);

CREATE TABLE cf_api_keys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- SHA-384 of the whole key, hex; the plaintext is never stored.
    key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{96}$'),
    suffix text NOT NULL CHECK (length(suffix) = 4),
    user_id text NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    tier text NOT NULL CHECK (tier IN ('free', 'pro', 'enterprise')),
    organization_id text REFERENCES organizations (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    last_used_at timestamptz
);

CREATE INDEX cf_api_keys_user_id_idx ON cf_api_keys (user_id);
CREATE INDEX cf_api_keys_suffix_idx ON cf_api_keys (suffix);

-- One row per key: the current fixed window, anchored at the first request after the previous
-- window ended, so the table stays as small as the key table.
CREATE TABLE rate_limit_windows (
    key_id bigint PRIMARY KEY REFERENCES cf_api_keys (id) ON DELETE CASCADE,
    window_start timestamptz NOT NULL,
    request_count integer NOT NULL
);

CREATE TABLE llm_calls (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    trace_id text NOT NULL,
    call_type text NOT NULL,
    model text NOT NULL,
    provider text NOT NULL,
    prompt_tokens integer,
    completion_tokens integer,
    cached_read_tokens integer,
    cached_write_tokens integer,
    cost_usd numeric(14, 8),
    latency_ms integer,
    status text NOT NULL,
    error text,
    -- NULL when the caller's organization is in privacy mode.
    prompt jsonb,
    reply text,
    call_sequence integer,
    experiment_metadata jsonb,
    endpoint text,
    user_id text REFERENCES users (user_id) ON DELETE SET NULL,
    organization_id text REFERENCES organizations (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX llm_calls_trace_id_idx ON llm_calls (trace_id);
CREATE INDEX llm_calls_user_id_created_at_idx ON llm_calls (user_id, created_at);

CREATE TABLE optimization_errors (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trace_id text NOT NULL,
    error_type text NOT NULL,
    severity text NOT NULL,
    message text NOT NULL,
    stack_trace text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX optimization_errors_trace_id_idx ON optimization_errors (trace_id);

CREATE TABLE optimization_features (
    trace_id text PRIMARY KEY,
    user_id text REFERENCES users (user_id) ON DELETE SET NULL,
    speedup_ratio jsonb,
    original_runtime bigint,
    optimized_runtime jsonb,
    is_correct jsonb,
    optimized_line_profiler_results jsonb,
    metadata jsonb,
    optimizations_post jsonb,
    codeflash_version text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
