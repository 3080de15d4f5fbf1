// The code-server runner cannot tell the extension host's console lines from the workbench's
// own logging, so it forwards what lies between the suite's first line (which starts with this
// prefix) and its summary line (see test/support/summaryLine.ts).
export const SUITE_START_PREFIX = 'integration suite: ';
