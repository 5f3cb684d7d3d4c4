-- The demo's platform rows: one tenant containing one organization with one user, one
-- host that is this machine (connection 'local': Ansible runs here, inside the demo
-- sandbox folders), and one agent on it. IDs are the platform's strings and match
-- examples/scenarios. Idempotent.
INSERT INTO tenants (id, name, llm_model, multimodal_llm_model) VALUES
  ('tnt_demo', 'Demo tenant', 'demo-text-model', 'demo-multimodal-model') ON CONFLICT DO NOTHING;
INSERT INTO organizations (id, tenant_id, name) VALUES ('org_demo', 'tnt_demo', 'Demo organization')
  ON CONFLICT DO NOTHING;
INSERT INTO users (id, organization_id, email) VALUES ('usr_demo', 'org_demo', 'demo@example.invalid')
  ON CONFLICT DO NOTHING;
INSERT INTO hosts (id, organization_id, name, address, connection, ansible_vars) VALUES
  ('hst_demo01', 'org_demo', 'demo-local', '127.0.0.1', 'local', '{}') ON CONFLICT DO NOTHING;
INSERT INTO agents (id, organization_id, host_id, name, main_engine, secondary_engine, specialty) VALUES
  ('agt_demo01', 'org_demo', 'hst_demo01', 'demo-ops', 'demo-main', 'demo-secondary', 'SYSOPS')
  ON CONFLICT DO NOTHING;
