/**
 * A JavaScript value as `google.protobuf.Struct` wire bytes, written straight into one buffer of
 * the exact size. google-protobuf's own writer (`Struct.fromJavaScript(…).serializeBinary()`) keeps
 * every byte of a string as an element of a JavaScript array while it encodes: a 50 MB string in a
 * state export cost about 1.8 GB that way. Here a string costs its UTF-8 bytes, once.
 *
 * Values are taken as `JSON.stringify` would: `undefined`, functions and symbols are left out of
 * objects and become null in arrays, non-finite numbers become null and -0 is 0, `toJSON` is honoured — the
 * engine hands an analyzer the same shapes.
 */

// Wire types and the tags of Struct, Value and ListValue (google/protobuf/struct.proto).
const STRUCT_FIELD = 0x0a; // Struct.fields = 1, length-delimited (one map entry)
const ENTRY_KEY = 0x0a; // FieldsEntry.key = 1
const ENTRY_VALUE = 0x12; // FieldsEntry.value = 2
const NULL_VALUE = 0x08; // Value.null_value = 1, varint
const NUMBER_VALUE = 0x11; // Value.number_value = 2, 64-bit
const STRING_VALUE = 0x1a; // Value.string_value = 3
const BOOL_VALUE = 0x20; // Value.bool_value = 4, varint
const STRUCT_VALUE = 0x2a; // Value.struct_value = 5
const LIST_VALUE = 0x32; // Value.list_value = 6
const LIST_ITEM = 0x0a; // ListValue.values = 1

function varintSize(n: number): number {
  let size = 1;
  while (n > 0x7f) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** A length or tag as protobuf writes it (base-128 varint), for framing messages around these bytes. */
export function varint(n: number): Uint8Array {
  const out = new Uint8Array(varintSize(n));
  for (let i = 0; n > 0x7f; i++) {
    out[i] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[out.length - 1] = n;
  return out;
}

/** The value JSON would write, or undefined where JSON writes nothing. */
function jsonValue(value: unknown): unknown {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function")
    value = (value as { toJSON(): unknown }).toJSON();
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? value + 0 : null; // JSON writes -0 as 0
  if (typeof value === "bigint") throw new TypeError("a bigint has no JSON form");
  return value;
}

/**
 * Two passes over the value: the first measures every nested message and string, recording the
 * sizes in the order the second pass (the writer) needs them — a message's size is reserved
 * before its children are measured, so it comes first.
 */
class StructWriter {
  private readonly sizes: number[] = [];
  private next = 0;
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;

  encode(struct: Record<string, unknown>): Buffer {
    const total = this.measureStruct(struct);
    this.buffer = Buffer.allocUnsafe(total);
    this.writeStruct(struct);
    return this.buffer;
  }

  // ---- measuring -------------------------------------------------------------------------

  private reserve(): number {
    this.sizes.push(0);
    return this.sizes.length - 1;
  }

  private measureStruct(struct: Record<string, unknown>): number {
    let size = 0;
    for (const key of Object.keys(struct)) {
      const value = jsonValue(struct[key]);
      if (value === undefined) continue;
      const entrySlot = this.reserve();
      const keyBytes = Buffer.byteLength(key, "utf8");
      this.sizes.push(keyBytes);
      const valueBytes = this.measureValue(value);
      const entry = 1 + varintSize(keyBytes) + keyBytes + 1 + varintSize(valueBytes) + valueBytes;
      this.sizes[entrySlot] = entry;
      size += 1 + varintSize(entry) + entry;
    }
    return size;
  }

  /** The size of one Value message (its body, without the tag and length its container writes). */
  private measureValue(value: unknown): number {
    const slot = this.reserve();
    let size: number;
    if (value === null || typeof value === "boolean") size = 2;
    else if (typeof value === "number") size = 9;
    else if (typeof value === "string") {
      const bytes = Buffer.byteLength(value, "utf8");
      this.sizes.push(bytes);
      size = 1 + varintSize(bytes) + bytes;
    } else if (Array.isArray(value)) {
      const listSlot = this.reserve();
      let list = 0;
      for (const item of value) {
        const itemBytes = this.measureValue(jsonValue(item) ?? null);
        list += 1 + varintSize(itemBytes) + itemBytes;
      }
      this.sizes[listSlot] = list;
      size = 1 + varintSize(list) + list;
    } else {
      const structSlot = this.reserve();
      const struct = this.measureStruct(value as Record<string, unknown>);
      this.sizes[structSlot] = struct;
      size = 1 + varintSize(struct) + struct;
    }
    this.sizes[slot] = size;
    return size;
  }

  // ---- writing, in the order measured ----------------------------------------------------

  private take(): number {
    return this.sizes[this.next++];
  }

  private byte(b: number): void {
    this.buffer[this.offset++] = b;
  }

  private varint(n: number): void {
    while (n > 0x7f) {
      this.byte((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    this.byte(n);
  }

  private text(value: string, bytes: number): void {
    this.varint(bytes);
    this.offset += this.buffer.write(value, this.offset, bytes, "utf8");
  }

  private writeStruct(struct: Record<string, unknown>): void {
    for (const key of Object.keys(struct)) {
      const value = jsonValue(struct[key]);
      if (value === undefined) continue;
      this.byte(STRUCT_FIELD);
      this.varint(this.take());
      this.byte(ENTRY_KEY);
      this.text(key, this.take());
      this.byte(ENTRY_VALUE);
      this.writeValue(value);
    }
  }

  private writeValue(value: unknown): void {
    this.varint(this.take());
    if (value === null) {
      this.byte(NULL_VALUE);
      this.byte(0);
    } else if (typeof value === "boolean") {
      this.byte(BOOL_VALUE);
      this.byte(value ? 1 : 0);
    } else if (typeof value === "number") {
      this.byte(NUMBER_VALUE);
      this.offset = this.buffer.writeDoubleLE(value, this.offset);
    } else if (typeof value === "string") {
      this.byte(STRING_VALUE);
      this.text(value, this.take());
    } else if (Array.isArray(value)) {
      this.byte(LIST_VALUE);
      this.varint(this.take());
      for (const item of value) {
        this.byte(LIST_ITEM);
        this.writeValue(jsonValue(item) ?? null);
      }
    } else {
      this.byte(STRUCT_VALUE);
      this.varint(this.take());
      this.writeStruct(value as Record<string, unknown>);
    }
  }
}

/** `struct` as the bytes of a google.protobuf.Struct message. */
export function structBytes(struct: Record<string, unknown>): Buffer {
  return new StructWriter().encode(struct);
}
