import * as assert from 'node:assert/strict';
import { randomHex } from '../../src/core/randomHex';

describe('randomHex', () => {
  it('gives two hex digits per byte, and no repeats over many draws', () => {
    assert.match(randomHex(2), /^[0-9a-f]{4}$/);
    assert.equal(randomHex(0), '');
    const tokens = new Set(Array.from({ length: 10_000 }, () => randomHex(16)));
    assert.equal(tokens.size, 10_000);
    for (const token of tokens) assert.match(token, /^[0-9a-f]{32}$/);
  });
});
