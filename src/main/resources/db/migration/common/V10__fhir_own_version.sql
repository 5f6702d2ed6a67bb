-- The versions CareLoop wrote itself (write-backs): their notifications through a subscription plan nothing.
CREATE TABLE fhir_own_version (
    resource_type       VARCHAR(64)   NOT NULL,
    resource_id         VARCHAR(64)   NOT NULL,
    version_id          VARCHAR(64)   NOT NULL,
    action              VARCHAR(32)   NOT NULL,
    written_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (resource_type, resource_id, version_id)
);
