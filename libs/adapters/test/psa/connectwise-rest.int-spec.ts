import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { globalAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManageAPI } from 'connectwise-rest';
import { startSandbox, type RunningSandbox } from '../../../../sandbox/src/core/sandbox';

/**
 * `connectwise-rest` (a third-party npm client we did not write) against the sandbox, configured only with
 * the site, company and keys. It only speaks https://<companyUrl>/<entryPoint>/apis/3.0, so the sandbox
 * serves HTTPS with a throw-away certificate that this process trusts (as a company would trust its CA).
 */
describe('connectwise-rest against the sandbox', () => {
  let sb: RunningSandbox;
  let dir: string;
  let cwm: ManageAPI;
  const previousCa = globalAgent.options.ca;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cw-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    globalAgent.options.ca = cert;
    sb = await startSandbox({ schema: `cwrest_${process.pid}_${Date.now().toString(36)}`, port: 0, tls: { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert } });
    const port = new URL(sb.url).port;
    cwm = new ManageAPI({
      companyId: 'harborline', companyUrl: `127.0.0.1:${port}/cw`, entryPoint: 'v4_6_release',
      publicKey: 'sandboxpub', privateKey: 'sandboxpriv', clientId: '00000000-0000-4000-8000-00000000c0de', logger: () => undefined,
    });
  }, 30_000);
  afterAll(async () => {
    globalAgent.options.ca = previousCa;
    await sb?.close({ dropSchema: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates, reads, patches and paginates tickets, and lists companies and board statuses', async () => {
    const created = await cwm.ServiceAPI.postServiceTickets({ summary: 'Scanner not working', company: { identifier: 'AlderBrooksCPA' }, board: { name: 'Service Desk' }, initialDescription: 'Front desk scanner' });
    expect(created.id).toEqual(expect.any(Number));
    const got = await cwm.ServiceAPI.getServiceTicketsById(created.id as number);
    expect(got).toMatchObject({ summary: 'Scanner not working', company: { identifier: 'AlderBrooksCPA' }, status: { name: 'New' } });
    for (let i = 0; i < 3; i++) await cwm.ServiceAPI.postServiceTickets({ summary: `Batch ${i}`, company: { identifier: 'AlderBrooksCPA' } });
    const all = (await cwm.paginate(cwm.ServiceAPI.getServiceTickets, { startPage: 1, pageSize: 2 }, { conditions: 'company/identifier = "AlderBrooksCPA"' })) as Array<{ id: number }>;
    expect(all).toHaveLength(4);
    const statuses = await cwm.ServiceAPI.getServiceBoardsByParentIdStatuses(1, { conditions: 'name = "In Progress"' });
    const patched = await cwm.ServiceAPI.patchServiceTicketsById(created.id as number, [{ op: 'replace', path: 'status', value: { id: statuses[0].id } }]);
    expect(patched.status?.name).toBe('In Progress');
    const companies = await cwm.CompanyAPI.getCompanyCompanies({ conditions: 'identifier like "Contoso%"' });
    expect(companies.map((c) => c.identifier)).toEqual(['ContosoDental']);
  });

  it('surfaces the vendor 401 for wrong keys', async () => {
    const port = new URL(sb.url).port;
    const bad = new ManageAPI({ companyId: 'harborline', companyUrl: `127.0.0.1:${port}/cw`, publicKey: 'sandboxpub', privateKey: 'nope', clientId: '00000000-0000-4000-8000-00000000c0de', logger: () => undefined });
    await expect(bad.ServiceAPI.getServiceTickets({})).rejects.toMatchObject({ status: 401 });
  });
});
