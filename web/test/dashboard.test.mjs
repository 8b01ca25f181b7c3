// The dashboard in Debian's headless chromium (driven by playwright-core) against a real
// `captain serve` on 127.0.0.1: the VRO example's release on its Tuesday, then after the lower
// deploy. Fails on any console error or failed request the test did not provoke.
//   CAPTAIN=path/to/captain (default build/captain)   SCREENSHOT_DIR=docs (default: none)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const captain = process.env.CAPTAIN || join(root, 'build/captain');
const shots = process.env.SCREENSHOT_DIR ? resolve(process.env.SCREENSHOT_DIR) : '';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ID = '2026-12-01';
const HEAD = '4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';

let work, config, browser, daemon;
const tokens = {};

function cli(now, ...args) {
  return execFileSync(captain, ['--config', config, '--now', now, ...args], { encoding: 'utf8' });
}

// Starts `captain serve` with its clock at `now` (stopping the one before); resolves to its URL.
async function serve(now) {
  await stop();
  return new Promise((ok, fail) => {
    const p = spawn(captain, ['--config', config, '--now', now, 'serve', '--listen', '127.0.0.1:0'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '', started = false;
    const timer = setTimeout(() => fail(new Error(`captain serve did not start: ${log}`)), 20000);
    p.stderr.on('data', (d) => {
      log += d;
      const m = /url=(http:\/\/[0-9.:]+)/.exec(log);
      if (m && !started) {
        started = true;
        clearTimeout(timer);
        daemon = { p, url: m[1] };
        ok(m[1]);
      }
    });
    p.on('exit', (code) => { if (!started) fail(new Error(`captain serve exited ${code}: ${log}`)); });
  });
}
async function stop() {
  if (!daemon) return;
  const p = daemon.p;
  daemon = null;
  const exited = new Promise((r) => p.on('exit', r));
  p.kill('SIGTERM');
  await exited;
}
async function until(what, fn, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// A page signed in as `who` (no token: a reader), recording console errors and failed requests.
// `allowed` lists HTTP statuses the test provokes on purpose (the API's refusals).
async function open(url, who, allowed = []) {
  const context = await browser.newContext({ bypassCSP: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const status = /status of (\d{3})/.exec(m.text());
    if (status && allowed.includes(Number(status[1]))) return;
    problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && !allowed.includes(r.status())) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  await page.goto(url + '/');
  if (who) {
    await page.getByRole('textbox', { name: 'API token' }).fill(tokens[who]);
    await page.getByRole('button', { name: 'Use this token' }).click();
  }
  await page.locator('#board table').waitFor();
  return { page, context, problems };
}
function cell(page, service, env) {
  return page.locator(`tr[data-service="${service}"] td[data-env="${env}"]`);
}
// "tag state" of a board cell (the commit link left out).
async function cellText(page, service, env) {
  const c = cell(page, service, env);
  return `${await c.locator('.tag').textContent()} ${await c.locator('.state').textContent()}`.trim();
}
async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'captain-dashboard-'));
  execFileSync('bash', [join(root, 'scripts/make-gitops-remote.sh'), join(work, 'gitops.git')]);
  let text = readFileSync(join(root, 'examples/vro/captain.yaml'), 'utf8');
  text = text.replace(/\nregistry:[\s\S]*$/, '\n')  // the example's loopback registry is not here
    .replace(/repo: \.\.\/\.\.\/\.captain\/vro-gitops\.git.*/, `repo: ${work}/gitops.git`)
    .replace(/^database: .*/m, `database: ${work}/vro.db`)
    .replace(/^state_dir: .*/m, `state_dir: ${work}/state`);
  text += '\nserver:\n  tick_seconds: 1\n  tokens:\n';
  for (const [name, role] of [['alice', 'captain'], ['cc-lead', 'team:cc'], ['reader', 'viewer']]) {
    const t = JSON.parse(execFileSync(captain, ['--json', 'token', 'new', name, '--role', role], { encoding: 'utf8' }));
    tokens[name] = t.token;
    text += `    ${t.config_line}\n`;
  }
  config = join(work, 'captain.yaml');
  writeFileSync(config, text);
  cli('2026-12-01T12:00:00Z', 'init');
  cli('2026-12-01T12:00:00Z', 'evidence', 'import', join(root, 'examples/vro/evidence/secrel-run-2026-12-01.json'), '--by', 'secrel');
  cli('2026-12-01T12:00:00Z', 'evidence', 'develop', '--commit', HEAD, '--by', 'secrel');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

after(async () => {
  await stop();
  if (browser) await browser.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('Tuesday 10:00 ET: a team member opts in on the page and sees the board change', async () => {
  const url = await serve('2026-12-01T15:00:00Z');
  await until('the release to open', () => cli('2026-12-01T15:00:00Z', 'release', 'list').includes(ID));
  const { page, context, problems } = await open(url, 'cc-lead');
  await assert.doesNotReject(page.getByText('cc-lead (team:cc)').waitFor());
  const countdown = page.locator('#countdown');
  await until('the countdown', async () => /^Opt-in closes in (5 h 0|4 h 59) min: cc, ee have not answered$/.test(await countdown.textContent()));
  assert.equal(await cellText(page, 'vro-cc-app', 'dev'), 'awaiting opt-in');
  assert.equal(await cellText(page, 'vro-svc-bgs-api', 'dev'), '4f2a9c1 planned');
  // Only cc's buttons: none for ee.
  assert.equal(await page.locator('button[data-team="ee"]').count(), 0);
  await page.getByRole('button', { name: 'Opt cc in' }).click();
  await cell(page, 'vro-cc-app', 'dev').getByText('planned').waitFor();
  assert.equal(await cellText(page, 'vro-cc-app', 'qa'), '4f2a9c1 planned');
  await until('the countdown to drop cc', async () => /: ee has not answered$/.test(await countdown.textContent()));
  assert.match(await page.locator('#opts tr[data-team="cc"] .answer').textContent(), /^in$/);
  // A defect on cc's own service: listed without a reload.
  assert.deepEqual(await page.locator('#defect-service option').allTextContents(), ['vro-cc-app']);
  await page.getByLabel('What is wrong').fill('claim upload times out');
  await page.getByRole('button', { name: 'Report defect' }).click();
  await page.locator('#defects li', { hasText: 'vro-cc-app: claim upload times out (open)' }).waitFor();
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('refusals are shown as the API gives them: a failed verification and another team', async () => {
  const { page, context, problems } = await open(daemon.url, 'cc-lead', [403, 422]);
  await page.getByLabel('Commit').fill('1234567');
  await page.getByLabel('Services (comma-separated)').fill('vro-cc-app');
  await page.getByLabel('Changelog').fill('fix the claim upload');
  await page.getByRole('button', { name: 'File request' }).click();
  await page.locator('#alert').getByText(/^Refused \(4\d\d/).waitFor();
  const reasons = await page.locator('#request-result li').allTextContents();
  assert.ok(reasons.length >= 1, 'the reasons are listed');
  assert.match(reasons.join(' '), /1234567/);
  // cc's lead asks for ee's service: the API's 403, as it is.
  await page.getByLabel('Services (comma-separated)').fill('vro-ee-max-cfi-app');
  await page.getByRole('button', { name: 'File request' }).click();
  await page.locator('#alert').getByText(/^Refused \(403 forbidden\): /).waitFor();
  assert.match(await page.locator('#alert').textContent(), /ee/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a viewer sees the board and no buttons', async () => {
  const { page, context, problems } = await open(daemon.url, 'reader');
  assert.equal(await page.locator('button[data-act]').count(), 0);
  assert.equal(await page.locator('#requests-card').isVisible(), false);
  assert.match(await page.locator('#who').textContent(), /reader \(viewer\)/);
  assert.deepEqual(problems, []);
  await context.close();
  await stop();
});

test('after the lower deploy: tags and reasons on the board, the next milestone named', async () => {
  cli('2026-12-01T20:05:00Z', 'deploy', ID, '--tier', 'lower', '--by', 'alice');
  const url = await serve('2026-12-01T20:10:00Z');
  const { page, context, problems } = await open(url, 'alice');
  for (const env of ['dev', 'qa', 'sandbox']) {
    for (const s of ['rabbitmq', 'vro-svc-bgs-api', 'vro-cc-app']) {
      assert.equal(await cellText(page, s, env), '4f2a9c1 deployed', `${s} in ${env}`);
    }
    assert.equal(await cellText(page, 'vro-ee-max-cfi-app', env), 'no response by 15:00 EST');
    assert.equal(await cellText(page, 'vro-svc-bip-api', env), 'scan failed in run secrel-2026-12-01-0700');
  }
  assert.equal(await page.locator('#board tr[data-service]').count(), 10);
  // Each deployed cell links its GitOps commit (gitops.commit_url).
  const commit = cli('2026-12-01T20:10:00Z', '--json', 'release', 'show', ID);
  const qa = JSON.parse(commit).services.find((s) => s.service === 'rabbitmq').environments.qa.gitops_commit;
  assert.equal(await cell(page, 'rabbitmq', 'qa').locator('a.commit').getAttribute('href'),
    `https://github.com/department-of-veterans-affairs/vro-gitops/commit/${qa}`);
  assert.match(await page.locator('#countdown').textContent(), /^Validation closes in 1 d 1 h (49|50) min$/);
  assert.equal(await page.getByRole('button', { name: 'Deploy prod-test' }).count(), 1);
  assert.deepEqual(await axe(page), []);
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.locator('#board').screenshot({ path: join(shots, 'dashboard-board.png') });
    await page.locator('#timeline-heading').locator('..').screenshot({ path: join(shots, 'dashboard-timeline.png') });
    await page.locator('#sig-chart svg').screenshot({ path: join(shots, 'dashboard-signatures.png') });
  }
  // Idle polls of an unchanged release (revalidated, a 304 on the wire) fail no request.
  await page.waitForTimeout(4500);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a captain: a refused deploy shown as refused, a rollback confirmed after its dry run', async () => {
  const { page, context, problems } = await open(daemon.url, 'alice', [422]);
  // Keyboard: the step buttons are reached with Tab.
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.textContent === 'Deploy lower');
  }
  assert.ok(reached, 'Deploy lower is reached by keyboard');
  await page.getByRole('button', { name: 'Deploy prod-test' }).click();
  await page.locator('#alert').getByText('Refused (422 refused): release 2026-12-01: prod-test deploys from 2026-12-03 10:00 EST').waitFor();
  await page.getByRole('button', { name: 'Roll back…' }).click();
  await page.getByLabel('Environment', { exact: true }).selectOption('qa');
  await page.getByLabel(/^Services \(comma-separated; empty/).fill('vro-cc-app');
  await page.getByLabel(/What went wrong/).fill('CFI lookups fail after the deploy');
  await page.getByRole('button', { name: 'Preview the rollback' }).click();
  const dialog = page.locator('#confirm');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /vro-cc-app: back to a2c6d58\n/);
  // The dry run changed nothing.
  assert.equal(await cellText(page, 'vro-cc-app', 'qa'), '4f2a9c1 deployed');
  assert.equal(JSON.parse(cli('2026-12-01T20:10:00Z', '--json', 'incident', 'list')).incidents.length, 0);
  await page.getByRole('button', { name: 'Go ahead' }).click();
  await cell(page, 'vro-cc-app', 'qa').getByText('rolled back').waitFor();
  const incident = page.locator('#incidents details').first();
  await incident.waitFor();
  assert.match(await incident.locator('summary').textContent(), /#1 Rollback of vro-cc-app in qa/);
  await incident.locator('summary').click();
  await incident.locator('pre').getByText(/Root cause/).waitFor();
  // The audit, newest first, filtered by actor.
  await page.getByLabel('Actor').fill('alice');
  await page.getByRole('button', { name: 'Filter' }).click();
  const actors = () => page.locator('#audit tr td:nth-child(2)').allTextContents();
  await until('the filtered audit', async () => {
    const a = await actors();
    return a.length >= 2 && a.every((x) => x === 'alice');
  });
  assert.ok((await page.locator('#audit tr td:nth-child(3)').allTextContents()).includes('rollback'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('1,000 services, read without a token (server.public_reads): first render and an update', async () => {
  await stop();
  const big = join(work, 'n1000');
  mkdirSync(big);
  const cfg = join(big, 'captain.yaml'), db = join(big, 'captain.db');
  execFileSync('bash', ['-c', `source "${root}/bench/scale_fixture.sh" && config 1000 "${cfg}" "${db}" &&
    printf 'state_dir: %s\\nserver:\\n  public_reads: true\\n  tokens:\\n    %s\\n' "${big}/state" "$1" >> "${cfg}" &&
    "${captain}" --config "${cfg}" init >/dev/null && history 1000 1 "${db}"`, 'fixture',
    JSON.parse(execFileSync(captain, ['--json', 'token', 'new', 'ops', '--role', 'team:t1'], { encoding: 'utf8' })).config_line]);
  tokens.ops = '';
  config = cfg;
  const url = await serve('2026-01-16T12:00:00Z');
  const { page, context, problems } = await open(url, null);
  assert.match(await page.locator('#who').textContent(), /not signed in \(read only\)/);
  assert.equal(await page.locator('#board tr[data-service]').count(), 1000);
  assert.equal(await page.locator('button[data-act]').count(), 0);
  const first = await page.evaluate(() => window.captainTimings.firstBoard);
  // An update: a health report on one service reaches the page by its next poll.
  execFileSync(captain, ['--config', cfg, '--now', '2026-01-16T12:00:05Z', 'health', '--release', '2026-01-13',
    '--env', 'prod', '--service', 'svc-00001', '--degraded', '--by', 'ops']);
  await cell(page, 'svc-00001', 'prod').getByText('degraded').waitFor({ timeout: 10000 });
  const update = await page.evaluate(() => window.captainTimings.lastUpdate);
  console.log(`dashboard at 1,000 services: first render ${first.toFixed(0)} ms after navigation ` +
              `(target < 1000), update ${update.toFixed(0)} ms (target < 200)`);
  assert.deepEqual(problems, []);
  await context.close();
});
