-- Results reports as the results mappings judged them (planning owns this table): what each report's notice is, so a
-- group's reports share one notice, a replay or a correction announces nothing twice, and an operator reads why a
-- report was held or is waiting.
CREATE TABLE result_report (
    mapping_id          VARCHAR(100)  NOT NULL,
    order_key           VARCHAR(400)  NOT NULL,
    group_key           VARCHAR(400)  NOT NULL,
    patient_key         VARCHAR(300),
    status              VARCHAR(10)   NOT NULL,
    -- WAITING, ANNOUNCED (its own notice), BATCHED (in another report's notice), HELD, NEVER, MINOR
    decision            VARCHAR(16)   NOT NULL,
    reason              VARCHAR(1000),
    notice_key          VARCHAR(600),
    correction_key      VARCHAR(600),
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (mapping_id, order_key)
);
CREATE INDEX ix_result_report_group ON result_report (mapping_id, group_key, decision);
