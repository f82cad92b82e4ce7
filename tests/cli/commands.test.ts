// The command table lists each subcommand's summary without loading it; every entry loads the
// module whose command has the same name and summary.
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.ts';

describe('the command table', () => {
  it.each(commands.map((c) => [c.name, c] as const))('%s loads its own command', async (_n, c) => {
    const command = await c.load();
    expect(command.name).toBe(c.name);
    expect(command.summary).toBe(c.summary);
  });
});
