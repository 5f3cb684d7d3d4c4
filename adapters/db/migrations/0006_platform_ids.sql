-- The platform's data model as the 2501 platform has it (reference 2.1):
--  * IDs are the platform's strings ("hst_web01", "agt_xyz789"), not UUIDs: every
--    platform ID column becomes text. A UUID value stays valid as its text form.
--  * A tenant contains organizations, users belong to an organization, and hosts and
--    agents are organization-scoped. 0001 had it the other way round
--    (tenants.organization_id); this turns it around and carries the rows over.
-- One transaction (the migrator's): a database is either all old or all new.

-- Foreign keys go first: a key's two sides cannot change type one at a time.
ALTER TABLE tenants DROP CONSTRAINT tenants_organization_id_fkey;
ALTER TABLE users DROP CONSTRAINT users_tenant_id_fkey;
ALTER TABLE hosts DROP CONSTRAINT hosts_tenant_id_fkey;
ALTER TABLE agents DROP CONSTRAINT agents_tenant_id_fkey;
ALTER TABLE agents DROP CONSTRAINT agents_host_id_fkey;
ALTER TABLE agent_overrides DROP CONSTRAINT agent_overrides_agent_id_fkey;

ALTER TABLE organizations ALTER COLUMN id TYPE text;
ALTER TABLE tenants ALTER COLUMN id TYPE text, ALTER COLUMN organization_id TYPE text;
ALTER TABLE users ALTER COLUMN id TYPE text, ALTER COLUMN tenant_id TYPE text;
ALTER TABLE hosts ALTER COLUMN id DROP DEFAULT;
ALTER TABLE hosts ALTER COLUMN id TYPE text, ALTER COLUMN tenant_id TYPE text;
ALTER TABLE agents ALTER COLUMN id DROP DEFAULT;
ALTER TABLE agents ALTER COLUMN id TYPE text, ALTER COLUMN tenant_id TYPE text, ALTER COLUMN host_id TYPE text;
ALTER TABLE agent_overrides ALTER COLUMN agent_id TYPE text;
ALTER TABLE benchmarks ALTER COLUMN organization_id TYPE text, ALTER COLUMN tenant_id TYPE text,
  ALTER COLUMN user_id TYPE text;

-- Rows the runner creates (VM clones' hosts and agents) get IDs in the platform's shape.
ALTER TABLE hosts ALTER COLUMN id SET DEFAULT 'hst_' || replace(gen_random_uuid()::text, '-', '');
ALTER TABLE agents ALTER COLUMN id SET DEFAULT 'agt_' || replace(gen_random_uuid()::text, '-', '');

-- Tenancy turned around. An organization's tenant is the tenant that pointed at it
-- (the one with the smallest id when several did). A tenant that shared its
-- organization with a smaller one gets an organization of its own (the tenant's id,
-- the shared organization's name), so the rows of two tenants are never merged into
-- one organization and each tenant's configuration still holds together. An
-- organization no tenant pointed at gets a tenant of its own with the same id and name.
ALTER TABLE organizations ADD COLUMN tenant_id text;
UPDATE organizations o SET tenant_id = (SELECT min(t.id) FROM tenants t WHERE t.organization_id = o.id);
INSERT INTO organizations (id, tenant_id, name)
  SELECT t.id, t.id, o.name FROM tenants t JOIN organizations o ON o.id = t.organization_id WHERE o.tenant_id <> t.id;
INSERT INTO tenants (id, organization_id, name)
  SELECT o.id, o.id, o.name FROM organizations o WHERE o.tenant_id IS NULL
  ON CONFLICT (id) DO NOTHING;
UPDATE organizations SET tenant_id = id WHERE tenant_id IS NULL;
ALTER TABLE organizations ALTER COLUMN tenant_id SET NOT NULL;

-- Where each tenant's users, hosts and agents go: its organization.
CREATE TEMPORARY TABLE tenant_organization ON COMMIT DROP AS
  SELECT t.id AS tenant_id, CASE WHEN o.tenant_id = t.id THEN o.id ELSE t.id END AS organization_id
  FROM tenants t JOIN organizations o ON o.id = t.organization_id;
ALTER TABLE users ADD COLUMN organization_id text;
UPDATE users u SET organization_id = m.organization_id FROM tenant_organization m WHERE m.tenant_id = u.tenant_id;
ALTER TABLE users DROP COLUMN tenant_id;
ALTER TABLE users ALTER COLUMN organization_id SET NOT NULL;
ALTER TABLE hosts ADD COLUMN organization_id text;
UPDATE hosts h SET organization_id = m.organization_id FROM tenant_organization m WHERE m.tenant_id = h.tenant_id;
ALTER TABLE hosts DROP COLUMN tenant_id;
ALTER TABLE hosts ALTER COLUMN organization_id SET NOT NULL;
ALTER TABLE agents ADD COLUMN organization_id text;
UPDATE agents a SET organization_id = m.organization_id FROM tenant_organization m WHERE m.tenant_id = a.tenant_id;
ALTER TABLE agents DROP COLUMN tenant_id;
ALTER TABLE agents ALTER COLUMN organization_id SET NOT NULL;
ALTER TABLE tenants DROP COLUMN organization_id;

-- The keys again, the right way round.
ALTER TABLE organizations ADD CONSTRAINT organizations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id);
ALTER TABLE users ADD CONSTRAINT users_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES organizations (id);
ALTER TABLE hosts ADD CONSTRAINT hosts_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES organizations (id);
ALTER TABLE agents ADD CONSTRAINT agents_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES organizations (id);
ALTER TABLE agents ADD CONSTRAINT agents_host_id_fkey FOREIGN KEY (host_id) REFERENCES hosts (id) ON DELETE CASCADE;
ALTER TABLE agent_overrides ADD CONSTRAINT agent_overrides_agent_id_fkey
  FOREIGN KEY (agent_id) REFERENCES agents (id) ON DELETE CASCADE;
CREATE INDEX organizations_tenant_id_idx ON organizations (tenant_id);
CREATE INDEX hosts_organization_id_idx ON hosts (organization_id);

-- An ID is 1 to 128 characters (docs/database.md); the runner checks the same before
-- it asks, so this only guards rows written by other tools.
ALTER TABLE organizations ADD CONSTRAINT organizations_id_length CHECK (char_length(id) BETWEEN 1 AND 128);
ALTER TABLE tenants ADD CONSTRAINT tenants_id_length CHECK (char_length(id) BETWEEN 1 AND 128);
ALTER TABLE users ADD CONSTRAINT users_id_length CHECK (char_length(id) BETWEEN 1 AND 128);
ALTER TABLE hosts ADD CONSTRAINT hosts_id_length CHECK (char_length(id) BETWEEN 1 AND 128);
ALTER TABLE agents ADD CONSTRAINT agents_id_length CHECK (char_length(id) BETWEEN 1 AND 128);
