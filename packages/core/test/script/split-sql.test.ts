import { describe, expect, it } from 'vitest';
import { splitSqlStatements } from '../../src/script/split-sql.js';

describe('splitSqlStatements', () => {
  it('splits on semicolons and drops empty and comment-only statements', () => {
    expect(
      splitSqlStatements('CREATE TABLE a (id int);\n\n-- a comment; not a statement end\nDROP TABLE b;;  '),
    ).toEqual(['CREATE TABLE a (id int)', '-- a comment; not a statement end\nDROP TABLE b']);
    expect(splitSqlStatements('-- write the upgrade SQL here\n')).toEqual([]);
  });

  it('keeps a last statement without a semicolon', () => {
    expect(splitSqlStatements('SELECT 1; SELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('ignores semicolons in quotes, comments and dollar quotes', () => {
    const script = [
      "INSERT INTO t VALUES ('a;b', 'it''s; fine');",
      'SELECT "odd;name" FROM t; -- trailing; comment',
      'SELECT 1 /* a ; b */ + 1;',
      'CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;',
      'SELECT $$x;y$$;',
    ].join('\n');
    expect(splitSqlStatements(script)).toEqual([
      "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
      'SELECT "odd;name" FROM t',
      '-- trailing; comment\nSELECT 1 /* a ; b */ + 1',
      'CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql',
      'SELECT $$x;y$$',
    ]);
  });

  it('keeps a trigger body, CASE included, in one statement', () => {
    const trigger = [
      'CREATE TRIGGER audit AFTER INSERT ON t BEGIN',
      "  INSERT INTO log VALUES (CASE WHEN new.x > 0 THEN 'pos' ELSE 'neg' END);",
      '  UPDATE t SET seen = 1;',
      'END',
    ].join('\n');
    expect(splitSqlStatements(`${trigger};\nSELECT 1;`)).toEqual([trigger, 'SELECT 1']);
  });

  it('does not treat BEGIN outside a trigger as a block', () => {
    expect(splitSqlStatements('BEGIN; SELECT 1; COMMIT;')).toEqual(['BEGIN', 'SELECT 1', 'COMMIT']);
  });
});
