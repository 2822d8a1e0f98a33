import fc from "fast-check";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { structBytes } from "../../../tools/policy/structWire";

// Resource properties reach the pack as google.protobuf.Struct bytes written by structBytes; the
// pack decodes them with google-protobuf, so that decoder is the judge of every byte.
const decoded = (value: Record<string, unknown>) => Struct.deserializeBinary(structBytes(value)).toJavaScript();
// What google-protobuf's own writer made of the same value (its map writes keys sorted; order is free on the wire).
const throughGoogleProtobuf = (value: unknown) =>
  Struct.deserializeBinary(Struct.fromJavaScript(JSON.parse(JSON.stringify(value))).serializeBinary()).toJavaScript();

describe("resource properties on the wire", () => {
  it("decode to the same value for any JSON object (keys and strings beyond ASCII, nesting, lists)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: "grapheme" }), fc.jsonValue()), (value) => {
        expect(decoded(value)).toEqual(throughGoogleProtobuf(value));
      }),
      { numRuns: 300 },
    );
  });

  it("write what JSON writes: undefined left out of objects, null in lists, non-finite numbers as null", () => {
    const value = {
      gone: undefined,
      zero: -0,
      fn: () => 1,
      list: [undefined, 1, Number.NaN, Infinity, "é🙂"],
      when: new Date("2026-12-03T00:00:00Z"),
      nested: { deeper: { empty: {}, none: [] } },
    };
    expect(decoded(value)).toEqual(throughGoogleProtobuf(value));
    expect(Object.is(decoded(value).zero, 0)).toBe(true);
    expect(decoded(value)).toEqual({
      zero: 0,
      list: [null, 1, null, null, "é🙂"],
      when: "2026-12-03T00:00:00.000Z",
      nested: { deeper: { empty: {}, none: [] } },
    });
  });

  it("cost a string's UTF-8 bytes once, not an array element per byte", () => {
    const big = "a".repeat(8 * 1024 * 1024);
    const bytes = structBytes({ big });
    expect(bytes.length).toBeLessThan(big.length + 32);
    expect(bytes.buffer.byteLength).toBeLessThan(big.length + 8192);
  });
});
