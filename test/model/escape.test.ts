import { describe, expect, it } from 'vitest';
import { escapeAndTruncate, escapeControl, escapeControlLines, escapeJsonText, hasControl } from '../../src/model/escape.js';

describe('escapeControl', () => {
  it('shows CR, LF, tab, ESC, DEL and C1 as visible escapes', () => {
    expect(escapeControl('team\r<!--')).toBe('team\\r<!--');
    expect(escapeControl('a\nb\tc')).toBe('a\\nb\\tc');
    expect(escapeControl('\u001b[2J\u001b]0;x\u0007')).toBe('\\x1b[2J\\x1b]0;x\\x07');
    expect(escapeControl('\u009b31m\u007f')).toBe('\\u009b31m\\u007f');
  });

  it('escapes line separators and bidirectional overrides', () => {
    expect(escapeControl('a\u2028b\u202eevil\u2066')).toBe('a\\u2028b\\u202eevil\\u2066');
  });

  it('leaves ordinary text, including non-ASCII letters and emoji, unchanged', () => {
    const s = 'Zürich café 東京 😀 a-b_c.d:e/f=g+h@i "q" \\x1b';
    expect(escapeControl(s)).toBe(s);
    expect(hasControl(s)).toBe(false);
    expect(hasControl('x\u009b')).toBe(true);
  });

  it('keeps line feeds in multi-line text but escapes the rest', () => {
    expect(escapeControlLines('Error: x\r\n    at y\u001b')).toBe('Error: x\\r\n    at y\\x1b');
  });
});

describe('escapeJsonText', () => {
  it('escapes what JSON.stringify leaves raw, and parses back to the same value', () => {
    const value = { k: 'a\u009b\u2028\u202e\u001bz' };
    const json = escapeJsonText(JSON.stringify(value));
    expect(json).toBe('{"k":"a\\u009b\\u2028\\u202e\\u001bz"}');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('escapeAndTruncate', () => {
  it('cuts long text and says how long it was, without splitting a surrogate pair', () => {
    expect(escapeAndTruncate('abc', 10)).toBe('abc');
    expect(escapeAndTruncate('x'.repeat(300), 5)).toBe('xxxxx… (300 characters)');
    expect(escapeAndTruncate('ab😀', 3)).toBe('ab… (4 characters)');
  });
});
