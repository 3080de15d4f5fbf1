// The JSON schema of YAML and JSON plans. It lives here as a TypeScript constant because the
// per-file build into out/ does not copy JSON files; the build writes it out as
// plan.schema.json for VS Code's `jsonValidation`/`yamlValidation` contributions.
//
// Task ids and dependencies are plain strings here on purpose: their format, uniqueness and
// targets are checked by the graph checks, which give the same message for every plan format.

import { STRATEGIES } from '../model';

const NUMERIC_PRIORITIES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

export const PLAN_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Agent Orchestrator plan',
  description: 'Specifications and the tasks that implement them. See docs/plan-format.md.',
  type: 'object',
  required: ['specs'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'The JSON schema this file follows, for editors.' },
    specs: {
      type: 'array',
      minItems: 1,
      description: 'The specifications, in order. A spec without an id is numbered from its position.',
      items: { $ref: '#/definitions/spec' },
    },
  },
  definitions: {
    spec: {
      title: 'Specification',
      type: 'object',
      required: ['title'],
      additionalProperties: false,
      properties: {
        id: {
          type: 'string',
          minLength: 1,
          description: 'SPEC-<number>. When omitted: the lowest number no other spec uses, in document order.',
          examples: ['SPEC-031'],
        },
        title: { type: 'string', minLength: 1, description: 'What the specification is about.' },
        description: { type: 'string', description: 'Free text kept with the spec.' },
        tasks: { type: 'array', description: 'The tasks of this spec, in order.', items: { $ref: '#/definitions/task' } },
      },
    },
    task: {
      title: 'Task',
      type: 'object',
      required: ['title'],
      additionalProperties: false,
      properties: {
        id: {
          type: 'string',
          minLength: 1,
          description: "TASK-<spec number>-<task number>. When omitted: the lowest task number free in the task's spec.",
          examples: ['TASK-31-2'],
        },
        title: { type: 'string', minLength: 1, description: 'One line saying what the task does.' },
        prompt: {
          type: 'string',
          description: 'What the agent is asked to do; defaults to the title. On a fan-out task, {item} is replaced by each item.',
        },
        priority: {
          description: 'high, medium or low, or a number 1–10 (8–10 high, 4–7 medium, 1–3 low).',
          enum: ['high', 'medium', 'low', ...NUMERIC_PRIORITIES],
          default: 'medium',
        },
        estimatedHours: { type: 'integer', minimum: 1, default: 1, description: 'Estimated hours, a positive integer. On a fan-out task, per child.' },
        dependsOn: {
          type: 'array',
          description: 'Ids of the tasks that must complete before this one starts.',
          items: { type: 'string', minLength: 1 },
        },
        agent: { type: 'string', minLength: 1, description: 'The agent profile to run; when omitted, routing rules pick one.' },
        files: {
          type: 'array',
          description: 'Globs of the files the task may touch, relative to the workspace; tasks whose globs overlap never run together.',
          items: { type: 'string', minLength: 1 },
        },
        verify: { type: 'string', minLength: 1, description: "A command run in the task's worktree after the agent; exit code 0 means success." },
        done: { type: 'boolean', default: false, description: 'The task is already done.' },
        fanOut: { $ref: '#/definitions/fanOut' },
        strategy: {
          description: "How a fan-out task's children decide its status.",
          enum: STRATEGIES,
          default: 'wait_all',
        },
        threshold: {
          type: 'number',
          exclusiveMinimum: 0,
          maximum: 1,
          default: 0.8,
          description: 'For the best_effort strategy: the fraction of children that must succeed.',
        },
      },
    },
    fanOut: {
      title: 'Fan-out',
      description: 'Expands the task into one child per item, or one per file matching a glob.',
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      properties: {
        items: { type: 'array', minItems: 1, description: 'One child per item.', items: { type: 'string', minLength: 1 } },
        files: { type: 'string', minLength: 1, description: 'One child per file matching this glob, relative to the workspace.' },
      },
    },
  },
} as const;
