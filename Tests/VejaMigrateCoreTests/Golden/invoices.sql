-- upgrade 20260212_000018
CREATE TABLE invoices (
    id UUID DEFAULT gen_random_uuid() NOT NULL,
    project_id UUID NOT NULL,
    status VARCHAR(32) DEFAULT 'DRAFT' NOT NULL,
    amount NUMERIC(12, 2) NOT NULL,
    payload JSONB DEFAULT '{}' NOT NULL,
    number VARCHAR(64),
    issued_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_invoices_project_id FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE,
    CONSTRAINT uniq_invoices_number UNIQUE (number),
    CONSTRAINT chk_invoices_status CHECK (status IN ('DRAFT','SENT','PAID','VOID'))
);

CREATE INDEX idx_invoices_project_id ON invoices (project_id);

CREATE INDEX idx_invoices_issued_at ON invoices (issued_at);

CREATE INDEX idx_invoices_status_issued_at ON invoices (status, issued_at);

-- downgrade 20260212_000018
DROP INDEX idx_invoices_status_issued_at;
DROP INDEX idx_invoices_issued_at;
DROP INDEX idx_invoices_project_id;
DROP TABLE invoices;
