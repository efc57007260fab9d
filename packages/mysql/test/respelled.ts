import {
  bigint,
  boolean,
  type ColumnDefinition,
  column,
  currentTimestampDefault,
  enumType,
  expressionDefault,
  integer,
  json,
  numeric,
  rawType,
  text,
  timestamp,
  uuid,
  varchar,
} from '@cairn/core';

/**
 * Columns declared in a form MySQL/MariaDB stores differently; each must read back equal once
 * both sides went through `mysqlNormalizer`. Shared by the normaliser's own round trip and the
 * conformance suite (`reflection.respelledColumns`).
 */
export const RESPELLED_COLUMNS: readonly ColumnDefinition[] = [
  column('raw_int', rawType('INT(11)')),
  column('raw_bool', rawType('BOOLEAN'), { default: expressionDefault('TRUE') }),
  column('raw_unsigned', rawType('INTEGER UNSIGNED'), { nullable: false, default: 0 }),
  column('raw_decimal', rawType('DECIMAL')),
  column('raw_override', rawType('citext', { mysql: 'VARCHAR(10)' })),
  column('raw_datetime', rawType('datetime'), { default: currentTimestampDefault() }),
  column('token', uuid()),
  column('seen_at', timestamp({ withTimeZone: true }), { default: expressionDefault('CURRENT_TIMESTAMP') }),
  column('touched_at', timestamp(), { default: expressionDefault('now(6)') }),
  column('amount', numeric()),
  column('whole', numeric(10)),
  column('flag', boolean(), { default: 1 }),
  column('count', integer(), { default: true }),
  column('digits', integer(), { default: '7' }),
  column('paren', integer(), { default: expressionDefault('(7)') }),
  column('code', varchar(10), { default: 5 }),
  column('quoted', varchar(10), { default: expressionDefault("('x')") }),
  column('body', text(), { default: "it's" }),
  column('doc', json(), { default: expressionDefault("'{}'") }),
  column('big', bigint(), { default: '9223372036854775807' }),
  column('mood', enumType('any_name', ['happy', 'sad']), { default: 'sad' }),
];
