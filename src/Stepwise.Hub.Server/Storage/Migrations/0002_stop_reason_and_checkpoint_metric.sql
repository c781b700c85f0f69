-- Why a stop was requested (shown to the training client), and the metric a checkpoint was saved for.
ALTER TABLE runs ADD COLUMN stop_reason TEXT NULL;
ALTER TABLE checkpoints ADD COLUMN metric_name TEXT NULL;
ALTER TABLE checkpoints ADD COLUMN metric_value DOUBLE PRECISION NULL;
