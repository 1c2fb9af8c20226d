import { TicketCategory } from '@desk/contracts';
import { expectedCalibrationError, fitTemperature } from './calibration';
import { LabeledTicket, trainClassifier } from './train';
import { softmax } from './logreg';
import { mulberry32 } from './rng';
import { normaliseForModel } from './tokenize';

const rows: LabeledTicket[] = [];
const add = (category: TicketCategory, texts: string[]) => texts.forEach((t, i) => rows.push({ id: `${category}-${i}`, summary: t, description: t, category }));
add('password_reset', ['forgot my password', 'please reset my password', 'password expired cannot log in', 'need a new password', 'reset password for my account', 'my password does not work']);
add('printer', ['printer not printing', 'print jobs stuck in queue', 'printer offline', 'cannot print to the copier', 'printer shows error', 'print queue stuck']);
add('vpn_connectivity', ['vpn will not connect', 'vpn keeps dropping', 'cannot connect to vpn from home', 'vpn timeout error', 'globalprotect vpn stuck', 'vpn connected but no access']);

describe('embedded classifier', () => {
  const model = trainClassifier(rows, { calibrationFolds: 3, epochs: 20 });

  it('learns the categories it was given', () => {
    expect(model.predict('I forgot the password again').category).toBe('password_reset');
    expect(model.predict('the printer queue is stuck').category).toBe('printer');
    expect(model.predict('vpn is not connecting at home').category).toBe('vpn_connectivity');
  });

  it('returns probabilities that sum to 1, best first', () => {
    const p = model.predict('printer offline');
    expect(p.ranked.reduce((a, b) => a + b.confidence, 0)).toBeCloseTo(1, 6);
    expect(p.ranked[0]!.confidence).toBe(p.confidence);
  });

  it('is reproducible: same data and seed give the same artefact', () => {
    const again = trainClassifier([...rows].reverse(), { calibrationFolds: 3, epochs: 20 });
    expect(JSON.stringify(again.file)).toBe(JSON.stringify(model.file));
  });

  it('replaces hostnames, addresses and numbers with placeholders', () => {
    expect(normaliseForModel('Reset CDG-LV-SRV01 for bob@x.example at 5')).toBe('reset hosttok for emailtok at numtok');
  });
});

describe('calibration', () => {
  it('recovers the temperature that generated the labels', () => {
    const rand = mulberry32(3);
    const logits: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const l = [rand() * 6, rand() * 6, rand() * 6];
      const p = softmax(l, 2);
      const u = rand();
      labels.push(u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2);
      logits.push(l);
    }
    expect(fitTemperature(logits, labels)).toBeGreaterThan(1.7);
    expect(fitTemperature(logits, labels)).toBeLessThan(2.3);
  });

  it('computes ECE: perfectly calibrated bins give 0, overconfident ones do not', () => {
    expect(expectedCalibrationError([0.75, 0.75, 0.75, 0.75], [true, true, true, false]).ece).toBeCloseTo(0, 6);
    expect(expectedCalibrationError([0.95, 0.95], [false, true]).ece).toBeCloseTo(0.45, 6);
  });
});
