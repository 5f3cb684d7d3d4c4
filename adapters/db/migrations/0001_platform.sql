-- Platform tables the runner reads. The engine owns them in production; these
-- definitions serve the tests, the demo and the simulators.
CREATE TABLE organizations (
  id   uuid PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE tenants (
  id                   uuid PRIMARY KEY,
  organization_id      uuid NOT NULL REFERENCES organizations (id),
  name                 text NOT NULL,
  llm_model            text,
  multimodal_llm_model text
);

CREATE TABLE users (
  id        uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  email     text NOT NULL
);

CREATE TABLE hosts (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  name         text NOT NULL,
  address      text NOT NULL DEFAULT '127.0.0.1',
  port         int  NOT NULL DEFAULT 22,
  ssh_user     text,
  ssh_key_path text,
  connection   text NOT NULL DEFAULT 'ssh' CHECK (connection IN ('ssh', 'local')),
  ansible_vars jsonb NOT NULL DEFAULT '{}',
  ephemeral    boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  host_id          uuid REFERENCES hosts (id) ON DELETE CASCADE,
  name             text NOT NULL,
  main_engine      text,
  secondary_engine text,
  specialty        text,
  ephemeral        boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_host_id_idx ON agents (host_id);
