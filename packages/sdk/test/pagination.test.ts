import { nextCursor, PageIterator, type Page } from "../src/pagination.js";

describe("nextCursor", () => {
  it("reads X-Next-Cursor, or the cursor of the Link header's next URL", () => {
    expect(nextCursor(new Headers({ "X-Next-Cursor": "abc" }))).toBe("abc");
    expect(nextCursor(new Headers({ Link: '</v1/endpoints?limit=2&cursor=eyJhIjoiZXAifQ>; rel="next"' }))).toBe("eyJhIjoiZXAifQ");
    expect(nextCursor(new Headers({ Link: '</v1/x?cursor=p>; rel="prev", </v1/x?cursor=n>; rel="next"' }))).toBe("n");
    expect(nextCursor(new Headers())).toBeUndefined();
    expect(nextCursor(new Headers({ Link: '</v1/x?cursor=p>; rel="prev"' }))).toBeUndefined();
  });
});

describe("PageIterator", () => {
  const pages: Record<string, Page<number>> = {
    start: { items: [1, 2], nextCursor: "b" },
    b: { items: [3], nextCursor: "c" },
    c: { items: [], nextCursor: undefined },
  };

  it("requests nothing until used, then follows the cursor to the last page", async () => {
    const asked: (string | undefined)[] = [];
    const list = new PageIterator(async (cursor) => {
      asked.push(cursor);
      return pages[cursor ?? "start"]!;
    }, undefined);
    expect(asked).toEqual([]);
    expect(await list.toArray()).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, "b", "c"]);
    expect(await new PageIterator(async (cursor) => pages[cursor ?? "start"]!, "b").page()).toEqual(pages.b);
  });
});
