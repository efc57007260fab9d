import type { Operation } from '../ops/operation.js';
import { formatQualifiedName } from '../ops/qualified-name.js';
import { freezeData } from '../ops/validate.js';
import type { EnumDefinition } from '../schema/model.js';

/** The operations that turn one enum's values into another's, by phase, with the downgrade of each removal. */
export interface EnumValuePlan {
  /** Renames, removals of reordered values, then additions left to right (before the columns change). */
  readonly early: Operation[];
  /** Removals of values gone from the new list (after the columns stopped using them). */
  readonly late: Operation[];
  /** `drop_enum_value` → the `add_enum_value` that undoes it (`reverse()` refuses it: rows are lost). */
  readonly inverses: Map<Operation, Operation>;
  readonly notes: string[];
}

/** The longest common subsequence of two lists of distinct values. */
function commonSubsequence(a: readonly string[], b: readonly string[]): Set<string> {
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  const kept = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      kept.add(a[i]!);
      i++;
      j++;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  return kept;
}

/**
 * Plans the value changes of an enum both sides have (PostgreSQL's `ALTER TYPE`): `renames` (new
 * → old, from hints, already checked) first; then the values whose relative order changed are
 * removed and added again at their place; new values are added after their left neighbour in the
 * new list (before the first value when they lead), left to right so that each anchor exists.
 */
export function planEnumValues(
  from: EnumDefinition,
  to: EnumDefinition,
  renames: ReadonlyMap<string, string>,
): EnumValuePlan {
  const plan: EnumValuePlan = { early: [], late: [], inverses: new Map(), notes: [] };
  const name = to.name;
  let current = [...from.values];
  for (const [newValue, oldValue] of renames) {
    plan.early.push(freezeData({ kind: 'rename_enum_value', name, from: oldValue, to: newValue }));
    current = current.map((value) => (value === oldValue ? newValue : value));
  }
  const wanted = new Set(to.values);
  const kept = commonSubsequence(
    current.filter((value) => wanted.has(value)),
    to.values.filter((value) => current.includes(value)),
  );
  const remove = (value: string, into: Operation[]): void => {
    const at = current.indexOf(value);
    const drop: Operation = freezeData({ kind: 'drop_enum_value', name, value });
    const anchor = at > 0 ? { after: current[at - 1] } : { before: current[at + 1] };
    plan.inverses.set(drop, freezeData({ kind: 'add_enum_value', name, value, ...anchor }));
    into.push(drop);
    current.splice(at, 1);
  };
  // Right to left, so that the downgrade re-adds them left to right, each after a value present.
  const reordered = current.filter((value) => wanted.has(value) && !kept.has(value)).reverse();
  for (const value of reordered) remove(value, plan.early);
  to.values.forEach((value, at) => {
    if (current.includes(value)) return;
    const anchor = at > 0 ? { after: to.values[at - 1] } : { before: current[0] };
    plan.early.push(freezeData({ kind: 'add_enum_value', name, value, ...anchor }));
    const index = at > 0 ? current.indexOf(to.values[at - 1]!) + 1 : 0;
    current.splice(index, 0, value);
  });
  const gone = current.filter((value) => !wanted.has(value));
  const added = to.values.filter((value) => !from.values.includes(value) && ![...renames.keys()].includes(value));
  if (gone.length > 0 && added.length > 0)
    plan.notes.push(
      `enum '${formatQualifiedName(name)}': ${quoteList(gone)} removed and ${quoteList(added)} added; if a value was renamed, give it renamedFrom so that rows keep it`,
    );
  for (const value of [...gone].reverse()) remove(value, plan.late);
  if (reordered.length > 0)
    plan.notes.push(
      `enum '${formatQualifiedName(name)}': ${quoteList(reordered)} moved, by removing and adding ${reordered.length === 1 ? 'it' : 'them'} again; rows holding ${reordered.length === 1 ? 'it' : 'them'} must be updated first`,
    );
  if (gone.length > 0)
    plan.notes.push(
      `enum '${formatQualifiedName(name)}': removing ${quoteList(gone)} fails while rows hold ${gone.length === 1 ? 'it' : 'them'} (give replaceWith); the downgrade adds ${gone.length === 1 ? 'it' : 'them'} back, not the rows`,
    );
  return plan;
}

function quoteList(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}
