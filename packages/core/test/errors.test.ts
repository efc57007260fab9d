import { describe, expect, it } from 'vitest';
import { CairnError, isCairnError, listForMessage } from '../src/errors.js';

describe('CairnError', () => {
  it('carries a code, details and a cause', () => {
    const cause = new Error('driver said no');
    const error = new CairnError('UNKNOWN_REVISION', 'no revision', { details: { ref: 'x' }, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('UNKNOWN_REVISION');
    expect(error.details).toEqual({ ref: 'x' });
    expect(error.cause).toBe(cause);
    expect(isCairnError(error, 'UNKNOWN_REVISION')).toBe(true);
    expect(isCairnError(error, 'CYCLE')).toBe(false);
  });

  it('is recognised when thrown by another copy of @cairn/core', () => {
    // What a dialect package's own copy of the class produces: an Error with the shared brand.
    const foreign = Object.assign(new Error('from elsewhere'), {
      code: 'LOCK_TIMEOUT',
      details: {},
      [Symbol.for('@cairn/core.CairnError')]: true,
    });
    expect(foreign instanceof CairnError).toBe(true);
    expect(isCairnError(foreign, 'LOCK_TIMEOUT')).toBe(true);
    expect(new Error('plain') instanceof CairnError).toBe(false);
    expect(isCairnError({ code: 'LOCK_TIMEOUT' })).toBe(false);
  });

  it('lists ids for messages, cutting long lists', () => {
    expect(listForMessage(['a'])).toBe("'a'");
    expect(listForMessage(['a', 'b'])).toBe("'a' and 'b'");
    expect(listForMessage(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe("'a', 'b', 'c', 'd', 'e' and 2 more");
  });
});
