// dist/cli.js, the CLI's executable: loads the CLI itself (dist/cli-main.js) through V8's code
// cache and runs it. Kept tiny, since this file is compiled at every start.
import './engineFlags'; // first: V8 accepts a code cache only under the flags it was made with
import { join } from 'node:path';
import { requireWithCodeCache } from './codeCache';

const cli = requireWithCodeCache(join(__dirname, 'cli-main.js'));
// At exit the run has compiled what it uses, so the cache covers more than the bundle's top level.
process.once('exit', () => cli.saveCache());
void (cli.exports as typeof import('./main')).runCli(process.argv.slice(2));
