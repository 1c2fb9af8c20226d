import { matchTitle } from './software-match';
import { softwareAllowed } from './targets';

// Catalogs as MSP clients keep them, deliberately not the demo world's.
const CLINIC = ['Zoom Workplace', 'Google Chrome', 'Adobe Acrobat Reader', 'Microsoft 365 Apps for business', 'FortiClient VPN', 'Dropbox'];
const LAW = ['Adobe Acrobat Pro', 'Adobe Acrobat Reader', 'Microsoft 365 Apps for enterprise', 'Cisco Secure Client', 'Zoom Workplace', 'Zoom Rooms', 'iManage Work Desktop for Windows'];
const PLANT = ['7-Zip', 'SolidWorks 2025', 'Adobe Photoshop 2025', 'Mozilla Firefox ESR', 'Notepad++', 'VLC media player', 'SAP GUI for Windows 8.00', 'Visual Studio Code'];

const title = (req: string, titles: string[]) => {
  const m = matchTitle(req, titles);
  return m.kind === 'match' ? m.title : m.kind;
};

describe('software titles: the client\'s name for what the request asks', () => {
  it.each([
    ['Zoom', CLINIC, 'Zoom Workplace'],
    ['zoom', CLINIC, 'Zoom Workplace'],
    ['Chrome', CLINIC, 'Google Chrome'],
    ['google chrome', CLINIC, 'Google Chrome'],
    ['Acrobat Reader', CLINIC, 'Adobe Acrobat Reader'],
    ['Adobe Reader', CLINIC, 'Adobe Acrobat Reader'],
    ['Acrobat', CLINIC, 'Adobe Acrobat Reader'],
    ['Office', CLINIC, 'Microsoft 365 Apps for business'],
    ['Office 365', CLINIC, 'Microsoft 365 Apps for business'],
    ['Forticlient', CLINIC, 'FortiClient VPN'],
    ['AnyConnect', LAW, 'Cisco Secure Client'],
    ['Cisco AnyConnect', LAW, 'Cisco Secure Client'],
    ['Acrobat Pro', LAW, 'Adobe Acrobat Pro'],
    ['iManage', LAW, 'iManage Work Desktop for Windows'],
    ['7zip', PLANT, '7-Zip'],
    ['7-Zip', PLANT, '7-Zip'],
    ['SolidWorks', PLANT, 'SolidWorks 2025'],
    ['Solidworks 2025', PLANT, 'SolidWorks 2025'],
    ['Firefox', PLANT, 'Mozilla Firefox ESR'],
    ['notepad++', PLANT, 'Notepad++'],
    ['VLC', PLANT, 'VLC media player'],
    ['VS Code', PLANT, 'none'],
    ['Visual Studio Code', PLANT, 'Visual Studio Code'],
    ['SAP GUI', PLANT, 'SAP GUI for Windows 8.00'],
  ])('%s at a client with %#… → %s', (req, titles, want) => {
    expect(title(req, titles)).toBe(want);
  });

  it('several titles fit: ambiguous, with the candidates (never a guess)', () => {
    expect(matchTitle('Acrobat', LAW)).toEqual({ kind: 'ambiguous', candidates: ['Adobe Acrobat Pro', 'Adobe Acrobat Reader'] });
    expect(matchTitle('Zoom', LAW)).toEqual({ kind: 'ambiguous', candidates: ['Zoom Workplace', 'Zoom Rooms'] });
    expect(matchTitle('Microsoft', CLINIC).kind).toBe('none');
  });

  it('weak or contradicting requests are not matched: vendor only, another edition, another year', () => {
    expect(matchTitle('Adobe', CLINIC)).toMatchObject({ kind: 'none' });
    expect(matchTitle('Google', CLINIC)).toMatchObject({ kind: 'none' });
    expect(matchTitle('Acrobat Pro', CLINIC)).toEqual({ kind: 'none', near: ['Adobe Acrobat Reader'] });
    expect(matchTitle('Photoshop 2024', PLANT)).toEqual({ kind: 'none', near: ['Adobe Photoshop 2025'] });
    expect(matchTitle('Zoom Rooms', CLINIC)).toEqual({ kind: 'none', near: ['Zoom Workplace'] });
    expect(matchTitle('Teams', CLINIC)).toEqual({ kind: 'none', near: [] });
    expect(matchTitle('Chrome Remote Desktop', CLINIC).kind).toBe('none');
    expect(matchTitle('', CLINIC).kind).toBe('none');
  });

  it('allow-list entries in short form count for the catalog title they name, and only for it', () => {
    const header = (allowedSoftware: string[]) => ({ action: 'install_software', identityVerification: 'contact_on_file', verify: 'x', allowedSoftware, allowedGroups: null, allowedServices: null }) as never;
    expect(softwareAllowed([header(['Chrome', 'Zoom'])], 'Google Chrome', CLINIC)).toBe(true);
    expect(softwareAllowed([header(['Chrome', 'Zoom'])], 'Zoom Workplace', CLINIC)).toBe(true);
    expect(softwareAllowed([header(['Chrome', 'Zoom'])], 'Adobe Acrobat Reader', CLINIC)).toBe(false);
    // "Acrobat" is ambiguous at the law firm: it allows neither edition.
    expect(softwareAllowed([header(['Acrobat'])], 'Adobe Acrobat Pro', LAW)).toBe(false);
    expect(softwareAllowed([], 'Adobe Acrobat Pro', LAW)).toBeNull();
  });
});
