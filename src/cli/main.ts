// The headless entry point: the same engine as the extension, driven from a terminal or CI.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const USAGE = `Usage: agent-orchestrator <command> [options]

Commands:
  version            print the version
  help               print this help
`;

function version(): string {
  // dist/cli.js sits one folder below package.json, both in the repo and in the .vsix.
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function main(argv: readonly string[]): number {
  const [command] = argv;
  switch (command) {
    case 'version':
    case '--version':
      process.stdout.write(`${version()}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`agent-orchestrator: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
