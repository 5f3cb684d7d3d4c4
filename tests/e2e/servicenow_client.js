// Drives the ServiceNow simulator with servicenow-rest-api, a third-party client from
// npm written against real instances (https://<instance>/api/now/...). Its requests
// are sent over plain HTTP to the simulator through axios's `transport` option; the
// paths, query parameters and bodies are the client's own.
// usage: node servicenow_client.js HOST:PORT USER   (password in SNOW_CLIENT_PASSWORD)
// Prints one line per step, "ok <step> ..." or "FAIL <step> ...", and exits non-zero
// on the first failure.
'use strict';
const http = require('http');
const ServiceNow = require('servicenow-rest-api');

const [instance, user] = process.argv.slice(2);
const password = process.env.SNOW_CLIENT_PASSWORD || '';

function fail(step, detail) {
  console.log(`FAIL ${step} ${detail}`);
  process.exit(1);
}

// The client's callbacks get either the result or an axios error.
function settled(step, value) {
  if (value instanceof Error) {
    const status = value.response ? value.response.status : 'no answer';
    fail(step, `HTTP ${status} ${value.response ? JSON.stringify(value.response.data) : value.message}`);
  }
  return value;
}

// setNetworkOptions replaces the module's axios with a configured instance, shared by
// every client object (and an instance cannot be configured again): call it once.
let configured = false;
function client(pw) {
  const sn = new ServiceNow(instance, user, pw);
  if (!configured) sn.setNetworkOptions({ transport: http });
  configured = true;
  return sn;
}

// Authenticate() only logs: "Authenticated" on success, the error otherwise.
function probe(sn) {
  return new Promise((resolve) => {
    const lines = [];
    const log = console.log;
    console.log = (...args) => lines.push(args.map((a) => (a instanceof Error ? `ERROR ${a.response ? a.response.status : ''}` : String(a))).join(' '));
    sn.Authenticate();
    // It logs once, when the answer came: wait for that line (up to 20 s on a slow machine).
    const started = Date.now();
    const wait = setInterval(() => {
      if (lines.length === 0 && Date.now() - started < 20000) return;
      clearInterval(wait);
      console.log = log;
      resolve(lines.join('\n'));
    }, 50);
  });
}

(async () => {
  const sn = client(password);

  // 1. Credentials, probed through sys_user on v2, as the client does.
  const good = await probe(sn);
  if (!good.includes('Authenticated')) fail('probe', good);
  console.log('ok probe');
  const bad = await probe(client(password + '-wrong'));
  if (bad.includes('Authenticated') || !bad.includes('ERROR 401')) fail('probe-wrong-password', bad);
  console.log('ok probe-wrong-password');

  // 2. Create an incident (sysparm_input_display_value and display values on).
  const created = settled('create', await new Promise((r) =>
    sn.createNewTask({ short_description: 'Disk full on web01', urgency: '1 - High', impact: '2 - Medium' }, 'incident', r)));
  if (!created.number || !/^INC\d{7}$/.test(created.number)) fail('create', JSON.stringify(created));
  if (created.state !== 'New' || created.urgency !== '1 - High') fail('create-labels', JSON.stringify(created));
  console.log(`ok create ${created.number}`);

  // 3. Query it by number on v2 with display values.
  const found = settled('query', await new Promise((r) =>
    sn.getTableData(['number', 'state', 'urgency', 'short_description'], [`number=${created.number}`], 'incident', r)));
  if (!Array.isArray(found) || found.length !== 1) fail('query', JSON.stringify(found));
  if (found[0].state !== 'New' || found[0].urgency !== '1 - High' || found[0].short_description !== 'Disk full on web01')
    fail('query-display-values', JSON.stringify(found[0]));
  console.log('ok query');

  // 4. Resolve it by writing labels.
  const updated = settled('resolve', await new Promise((r) =>
    sn.UpdateTask('incident', created.number,
      { state: 'Resolved', close_code: 'Solved (Permanently)', close_notes: 'Removed the runaway log; disk at 41%' }, r)));
  if (updated.state !== 'Resolved') fail('resolve', JSON.stringify(updated));
  console.log('ok resolve');

  // 5. Read back the state label and the close notes.
  const after = settled('read-back', await new Promise((r) =>
    sn.getTableData(['state', 'close_code', 'close_notes'], [`number=${created.number}`], 'incident', r)));
  if (after.length !== 1 || after[0].state !== 'Resolved' || after[0].close_code !== 'Solved (Permanently)' ||
      after[0].close_notes !== 'Removed the runaway log; disk at 41%')
    fail('read-back', JSON.stringify(after));
  console.log(`ok read-back ${created.number}`);
})().catch((e) => fail('unexpected', e && e.stack ? e.stack : String(e)));
