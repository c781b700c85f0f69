-- Stepwise Hub schema v1. Shared by SQLite and PostgreSQL: portable types only; times are Unix milliseconds.
CREATE TABLE projects (
    name        TEXT   NOT NULL PRIMARY KEY,
    description TEXT   NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id         TEXT   NOT NULL PRIMARY KEY,
    name       TEXT   NOT NULL,
    scope      TEXT   NOT NULL,
    project    TEXT   NULL REFERENCES projects (name),
    hash       TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT NULL
);

CREATE TABLE runs (
    id             TEXT   NOT NULL PRIMARY KEY,
    project        TEXT   NOT NULL REFERENCES projects (name),
    name           TEXT   NOT NULL,
    task           TEXT   NULL,
    status         TEXT   NOT NULL,
    created_at     BIGINT NOT NULL,
    ended_at       BIGINT NULL,
    last_seen_at   BIGINT NOT NULL,
    args           TEXT   NULL,
    client         TEXT   NULL,
    client_run_id  TEXT   NULL,
    stop_requested BIGINT NOT NULL DEFAULT 0,
    primary_metric TEXT   NULL,
    primary_mode   TEXT   NULL,
    agent_id       TEXT   NULL,
    host           TEXT   NULL
);

CREATE UNIQUE INDEX ux_runs_client_run_id ON runs (project, client_run_id);
CREATE INDEX ix_runs_project_created ON runs (project, created_at);

CREATE TABLE metrics (
    run_id TEXT             NOT NULL,
    name   TEXT             NOT NULL,
    step   BIGINT           NOT NULL,
    epoch  BIGINT           NULL,
    value  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, name, step)
);

CREATE TABLE params (
    run_id TEXT NOT NULL,
    name   TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (run_id, name)
);

CREATE TABLE checkpoints (
    id         TEXT   NOT NULL PRIMARY KEY,
    run_id     TEXT   NOT NULL REFERENCES runs (id),
    kind       TEXT   NOT NULL,
    epoch      BIGINT NULL,
    name       TEXT   NOT NULL,
    size       BIGINT NOT NULL,
    sha256     TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX ix_checkpoints_run ON checkpoints (run_id, created_at);

CREATE TABLE events (
    id          TEXT   NOT NULL PRIMARY KEY,
    key_id      TEXT   NOT NULL,
    name        TEXT   NOT NULL,
    occurred_at BIGINT NULL,
    received_at BIGINT NOT NULL,
    properties  TEXT   NULL
);
