import { describe, expect, it } from "vitest";
import { applyOp, diffOp, isNoop, lengths, transform, transformIndex, type TextOp } from "./textOps";

describe("diffOp and applyOp", () => {
  it.each([
    ["", "hello"],
    ["hello", ""],
    ["hello world", "hello brave world"],
    ["hello brave world", "hello world"],
    ["abc", "axc"],
    ["aaaa", "aaaaa"],
    ["Fractions: ½ + ¼", "Fractions: ½ + ¾ 😀"],
    ["same", "same"],
  ])("turns %j into %j", (before, after) => {
    const op = diffOp(before, after);
    expect(applyOp(before, op)).toBe(after);
    expect(lengths(op)).toEqual({ base: before.length, target: after.length });
  });

  it("writes an edit that changes nothing as a plain retain", () => {
    expect(diffOp("abc", "abc")).toEqual([3]);
    expect(isNoop(diffOp("abc", "abc"))).toBe(true);
  });

  it("refuses an edit made for another document length", () => {
    expect(() => applyOp("abc", [5])).toThrow(/5 characters/);
  });
});

describe("transform", () => {
  /** Both orders of applying two concurrent edits end in the same text. */
  const converge = (doc: string, a: TextOp, b: TextOp) => {
    const [a2, b2] = transform(a, b);
    const viaA = applyOp(applyOp(doc, a), b2);
    const viaB = applyOp(applyOp(doc, b), a2);
    expect(viaA).toBe(viaB);
    return viaA;
  };

  it("puts the first-applied insert first when both insert at the same place", () => {
    expect(converge("ab", [1, "X", 1], [1, "Y", 1])).toBe("aXYb");
  });

  it("keeps both inserts at different places", () => {
    expect(converge("hello world", [5, ",", 6], [11, "!"])).toBe("hello, world!");
  });

  it("does not delete text twice when both delete overlapping ranges", () => {
    expect(converge("abcdef", [1, -3, 2], [2, -3, 1])).toBe("af");
  });

  it("keeps text typed inside a range the other deleted", () => {
    expect(converge("abcdef", [1, -4, 1], [3, "XY", 3])).toBe("aXYf");
  });

  it("converges on random concurrent edits", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const edit = (doc: string) => {
      const at = rand(doc.length + 1);
      const del = rand(Math.min(4, doc.length - at) + 1);
      const ins = ["", "x", "yz", "😀"][rand(4)]!;
      return diffOp(doc, doc.slice(0, at) + ins + doc.slice(at + del));
    };
    for (let k = 0; k < 500; k++) {
      const doc = "The quick brown fox".slice(0, rand(20));
      converge(doc, edit(doc), edit(doc));
    }
  });
});

describe("transformIndex", () => {
  it.each([
    ["text inserted before the caret pushes it", 5, [2, "XYZ", 8], 8],
    ["text inserted after the caret leaves it", 1, [2, "XYZ", 8], 1],
    ["text inserted at the caret goes before it", 2, [2, "XYZ", 8], 5],
    ["a deletion before the caret pulls it back", 6, [1, -3, 6], 3],
    ["a deletion around the caret puts it at the cut", 3, [1, -4, 5], 1],
  ] as const)("%s", (_, index, op, expected) => {
    expect(transformIndex(index, [...op])).toBe(expected);
  });
});
