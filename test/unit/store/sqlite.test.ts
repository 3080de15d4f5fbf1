import * as assert from 'node:assert/strict';
import { execute, queryAll, queryOne } from '../../../src/core/store/sqlite';
import { loadSqlJs } from '../../../src/core/store/sqlJsLoader';

describe('store: rows from cached statements', () => {
  it('names each value by its column, as getAsObject does, and follows a change of columns', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    try {
      db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('a'), ('b')");
      assert.deepEqual(queryAll(db, 'SELECT * FROM t ORDER BY id'), [{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
      assert.deepEqual(queryOne(db, 'SELECT name AS n, id FROM t WHERE id = ?', [2]), { n: 'b', id: 2 });
      // The same cached statement, after the table gained a column: SQLite prepares it again.
      db.exec("ALTER TABLE t ADD COLUMN size INTEGER NOT NULL DEFAULT 7");
      assert.deepEqual(queryAll(db, 'SELECT * FROM t ORDER BY id'), [{ id: 1, name: 'a', size: 7 }, { id: 2, name: 'b', size: 7 }]);
      assert.equal(execute(db, 'UPDATE t SET size = ? WHERE id = ?', [9, 1]), 1);
      assert.deepEqual(queryOne(db, 'SELECT * FROM t WHERE id = ?', [1]), { id: 1, name: 'a', size: 9 });
      assert.equal(queryOne(db, 'SELECT * FROM t WHERE id = ?', [3]), undefined);
    } finally {
      db.close();
    }
  });
});
