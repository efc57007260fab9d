import type { QualifiedName } from '../dialect/dialect.js';
import type { Operation } from './operation.js';

/**
 * The table an operation changes, if it changes one: what a dialect that rebuilds tables needs
 * the current definition of. Enum operations and raw SQL change no known table.
 */
export function operationTable(op: Operation): QualifiedName | undefined {
  switch (op.kind) {
    case 'create_table':
    case 'drop_table':
    case 'rename_table':
    case 'comment_table':
      return op.name;
    case 'create_enum':
    case 'drop_enum':
    case 'add_enum_value':
    case 'rename_enum_value':
    case 'drop_enum_value':
    case 'execute':
      return undefined;
    default:
      return op.table;
  }
}
