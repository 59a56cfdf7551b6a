// node mysql2 against the Shardwire proxy, run by NodeMysql2IT: every column type inserted with a prepared
// `execute`, read back with `query` (text protocol), compared with what was inserted, and with `execute` (binary
// protocol), compared with what mysql2 reads from the same MariaDB directly (mysql2 shapes binary temporal values
// itself: a DATETIME(6) with no fraction comes back without one, from MariaDB as from the proxy) (DOUBLE extremes are ones MariaDB's text protocol prints exactly: it writes 1.7976931348623157e308
// as 1.7976931348623155e308, proxy or not). Prints "ok <rows>" and exits 0, or prints the difference and exits 1.
'use strict';
const assert = require('node:assert/strict');
const mysql = require('mysql2/promise');

const [port, directPort, directUser, directPassword] = process.argv.slice(2);
const options = { supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, timezone: 'Z' };

const columns = [
  ['t_tiny', 'TINYINT'], ['t_utiny', 'TINYINT UNSIGNED'], ['t_small', 'SMALLINT'], ['t_medium', 'MEDIUMINT'],
  ['t_int', 'INT'], ['t_uint', 'INT UNSIGNED'], ['t_big', 'BIGINT'], ['t_ubig', 'BIGINT UNSIGNED'],
  ['t_dec', 'DECIMAL(20,6)'], ['t_float', 'FLOAT'], ['t_double', 'DOUBLE'], ['t_date', 'DATE'],
  ['t_datetime', 'DATETIME(6)'], ['t_timestamp', 'TIMESTAMP(3) NULL'], ['t_time', 'TIME'], ['t_year', 'YEAR'],
  ['t_bit', 'BIT(10)'], ['t_enum', "ENUM('red','green')"], ['t_set', "SET('a','b','c')"], ['t_json', 'JSON'],
  ['t_char', 'CHAR(10)'], ['t_varchar', 'VARCHAR(40)'], ['t_text', 'TEXT'], ['t_blob', 'BLOB'],
  ['t_varbinary', 'VARBINARY(16)'], ['t_geo', 'GEOMETRY'],
];

// POINT(1 2) and LINESTRING(0 0, -1.5 1e300) as MariaDB stores GEOMETRY (4-byte SRID, then WKB); mysql2 reads them
// back as {x, y} objects.
const point = Buffer.from('00000000' + '0101000000' + '000000000000f03f' + '0000000000000040', 'hex');
const lineString = Buffer.from('00000000' + '0102000000' + '02000000' + '0000000000000000'.repeat(2)
  + '000000000000f8bf' + '9c7500883ce4377e', 'hex');
const geometries = [{ x: 1, y: 2 }, [{ x: 0, y: 0 }, { x: -1.5, y: 1e300 }], null];

const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const rows = [
  [1, -128, 255, -32768, -8388608, -2147483648, 4294967295, '-9223372036854775808', '18446744073709551615',
    '-12345678901234.123456', 3.5, 1e308, '1000-01-01', '1000-01-01 00:00:00.000000',
    '1970-01-01 00:00:01.000', '-838:59:59', 1901, Buffer.from([0x00, 0x01]), 'red', '', '[]',
    '', '', '', Buffer.alloc(0), Buffer.alloc(0), point],
  [2, 127, 0, 32767, 8388607, 2147483647, 0, '9223372036854775807', '0', '99999999999999.999999', -0.25,
    -2.2250738585072014e-308, '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999',
    '838:59:59', 2155, Buffer.from([0x03, 0xff]), 'green', 'a,b,c', '{"k": [1, "é", null]}',
    'abc', 'Grüße, 世界 😀', 'x'.repeat(1000), bytes, Buffer.from([0x00, 0xff, 0x10]), lineString],
  [3, ...columns.map(() => null)],
];

function normalize(row) {
  return Object.values(row).map((v) => (Buffer.isBuffer(v) ? 'hex:' + v.toString('hex') : v));
}

async function main() {
  const connection = await mysql.createConnection({
    host: '127.0.0.1', port: Number(port), user: 'app', password: 'app', database: 'shop', ...options,
  });
  const direct = await mysql.createConnection({
    host: '127.0.0.1', port: Number(directPort), user: directUser, password: directPassword, database: 'shop',
    ...options,
  });
  try {
    await connection.query('DROP TABLE IF EXISTS node_types');
    await connection.query('CREATE TABLE node_types (id INT PRIMARY KEY, '
      + columns.map(([name, type]) => `${name} ${type}`).join(', ') + ')');
    await connection.query("SET time_zone = '+00:00'");
    const insert = `INSERT INTO node_types VALUES (${['?', ...columns.map(() => '?')].join(', ')})`;
    for (const row of rows) {
      await connection.execute(insert, row);
    }
    const expected = rows.map((row, i) => [...row.slice(0, -1), geometries[i]]);
    const [viaQuery] = await connection.query('SELECT * FROM node_types ORDER BY id');
    assert.deepEqual(viaQuery.map(normalize), expected.map(normalize), 'query (text protocol)');
    await direct.query("SET time_zone = '+00:00'");
    for (const row of rows) {
      const select = 'SELECT * FROM node_types WHERE id = ?';
      const [viaExecute] = await connection.execute(select, [row[0]]);
      const [straight] = await direct.execute(select, [row[0]]);
      assert.equal(straight.length, 1);
      assert.deepEqual(viaExecute.map(normalize), straight.map(normalize), `execute (binary protocol), id ${row[0]}`);
    }
    const [[{ answer }]] = await connection.execute('SELECT ? + ? AS answer', [40, 2]);
    assert.equal(Number(answer), 42);
    // A page over the demo's orders, spread over 4 data nodes: mysql2 binds its numbers as DOUBLE.
    await connection.query('DELETE FROM orders');
    await connection.query('INSERT INTO orders (id, customer_id, product_id, quantity, amount, created_at) VALUES '
      + [1, 2, 3, 4, 5, 6, 7].map((id) => `(${id}, ${id}, 1, 1, 1.00, '2026-11-28 10:00:00')`).join(', '));
    const [page] = await connection.execute('SELECT id FROM orders ORDER BY id LIMIT ? OFFSET ?', [3, 2]);
    assert.deepEqual(page.map((row) => Number(row.id)), [3, 4, 5], 'LIMIT ? OFFSET ? over several data nodes');
    console.log(`ok ${viaQuery.length}`);
  } finally {
    await connection.end();
    await direct.end();
  }
}

main().catch((e) => {
  console.log(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
