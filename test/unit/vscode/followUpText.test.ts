// The follow-up an agent receives from review comments: `file:line: comment` with the line quoted,
// in file and line order, ranges as `a-b`, multi-line comments kept together, empty ones dropped.
import * as assert from 'node:assert/strict';
import { COMMENTS_PREAMBLE, followUpFromComments, type CommentedRange } from '../../../src/vscode/followUp/followUpText';

function range(path: string, startLine: number, comments: string[], lines: string[] = [], endLine = startLine): CommentedRange {
  return { path, startLine, endLine, comments, lines };
}

describe('follow-up text from review comments', () => {
  it('lists file:line: comment with the line quoted, files in path order and lines in order', () => {
    const text = followUpFromComments([
      range('src/b.ts', 3, ['Rename this function.'], ['function foo() {']),
      range('src/a.ts', 12, ['Use a named constant.'], ['  const x = 42;   ']),
      range('src/a.ts', 2, ['Sort the imports.'], ["import { z, a } from './m';"]),
    ]);
    assert.equal(
      text,
      [
        COMMENTS_PREAMBLE,
        '',
        'src/a.ts:2: Sort the imports.',
        "    > import { z, a } from './m';",
        '',
        'src/a.ts:12: Use a named constant.',
        '    >   const x = 42;',
        '',
        'src/b.ts:3: Rename this function.',
        '    > function foo() {',
        '',
      ].join('\n'),
    );
  });

  it('writes a range as start-end, every comment of a thread on its own line, a comment’s later lines indented', () => {
    const text = followUpFromComments([range('README.md', 4, ['Too long.', 'Also:\nmention the CLI.'], ['line four', 'line five'], 5)]);
    assert.ok(
      text.endsWith(['README.md:4-5: Too long.', 'README.md:4-5: Also:', '    mention the CLI.', '    > line four', '    > line five', ''].join('\n')),
      text,
    );
  });

  it('drops empty comments and threads without words; nothing at all gives an empty text', () => {
    assert.equal(followUpFromComments([]), '');
    assert.equal(followUpFromComments([range('a.ts', 1, ['   ', '']), range('b.ts', 2, [])]), '');
    const text = followUpFromComments([range('a.ts', 1, ['  ', ' Fix the typo. ']), range('b.ts', 2, [''])]);
    assert.match(text, /^a\.ts:1: Fix the typo\.$/m);
    assert.doesNotMatch(text, /b\.ts/);
  });

  it('quotes at most five lines, each cut at 200 characters, and says how many more there were', () => {
    const lines = Array.from({ length: 7 }, (_, i) => (i === 0 ? 'x'.repeat(250) : `line ${i + 1}`));
    const text = followUpFromComments([range('big.ts', 10, ['Split this.'], lines, 16)]);
    const quoted = text.split('\n').filter((line) => line.startsWith('    > '));
    assert.equal(quoted.length, 6);
    assert.equal(quoted[0], `    > ${'x'.repeat(199)}…`);
    assert.equal(quoted[4], '    > line 5');
    assert.equal(quoted[5], '    > … (2 more lines)');
  });

  it('quotes nothing when the line text is unknown', () => {
    assert.equal(followUpFromComments([range('gone.txt', 1, ['Why delete this?'])]), `${COMMENTS_PREAMBLE}\n\ngone.txt:1: Why delete this?\n`);
  });
});
