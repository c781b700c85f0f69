-- Images logged by a run (live images from DVC Studio clients, imported log directories).
-- The bytes live in the blob store under their SHA-256; (run, name, step) is unique, so a re-sent image replaces itself.
CREATE TABLE run_images (
    run_id     TEXT   NOT NULL REFERENCES runs (id),
    name       TEXT   NOT NULL,
    step       BIGINT NOT NULL,
    sha256     TEXT   NOT NULL,
    size       BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (run_id, name, step)
);
