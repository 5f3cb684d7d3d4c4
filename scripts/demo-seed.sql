-- The demo's platform rows: one organization, tenant and user, one host that is this
-- machine (connection 'local': Ansible runs here, inside the demo sandbox folders),
-- and one agent on it. IDs match examples/scenarios. Idempotent.
INSERT INTO organizations (id, name) VALUES
  ('00000000-0000-4000-8000-000000000001', 'Demo organization') ON CONFLICT DO NOTHING;
INSERT INTO tenants (id, organization_id, name, llm_model, multimodal_llm_model) VALUES
  ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'Demo tenant',
   'demo-text-model', 'demo-multimodal-model') ON CONFLICT DO NOTHING;
INSERT INTO users (id, tenant_id, email) VALUES
  ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', 'demo@example.invalid')
  ON CONFLICT DO NOTHING;
INSERT INTO hosts (id, tenant_id, name, address, connection, ansible_vars) VALUES
  ('00000000-0000-4000-8000-000000000101', '00000000-0000-4000-8000-000000000002', 'demo-local', '127.0.0.1',
   'local', '{}') ON CONFLICT DO NOTHING;
INSERT INTO agents (id, tenant_id, host_id, name, main_engine, secondary_engine, specialty) VALUES
  ('00000000-0000-4000-8000-000000000201', '00000000-0000-4000-8000-000000000002',
   '00000000-0000-4000-8000-000000000101', 'demo-ops', 'demo-main', 'demo-secondary', 'SYSOPS')
  ON CONFLICT DO NOTHING;
