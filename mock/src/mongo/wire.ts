import { BSON, type Document } from 'bson';

// Opcodes of the MongoDB wire protocol that a current driver can send.
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

const FLAG_CHECKSUM_PRESENT = 1 << 0;
export const FLAG_MORE_TO_COME = 1 << 1;
const FLAG_EXHAUST_ALLOWED = 1 << 16;

/** Larger frames are refused: the real server's maxMessageSizeBytes. */
export const MAX_MESSAGE_BYTES = 48_000_000;

const deserializeOptions = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

export interface IncomingCommand {
  requestId: number;
  opCode: typeof OP_MSG | typeof OP_QUERY;
  /** The command document, with OP_MSG document sequences (kind 1) merged in as arrays. */
  command: Document;
  /** For OP_QUERY: the database from `db.$cmd`. For OP_MSG it is `command.$db`. */
  database: string;
  /** OP_MSG moreToCome: the client expects no answer. */
  noReply: boolean;
  /** OP_MSG exhaustAllowed: the client reads replies marked moreToCome until one is not. */
  exhaustAllowed: boolean;
}

export class MalformedMessage extends Error {}

/** Reads the total length of the frame at the start of `buffer`, or null when fewer than 4 bytes are there. */
export function frameLength(buffer: Buffer): number | null {
  if (buffer.length < 4) return null;
  const length = buffer.readInt32LE(0);
  if (length < 16 || length > MAX_MESSAGE_BYTES)
    throw new MalformedMessage(`invalid message length ${length}`);
  return length;
}

export function decodeMessage(frame: Buffer): IncomingCommand {
  const requestId = frame.readInt32LE(4);
  const opCode = frame.readInt32LE(12);
  if (opCode === OP_MSG) return decodeOpMsg(frame, requestId);
  if (opCode === OP_QUERY) return decodeOpQuery(frame, requestId);
  throw new MalformedMessage(`unsupported opCode ${opCode}`);
}

function readDocument(frame: Buffer, offset: number, end: number): { doc: Document; next: number } {
  if (offset + 5 > end) throw new MalformedMessage('truncated document');
  const size = frame.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new MalformedMessage('document size out of bounds');
  const doc = BSON.deserialize(frame.subarray(offset, offset + size), deserializeOptions);
  return { doc, next: offset + size };
}

function readCString(frame: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = frame.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new MalformedMessage('unterminated string');
  return { value: frame.toString('utf8', offset, zero), next: zero + 1 };
}

function decodeOpMsg(frame: Buffer, requestId: number): IncomingCommand {
  const flags = frame.readUInt32LE(16);
  // The CRC-32C trailer is for links that corrupt bytes; loopback TCP does not, so it is skipped, not checked.
  const end = flags & FLAG_CHECKSUM_PRESENT ? frame.length - 4 : frame.length;
  let offset = 20;
  let body: Document | null = null;
  const sequences: Record<string, Document[]> = {};
  while (offset < end) {
    const kind = frame.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const { doc, next } = readDocument(frame, offset, end);
      body = doc;
      offset = next;
    } else if (kind === 1) {
      const sectionSize = frame.readInt32LE(offset);
      const sectionEnd = offset + sectionSize;
      if (sectionSize < 5 || sectionEnd > end) throw new MalformedMessage('document sequence out of bounds');
      const id = readCString(frame, offset + 4, sectionEnd);
      let cursor = id.next;
      const docs: Document[] = [];
      while (cursor < sectionEnd) {
        const { doc, next } = readDocument(frame, cursor, sectionEnd);
        docs.push(doc);
        cursor = next;
      }
      sequences[id.value] = docs;
      offset = sectionEnd;
    } else {
      throw new MalformedMessage(`unknown section kind ${kind}`);
    }
  }
  if (!body) throw new MalformedMessage('OP_MSG without a body section');
  // Merged into the body itself: a copy of every command for the rare document sequence is not worth it.
  const command = Object.assign(body, sequences);
  const database = typeof command.$db === 'string' ? command.$db : 'admin';
  return {
    requestId,
    opCode: OP_MSG,
    command,
    database,
    noReply: (flags & FLAG_MORE_TO_COME) !== 0,
    exhaustAllowed: (flags & FLAG_EXHAUST_ALLOWED) !== 0,
  };
}

function decodeOpQuery(frame: Buffer, requestId: number): IncomingCommand {
  const name = readCString(frame, 20, frame.length);
  const collection = name.value;
  // flags, then fullCollectionName, numberToSkip, numberToReturn, query.
  const { doc } = readDocument(frame, name.next + 8, frame.length);
  if (!collection.endsWith('.$cmd')) throw new MalformedMessage('OP_QUERY is only supported for commands');
  // Legacy handshakes may wrap the command: { $query: { isMaster: 1 }, $readPreference: … }.
  const command = doc.$query && typeof doc.$query === 'object' ? (doc.$query as Document) : doc;
  return {
    requestId,
    opCode: OP_QUERY,
    command,
    database: collection.slice(0, -'.$cmd'.length),
    noReply: false,
    exhaustAllowed: false,
  };
}

let nextResponseId = 1;

/**
 * A reply frame: the body serialised, then copied once behind its header (not into a header, a
 * flags and a body buffer concatenated: four copies of every reply). `moreToCome` marks one of an
 * exhaust stream's replies: another follows without a request.
 */
export function encodeReply(request: IncomingCommand, response: Document, moreToCome = false): Buffer {
  const body = BSON.serialize(response);
  // OP_MSG: header, flagBits = 0, section kind 0. OP_REPLY: header, responseFlags, cursorID, startingFrom, numberReturned.
  const start = request.opCode === OP_MSG ? 21 : 36;
  const end = start + body.length;
  const frame = Buffer.allocUnsafe(end);
  frame.set(body, start);
  frame.writeInt32LE(end, 0);
  frame.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  frame.writeInt32LE(request.requestId, 8);
  if (request.opCode === OP_MSG) {
    frame.writeInt32LE(OP_MSG, 12);
    frame.writeUInt32LE(moreToCome ? FLAG_MORE_TO_COME : 0, 16);
    frame.writeUInt8(0, 20);
  } else {
    frame.writeInt32LE(OP_REPLY, 12);
    frame.writeInt32LE(8, 16); // AwaitCapable, as the real server sets it
    frame.fill(0, 20, 32); // cursorID = 0, startingFrom = 0
    frame.writeInt32LE(1, 32); // numberReturned
  }
  return frame;
}
