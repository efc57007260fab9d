import { describe, expect, it } from 'vitest';
import {
  column,
  defineEnum,
  diffSchemas,
  integer,
  renameHintsFrom,
  schemaModel,
  table,
  text,
} from '../../src/index.js';

// What the user writes (renamedFrom in a schema module) reaches the diff as rename operations:
// the schema definition API and diffSchemas joined through renameHintsFrom.
describe('renamedFrom hints from a schema module', () => {
  const before = schemaModel({
    mood: defineEnum('mood', ['happy', 'ok']),
    users: table('people', {
      columns: [column('id', integer(), { nullable: false }), column('name', text())],
      primaryKey: ['id'],
    }),
  });
  const after = schemaModel({
    mood: defineEnum('mood', ['happy', { value: 'content', renamedFrom: 'ok' }]),
    users: table('users', {
      columns: [column('id', integer(), { nullable: false }), { ...column('full_name', text()), renamedFrom: 'name' }],
      primaryKey: ['id'],
      renamedFrom: 'people',
    }),
  });

  it('become rename operations, and without them a drop and an add with a note', () => {
    const hinted = diffSchemas(before.model, after.model, { renames: renameHintsFrom(after.renames) });
    const kinds = hinted.upgrade.map((op) => op.kind);
    expect(kinds).toContain('rename_table');
    expect(kinds).toContain('rename_column');
    expect(kinds).toContain('rename_enum_value');
    expect(kinds).not.toContain('drop_table');
    expect(kinds).not.toContain('drop_column');

    const unhinted = diffSchemas(before.model, after.model);
    expect(unhinted.upgrade.map((op) => op.kind)).toContain('drop_table');
    expect(unhinted.notes.join('\n')).toContain('renamedFrom');
  });
});
