import { describe, expect, it } from 'vitest';
import { column } from '../../src/ops/column.js';
import { text, varchar } from '../../src/ops/column-type.js';
import { createOpApi, recordingOpApi } from '../../src/ops/op-api.js';
import * as factories from '../../src/ops/operation.js';
import {
  addColumn,
  createTable,
  dropTable,
  execute,
  OPERATION_KINDS,
  type Operation,
} from '../../src/ops/operation.js';
import { caught } from './fixtures.js';

const camel = (kind: string): string => kind.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** A promise with its resolve/reject exposed, to control when an emit settles. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createOpApi', () => {
  it('has one method per operation kind, named like its factory', () => {
    const op = createOpApi(async () => {});
    expect(Object.keys(op).sort()).toEqual(OPERATION_KINDS.map(camel).sort());
    for (const name of Object.keys(op)) expect(typeof (factories as Record<string, unknown>)[name]).toBe('function');
    expect(Object.isFrozen(op)).toBe(true);
  });

  it('emits what the factory builds, in call order', async () => {
    const emitted: Operation[] = [];
    const op = createOpApi(async (operation) => {
      emitted.push(operation);
    });
    await op.createTable({ name: 'note', columns: [column('body', text())] });
    await op.addColumn('note', column('title', varchar(80)));
    await op.execute('UPDATE note SET title = ?', ['untitled']);
    await op.dropTable('note');
    expect(emitted).toStrictEqual([
      createTable({ name: 'note', columns: [column('body', text())] }),
      addColumn('note', column('title', varchar(80))),
      execute('UPDATE note SET title = ?', ['untitled']),
      dropTable('note'),
    ]);
  });

  it('runs operations one at a time even when a call is not awaited', async () => {
    const gates = [deferred(), deferred()];
    const started: string[] = [];
    const op = createOpApi((operation) => {
      started.push(operation.kind);
      return gates[started.length - 1]!.promise;
    });
    const first = op.createTable({ name: 't', columns: [column('a', text())] });
    const second = op.dropTable('t');
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual(['create_table']);
    gates[0]!.resolve();
    await first;
    await Promise.resolve();
    expect(started).toEqual(['create_table', 'drop_table']);
    gates[1]!.resolve();
    await second;
  });

  it('rejects every later call once an emit failed, without emitting', async () => {
    const emitted: string[] = [];
    const failure = new Error('driver said no');
    const op = createOpApi(async (operation) => {
      emitted.push(operation.kind);
      if (operation.kind === 'create_table') throw failure;
    });
    const first = op.createTable({ name: 't', columns: [column('a', text())] });
    const second = op.dropTable('t');
    await expect(first).rejects.toBe(failure);
    await expect(second).rejects.toBe(failure);
    expect(emitted).toEqual(['create_table']);
  });

  it('rejects bad arguments with USAGE and emits nothing', async () => {
    const emitted: Operation[] = [];
    const op = createOpApi(async (operation) => {
      emitted.push(operation);
    });
    await expect(op.addColumn('t', { name: '', type: text() })).rejects.toMatchObject({
      code: 'USAGE',
      message: 'addColumn: column.name must be a non-empty string, got ""',
    });
    await op.dropTable('t');
    expect(emitted.map((operation) => operation.kind)).toEqual(['drop_table']);
  });
});

describe('recordingOpApi', () => {
  it('collects operations in call order', async () => {
    const { op, operations } = recordingOpApi();
    expect(operations).toEqual([]);
    await op.createEnum('mood', ['happy', 'sad']);
    await op.addEnumValue('mood', 'ok', { before: 'sad' });
    await op.bulkInsert('plan', [{ id: 1 }], { key: ['id'] });
    expect(operations.map((operation) => operation.kind)).toEqual(['create_enum', 'add_enum_value', 'bulk_insert']);
    expect(operations[1]).toStrictEqual({ kind: 'add_enum_value', name: { name: 'mood' }, value: 'ok', before: 'sad' });
  });

  it('gives each recorder its own list', async () => {
    const a = recordingOpApi();
    const b = recordingOpApi();
    await a.op.dropTable('x');
    expect(a.operations).toHaveLength(1);
    expect(b.operations).toHaveLength(0);
    expect(caught(() => factories.dropTable('')).code).toBe('USAGE');
  });
});
