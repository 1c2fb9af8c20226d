// Writes l1-examples.jsonl: the repo's own labeled L1 examples, from hand-written templates with varied
// phrasing. Slots are filled with generic names (never the demo world's), so the model learns the intent,
// not one client's people or hostnames. Deterministic (seeded); run `node data/triage/generate-l1-examples.mjs`.
import { writeFileSync } from 'node:fs';
import { TEMPLATES } from './templates.mjs';

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(4242);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const FIRST = ['Alex', 'Priya', 'Tom', 'Lena', 'Marcus', 'Yuki', 'Omar', 'Sofia', 'Greg', 'Hana', 'Ivan', 'Chloe', 'Dev', 'Rosa', 'Sam', 'Nadia', 'Peter', 'Aisha', 'Liam', 'Mei'];
const LAST = ['Novak', 'Brennan', 'Okafor', 'Lindqvist', 'Shah', 'Moreau', 'Kowalczyk', 'Tanaka', 'Hughes', 'Ramirez', 'Baker', 'Fischer', 'Osei', 'Duarte'];
const SLOTS = {
  first: () => pick(FIRST),
  name: () => `${pick(FIRST)} ${pick(LAST)}`,
  mgr: () => `${pick(FIRST)} ${pick(LAST)}`,
  host: () => `${pick(['ACME', 'NWL', 'BLU', 'GRN', 'FAB', 'OAK'])}-${pick(['WS', 'LT', 'PC', 'SRV', 'KIOSK'])}-${pick(['01', '07', '12', 'ACC3', 'FIN2', 'RECEP', 'OPS4', '22'])}`,
  server: () => `${pick(['ACME', 'NWL', 'BLU', 'OAK'])}-${pick(['SRV', 'FS', 'APP', 'DC', 'SQL'])}${pick(['01', '02', '03'])}`,
  sw: () => pick(['Zoom Workplace', 'Adobe Acrobat Reader', 'Microsoft Teams', 'Google Chrome', '7-Zip', 'Notepad++', 'Slack', 'Visual Studio Code', 'QuickBooks Desktop', 'AutoCAD LT', 'Microsoft Visio', 'Webex', 'Power BI Desktop', 'Firefox', 'Sage 50', 'Bluebeam Revu']),
  group: () => pick(['Marketing-Team', 'Finance-Reports', 'Project-Apollo', 'Sales-Share', 'HR-Docs-Read', 'Engineering-Drawings', 'Shop-Schedules', 'Clinic-Staff', 'Accounts-Payable-Read', 'Design-Files']),
  dl: () => pick(['all-staff', 'sales-team', 'office-updates', 'newsletter', 'partners-list', 'managers', 'events', 'support-notify', 'board-updates', 'social-club']),
  svc: () => pick(['Spooler', 'W32Time', 'MSSQLSERVER', 'BITS', 'wuauserv', 'AppIDSvc', 'QBCFMonitorService', 'VeeamAgent', 'TermService', 'LanmanServer', 'Dnscache', 'SQLAgent$SAGE']),
  printer: () => pick(['the upstairs HP', 'the Canon copier', 'the Brother in accounting', 'the label printer', 'the front desk printer', 'the big Ricoh', 'the Xerox in the hallway', 'the plotter']),
  ssid: () => pick(['Office-Staff', 'CORP-WIFI', 'Guest', 'Shop-Floor', 'Clinic-5G', 'Warehouse']),
  vpn: () => pick(['FortiClient', 'GlobalProtect', 'the VPN', 'AnyConnect', 'NetExtender', 'WireGuard', 'OpenVPN', 'Cisco Secure Client']),
  day: () => pick(['Monday', 'Tuesday', 'next Monday', 'the 1st', 'Wednesday', 'Friday']),
  dept: () => pick(['accounting', 'sales', 'the front office', 'engineering', 'HR', 'operations', 'billing', 'the warehouse']),
  n: () => String(2 + Math.floor(rand() * 30)),
  sev: () => pick(['Minor', 'Moderate', 'Major', 'Critical']),
};

function fill(text) {
  return text.replace(/\{(\w+)\}/g, (_, k) => {
    if (!SLOTS[k]) throw new Error(`unknown slot ${k}`);
    return SLOTS[k]();
  });
}

const rows = [];
let n = 0;
for (const [category, templates] of Object.entries(TEMPLATES)) {
  templates.forEach((t, ti) => {
    const copies = t.copies ?? 3;
    for (let c = 0; c < copies; c++) {
      n++;
      rows.push({
        id: `L1-${String(n).padStart(4, '0')}`,
        group: `${category}-${ti}`,
        channel: t.channel ?? 'email',
        summary: fill(t.s),
        description: fill(t.d),
        category,
      });
    }
  });
}
writeFileSync(new URL('./l1-examples.jsonl', import.meta.url), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
console.log(`wrote ${rows.length} examples from ${Object.values(TEMPLATES).flat().length} templates`);
