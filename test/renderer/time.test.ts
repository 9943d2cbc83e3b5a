import { describe, expect, it } from 'vitest';
import { duration, expiryPhrase, relative, remainingSeconds } from '../../renderer/src/lib/time.js';

describe('countdown wording', () => {
  it('uses the two largest units that matter', () => {
    expect(duration(0)).toBe('0 s');
    expect(duration(59)).toBe('59 s');
    expect(duration(60)).toBe('1 min');
    expect(duration(9 * 60 + 5)).toBe('9 min 5 s');
    expect(duration(12 * 60 + 5)).toBe('12 min');
    expect(duration(3 * 3600 + 12 * 60 + 40)).toBe('3 h 12 min');
    expect(duration(3 * 3600)).toBe('3 h');
    expect(duration(86_400)).toBe('1 day');
    expect(duration(2 * 86_400 + 4 * 3600 + 59)).toBe('2 days 4 h');
  });

  it('says expires in, expired ago, or never', () => {
    expect(expiryPhrase(3 * 3600 + 12 * 60)).toBe('expires in 3 h 12 min');
    expect(expiryPhrase(0)).toBe('expired just now');
    expect(expiryPhrase(-30)).toBe('expired just now');
    expect(expiryPhrase(-300)).toBe('expired 5 min ago');
    expect(expiryPhrase(null)).toBe('never expires');
  });

  it('phrases moments relative to now', () => {
    expect(relative(1000, 1000)).toBe('just now');
    expect(relative(1000 + 600, 1000)).toBe('in 10 min');
    expect(relative(1000 - 7200, 1000)).toBe('2 h ago');
  });

  it("counts down on the server's clock", () => {
    // The server is 120 s ahead: 1000 s left by our clock are 880 s by the token's.
    expect(remainingSeconds(11_000, 120, 10_000_000)).toBe(880);
    expect(remainingSeconds(null, 0, 10_000_000)).toBeNull();
    expect(remainingSeconds(9_000, 0, 10_000_000)).toBe(-1000);
  });
});
