// The process layer: how the engine starts programs (a ProcessLauncher: child processes here,
// VS Code tasks in the extension), reads their output, caps their logs, and stops them with their
// descendants, including those a dead host left behind. Agents and git's setup command both use it.
export * from './ports';
export { NodeProcessLauncher, runProcess } from './processRunner';
export { isAlive, killProcessTree, listDescendants, parentPid } from './processTree';
export { findTaggedProcesses, stopTaggedProcesses, type TaggedProcess } from './orphans';
export { workingIn } from './workingIn';
export { findOnPath, type Lookup, type LookupOptions } from './findOnPath';
export { programVersion, type VersionOptions, type VersionProbe } from './programVersion';
export { spawnChild, spawnHere, useSpawner, type ChildOptions, type SpawnedChild, type Spawner } from './spawnChild';
export { SpawnHelperClient, type SpawnHelperOptions } from './spawnHelperClient';
