// parquet-check.mjs DIR: reads the result directory DIR, written with
// output.format = "both", through DuckDB (an independent Parquet and CSV
// reader) and checks that
//   - every .parquet file has the columns of its CSV, in order, and the same
//     values row by row: text equal, integers equal, numbers equal to the
//     CSV's 10 significant digits (runs.csv, written in full: exactly),
//     NaN/Inf/-Inf alike, an empty CSV cell as null;
//   - every column carries unit.COLUMN and description.COLUMN metadata;
//   - the mean of each arm's runs rows, summed in row order over the
//     defined values and rounded to the 10 significant digits of
//     summary.json, is summary.json's headline mean, over as many
//     replications (the Go tests check the unrounded means bit for bit).
// It prints one line per file and exits 1 on the first difference.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();

function fail(msg) {
  console.error(`parquet-check: ${msg}`);
  process.exit(1);
}

async function query(sql) {
  const r = await conn.runAndReadAll(sql);
  return { columns: r.columnNames(), types: r.columnTypes().map(String), rows: r.getRowsJS() };
}

const q = (s) => `'${s.replaceAll("'", "''")}'`;

function csvNumber(s) {
  if (s === 'NaN') return NaN;
  if (s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

function sameNumber(csv, pq, exact) {
  const x = csvNumber(csv);
  if (Number.isNaN(x) || Number.isNaN(pq)) return Number.isNaN(x) && Number.isNaN(pq);
  if (!Number.isFinite(x) || !Number.isFinite(pq) || exact) return x === pq;
  // 10 significant digits: half a unit in the 10th digit.
  return Math.abs(x - pq) <= 5e-10 * Math.abs(pq) * 1.000001;
}

for (const name of ['timeseries', 'firms', 'events', 'runs']) {
  const csvPath = join(dir, `${name}.csv`), pqPath = join(dir, `${name}.parquet`);
  const csv = await query(`SELECT * FROM read_csv(${q(csvPath)}, header = true, all_varchar = true, auto_detect = false, ` +
    `columns = ${await csvColumns(csvPath)}, quote = '"', escape = '"')`);
  const pq = await query(`SELECT * FROM read_parquet(${q(pqPath)})`);
  if (csv.columns.join(',') !== pq.columns.join(',')) fail(`${name}.parquet columns ${pq.columns} differ from ${name}.csv ${csv.columns}`);
  if (csv.rows.length !== pq.rows.length) fail(`${name}.parquet has ${pq.rows.length} rows, ${name}.csv ${csv.rows.length}`);
  for (let i = 0; i < csv.rows.length; i++) {
    for (let j = 0; j < csv.columns.length; j++) {
      const c = csv.rows[i][j] ?? '', p = pq.rows[i][j], type = pq.types[j];
      let ok;
      if (p === null) ok = c === '';
      else if (type === 'DOUBLE') ok = sameNumber(c, p, name === 'runs');
      else if (type === 'BIGINT') ok = c === String(p);
      else if (type === 'VARCHAR') ok = c === p;
      else fail(`${name}.parquet column ${pq.columns[j]} has type ${type}`);
      if (!ok) fail(`${name}.parquet row ${i + 1} column ${pq.columns[j]}: ${String(p)} (${type}), ${name}.csv has "${c}"`);
    }
  }
  const kv = await query(`SELECT decode(key), decode(value) FROM parquet_kv_metadata(${q(pqPath)})`);
  const keys = new Set(kv.rows.map((r) => r[0]));
  for (const col of pq.columns) {
    if (!keys.has(`unit.${col}`) || !keys.has(`description.${col}`)) fail(`${name}.parquet: no unit or description metadata for column ${col}`);
  }
  console.log(`parquet-check: ${name}.parquet = ${name}.csv: ${pq.rows.length} rows of ${pq.columns.length} columns (${pq.types.join(' ')})`);

}

// runs.parquet against summary.json.
const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
const runs = await query(`SELECT * FROM read_parquet(${q(join(dir, 'runs.parquet'))})`);
let checked = 0;
for (const arm of summary.arms) {
  const rows = runs.rows.filter((r) => r[0] === arm.arm);
  if (rows.length !== arm.replications) fail(`arm ${arm.arm}: ${rows.length} runs rows, ${arm.replications} replications`);
  for (const [metric, stat] of Object.entries(arm.headline)) {
    const j = runs.columns.indexOf(metric);
    if (j < 0) fail(`runs.parquet has no column ${metric}`);
    let sum = 0, n = 0;
    for (const r of rows) {
      if (r[j] !== null) { sum += r[j]; n++; }
    }
    const mean = n > 0 ? Number((sum / n).toPrecision(10)) : null;
    if (n !== stat.n || mean !== stat.mean) fail(`arm ${arm.arm} ${metric}: runs mean ${mean} over ${n}, summary.json ${stat.mean} over ${stat.n}`);
    checked++;
  }
}
console.log(`parquet-check: runs.parquet recomputes the ${checked} headline means of summary.json`);

// csvColumns returns DuckDB's columns = {...} for the header of a CSV file,
// every column read as text.
async function csvColumns(path) {
  const header = readFileSync(path, 'utf8').split('\n', 1)[0].split(',');
  return '{' + header.map((h) => `${q(h)}: 'VARCHAR'`).join(', ') + '}';
}
