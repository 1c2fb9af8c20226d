import { readReplyByRules, freshText } from '../../services/executor/src/conversation/domain/reply-intent';
import { mergeReadings } from '../../services/executor/src/conversation/domain/read-reply';

/** Reply understanding by the rules: confirmations resolve, failures escalate, anything unclear goes to a human. */
describe('reading the user\'s answer', () => {
  it.each([
    ['That worked, thanks!', 'resolved'],
    ['Yes it works now, I am connected.', 'resolved'],
    ['Found the card at the front desk, all sorted. You can close this.', 'resolved'],
    ['all good now thank you', 'resolved'],
    ['Still not working, same error as before.', 'still_broken'],
    ['I tried the hotspot but it did not help', 'still_broken'],
    ['Nope, didn\'t work.', 'still_broken'],
    ['It still fails, now it says "Credential or SSLVPN configuration is wrong (-7200)"', 'new_detail'],
    ['Where do I find the table cards?', 'question'],
    ['How do I switch to the hotspot on my laptop?', 'question'],
    ['ok', 'acknowledged'],
    ['great thank you!', 'resolved'],
    ['Perfect, thanks so much!\nOlga', 'resolved'],
    ['Thank you so much, you are the best', 'resolved'],
    ['Thanks!', 'acknowledged'],
    ['ok thanks, will try later', 'acknowledged'],
    ['Thanks, but it still drops every few minutes', 'still_broken'],
    ['Thanks. Which network should I pick?', 'question'],
    ['ok cool', 'unclear'],
    ['It worked yesterday but today it is not working', 'unclear'],
    ['', 'unclear'],
    ['I will be out of the office until Monday.', 'unclear'],
  ])('%s → %s', (body, intent) => expect(readReplyByRules(body).intent).toBe(intent));

  it('reads only what the user added above the quoted history', () => {
    const body = 'Still broken.\n\nOn Mon, 30 Nov 2026 the service desk wrote:\n> Please reply to let us know whether this worked.';
    expect(freshText(body)).toBe('Still broken.');
    expect(readReplyByRules('Thanks\n\n> That worked for most users').intent).toBe('acknowledged');
  });

  it('the model never resolves on its own word against the rules; disagreement is unclear', () => {
    const rules = readReplyByRules('hmm, not sure');
    expect(mergeReadings(rules, { intent: 'resolved', confidence: 0.95, why: 'model', question: null }).intent).toBe('unclear');
    const broken = readReplyByRules('still not working');
    expect(mergeReadings(broken, { intent: 'question', confidence: 0.9, why: 'model', question: 'x?' }).intent).toBe('still_broken');
    expect(mergeReadings(rules, { intent: 'question', confidence: 0.9, why: 'asks where', question: 'Where is it?' })).toMatchObject({ intent: 'question', question: 'Where is it?' });
    expect(mergeReadings(rules, { intent: 'question', confidence: 0.4, why: 'unsure', question: null }).intent).toBe('unclear');
  });

  it('only thanks never reaches a human on the model\'s word; praise closes only when the model agrees', () => {
    const ack = readReplyByRules('Thanks!');
    expect(mergeReadings(ack, { intent: 'unclear', confidence: 0.9, why: 'model', question: null }).intent).toBe('acknowledged');
    expect(mergeReadings(ack, { intent: 'resolved', confidence: 0.9, why: 'model', question: null }).intent).toBe('acknowledged');
    const praised = readReplyByRules('great thank you!');
    expect(mergeReadings(praised, { intent: 'resolved', confidence: 0.9, why: 'model', question: null }).intent).toBe('resolved');
    expect(mergeReadings(praised, { intent: 'unclear', confidence: 0.9, why: 'model', question: null }).intent).toBe('acknowledged');
  });
});
