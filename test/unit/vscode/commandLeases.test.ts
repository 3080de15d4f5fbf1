// The scope each command runs in (src/vscode/session/commandLeases.ts): what a command is lent
// stays the same for its whole life, across awaits; a lender learns when nothing it lent is in use
// any more, which is when a settings change may close the old orchestrator. The real session and
// the race with a settings change are tested in VS Code (test/integration/settingsReopen.test.ts).
import * as assert from 'node:assert/strict';
import { inCommandScope, Leases } from '../../../src/vscode/session/commandLeases';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('vscode: command leases', () => {
  it('a command keeps what it was lent across awaits, and gives it back when it ends', async () => {
    const leases = new Leases<{ name: string }>({});
    const first = { name: 'first' };
    let release!: () => void;
    const command = inCommandScope(async () => {
      assert.equal(leases.held(), undefined);
      leases.lend(first);
      await new Promise<void>((resolve) => (release = resolve));
      return leases.held();
    });
    await tick();
    assert.equal(leases.count(first), 1);
    let drained = false;
    const waiting = leases.drained(first).then(() => (drained = true));
    await tick();
    assert.equal(drained, false, 'drained while the command still used it');
    release();
    assert.equal(await command, first, 'the command saw what it was lent after an await');
    await waiting;
    assert.equal(leases.count(first), 0);
  });

  it('is given back when the command throws, too', async () => {
    const leases = new Leases<object>({});
    const value = {};
    await assert.rejects(
      inCommandScope(async () => {
        leases.lend(value);
        await tick();
        throw new Error('the command failed');
      }),
      /the command failed/,
    );
    assert.equal(leases.count(value), 0);
  });

  it('commands at once each hold a lease; a command run from a command shares its scope', async () => {
    const leases = new Leases<object>({});
    const value = {};
    let inner: unknown;
    const gates: Array<() => void> = [];
    const command = () =>
      inCommandScope(async () => {
        leases.lend(value);
        await new Promise<void>((resolve) => gates.push(resolve));
      });
    const both = [command(), command()];
    await tick();
    assert.equal(leases.count(value), 2);
    await inCommandScope(async () => {
      leases.lend(value);
      inner = await inCommandScope(() => leases.held());
    });
    assert.equal(inner, value);
    assert.equal(leases.count(value), 2, 'the nested command gave back its outer scope\'s lease once');
    for (const open of gates) open();
    await Promise.all(both);
    assert.equal(leases.count(value), 0);
  });

  it('a retired value (closed for good) is not handed out again: the command asks anew', async () => {
    const leases = new Leases<object>({});
    const value = {};
    await inCommandScope(() => {
      leases.lend(value);
      leases.retire(value);
      assert.equal(leases.held(), undefined);
    });
    assert.equal(leases.count(value), 0);
  });

  it('outside a command nothing is counted, and two lenders never see each other\'s loans', async () => {
    const a = new Leases<object>({});
    const b = new Leases<object>({});
    const value = {};
    assert.equal(a.lend(value), value);
    assert.equal(a.count(value), 0);
    await inCommandScope(() => {
      a.lend(value);
      assert.equal(b.held(), undefined);
      assert.equal(a.held(), value);
    });
  });
});
