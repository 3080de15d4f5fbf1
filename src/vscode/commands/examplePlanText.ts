// The example plan the walkthrough's first step writes (`example.plan.md`): three small tasks,
// two side by side and one after both, in the plan format of docs/plan-format.md. Each task's
// prompt is plain English a real agent follows and, line by line, an instruction the built-in
// `scripted` agent understands (docs/scripted-agent.md), so the plan runs with either and without
// an account. Plain text apart from `vscode`: a unit test imports it through the real parser.

export const EXAMPLE_PLAN_FILE = 'example.plan.md';

export const EXAMPLE_PLAN = `# Example plan

A first plan for Agent Orchestrator. Headings are specifications, checklist items are tasks, and
the indented lines under a task are its prompt. The first two tasks run side by side, each in its
own git worktree and branch; the third waits for both. Import it (Agent Orchestrator: Import
Plan…), then Run All. The format: https://github.com/agent-orchestrator/agent-orchestrator/blob/main/docs/plan-format.md

No agent CLI installed or logged in yet? Set the setting agentOrchestrator.defaultAgent to
scripted: the built-in agent follows the prompts below line by line, with no account or network.

## SPEC-001: Greeting

- [ ] TASK-1-1: Write the greeting module {priority: high; est: 1h; files: greeting/greet.js}
  progress 1/2 writing greeting/greet.js
  write greeting/greet.js: exports.greet = (name) => 'Hello, ' + name + '!'\\;
  progress 2/2 done
- [ ] TASK-1-2: Write the greeting's notes {est: 1h; files: greeting/NOTES.md}
  write greeting/NOTES.md: # Greeting\\n\\ngreet(name) returns a friendly hello.
- [ ] TASK-1-3: Add a usage example {after: TASK-1-1, TASK-1-2; est: 1h; files: greeting/example.js}
  write greeting/example.js: console.log(require('./greet').greet('world'))\\;
`;
