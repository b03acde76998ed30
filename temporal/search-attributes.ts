/**
 * Registers the workflows' search attributes in a namespace over the operator API, on any Temporal
 * server: every process does it on start (stack.ts), and `npm run cli -- temporal:setup` does it on
 * its own. Without them a transfer cannot even start (it is started with its trust's), so a server
 * that will not register them is told in words an operator can act on.
 */
import type { ConnectionLike } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const { IndexedValueType } = proto.temporal.api.enums.v1;

const INDEXED_TYPE: Record<SearchAttributeType, proto.temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** The `temporal` CLI's name of each type, for the commands an operator is told to run. */
const CLI_TYPE: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/**
 * Adds whichever of the workflows' search attributes the namespace lacks and returns their names
 * (none when all are there), so it can run on every start, by several processes at once. Throws
 * naming each attribute still missing, or of another type, and the commands that add them, when the
 * server refuses (no operator permission, a cloud namespace) or cannot be asked.
 */
export async function ensureSearchAttributes(connection: ConnectionLike, namespace: string): Promise<string[]> {
  const missing = async () => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return SEARCH_ATTRIBUTES.filter((key) => customAttributes?.[key.name] !== INDEXED_TYPE[key.type]);
  };
  // A server that cannot list them (the time-skipping test server) may still add them.
  const lacking = await missing().catch(() => [...SEARCH_ATTRIBUTES]);
  if (lacking.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(lacking.map((key) => [key.name, INDEXED_TYPE[key.type]])),
    });
    return lacking.map((key) => key.name);
  } catch (error) {
    // Another process starting at the same moment may have added them (the server then says they exist).
    const still = await missing().catch(() => lacking);
    if (still.length === 0) return [];
    const commands = still.map((key) => `temporal operator search-attribute create --namespace ${namespace} --name ${key.name} --type ${CLI_TYPE[key.type]}`);
    throw new Error(
      `could not register the search attributes ${still.map((key) => `${key.name} (${CLI_TYPE[key.type]})`).join(', ')} in Temporal namespace ${namespace} ` +
        `(${(error as Error).message}); until they exist no transfer can start. Add them with:\n  ${commands.join('\n  ')}`,
      { cause: error },
    );
  }
}
