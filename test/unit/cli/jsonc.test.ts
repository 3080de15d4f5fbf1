import * as assert from 'node:assert/strict';
import { blankJsoncExtras, parseJsonc } from '../../../src/cli/jsonc';

describe('JSONC (settings.json as VS Code writes it)', () => {
  it('drops comments and trailing commas, keeps strings that look like them', () => {
    const text = `// top
{
  "url": "http://127.0.0.1:8080/v1", // a comment after a URL
  /* block
     comment */ "list": [1, 2, ],
  "text": "a, ] and /* not a comment */ \\" quoted",
  "nested": { "x": { "y": [], }, },
}
`;
    assert.deepEqual(parseJsonc(text), {
      url: 'http://127.0.0.1:8080/v1',
      list: [1, 2],
      text: 'a, ] and /* not a comment */ " quoted',
      nested: { x: { y: [] } },
    });
    // Blanked, not removed: every character keeps its position.
    assert.equal(blankJsoncExtras(text).length, text.length);
    assert.deepEqual(blankJsoncExtras(text).split('\n').length, text.split('\n').length);
  });

  it('reports errors at their line and column in the original text', () => {
    assert.throws(() => parseJsonc('// c\n{\n  "a": 1\n  "b": 2\n}'), { name: 'SyntaxError', message: "Expected ',' or '}' after property value (line 4, column 3)" });
    assert.throws(() => parseJsonc('{ /* open'), /Unterminated comment/);
  });
});
