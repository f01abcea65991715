// A jest reporter for CI: keeps the list of test files running right now in .cache/jest-running.txt,
// so a run stopped at its time limit can say which suite was still running (and so was hanging).
const { mkdirSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

class RunningSuitesReporter {
  constructor(globalConfig) {
    this.root = globalConfig.rootDir;
    this.file = join(this.root, '.cache', 'jest-running.txt');
    this.running = new Map();
    mkdirSync(join(this.root, '.cache'), { recursive: true });
    this.write();
  }

  onTestFileStart(test) {
    this.running.set(test.path, Date.now());
    this.write();
  }

  onTestFileResult(test) {
    this.running.delete(test.path);
    this.write();
  }

  write() {
    const lines = [...this.running].map(
      ([path, since]) => `${relative(this.root, path)} (started ${new Date(since).toISOString()})`,
    );
    writeFileSync(this.file, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  }
}

module.exports = RunningSuitesReporter;
