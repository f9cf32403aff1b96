'use strict';
// node-x12's side of run.sh: parse the given 271 files with node-x12 (non-strict, its default) the same way the
// .NET side reads them: a warm-up, then a timed loop of ITERATIONS passes over all files.
//   node peer.js --check FILE...          prints the files node-x12 can parse (one per line); the rest go to stderr
//   node peer.js --run ITERATIONS FILE... prints one RESULT line
const fs = require('fs');
const path = require('path');
const { X12Parser } = require('node-x12');

const [mode, ...rest] = process.argv.slice(2);

function parse(text) {
  const interchange = new X12Parser(false).parse(text);
  let segments = 0;
  for (const group of interchange.functionalGroups) {
    for (const transaction of group.transactions) {
      segments += transaction.segments.length;
    }
  }
  return segments;
}

if (mode === '--check') {
  for (const file of rest) {
    try {
      parse(fs.readFileSync(file, 'utf8'));
      console.log(file);
    } catch (error) {
      console.error(`skipped ${path.basename(file)}: node-x12 cannot parse it (${String(error.message).slice(0, 80)})`);
    }
  }
} else if (mode === '--run') {
  const iterations = Number.parseInt(rest[0], 10);
  const files = rest.slice(1).map((file) => fs.readFileSync(file, 'utf8'));
  const characters = files.reduce((sum, text) => sum + text.length, 0);
  let sink = 0;
  // Warm up long enough for V8's optimising tiers even on a busy machine: 200 passes and 2 seconds.
  const warmUpStart = process.hrtime.bigint();
  for (let pass = 0; pass < 200 || process.hrtime.bigint() - warmUpStart < 2000000000n; pass++) {
    for (const text of files) sink += parse(text);
  }
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let iteration = 0; iteration < iterations; iteration++) {
    for (const text of files) sink += parse(text);
  }
  const cpu = process.cpuUsage(cpuStart);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const megabytes = (characters * iterations) / 1e6;
  console.log(`RESULT node-x12 parse files=${files.length} iterations=${iterations} seconds=${seconds.toFixed(3)} cpu_seconds=${cpuSeconds.toFixed(3)} mb_per_s=${(megabytes / seconds).toFixed(2)} files_per_s=${((files.length * iterations) / seconds).toFixed(0)} cpu_mb_per_s=${(megabytes / cpuSeconds).toFixed(2)} check=${sink}`);
} else {
  console.error('usage: node peer.js --check FILE... | --run ITERATIONS FILE...');
  process.exit(2);
}
