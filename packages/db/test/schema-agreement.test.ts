import { readFile } from "node:fs/promises";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@hookline/testing";
import { SCHEMA_PATH } from "../src/index.js";
import { shapeFromDatabase, shapeFromSchema, type Shape } from "./schema-shape.js";

let database: TestDatabase;
let fromMigrations: Shape;
let fromSchema: Shape;

beforeAll(async () => {
  // The test database is a copy of the template that the SQL migrations built.
  database = await createTestDatabase();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    fromMigrations = await shapeFromDatabase(client);
  } finally {
    await client.end();
  }
  fromSchema = shapeFromSchema(await readFile(SCHEMA_PATH, "utf8"));
});
afterAll(() => database.drop());

describe("the SQL migrations and schema.prisma describe the same database", () => {
  it("have the same tables", () => {
    expect(Object.keys(fromMigrations.tables).sort()).toEqual(Object.keys(fromSchema.tables).sort());
  });

  it("have the same columns, with the same types, nullability and defaults", () => {
    expect(fromMigrations.tables).toEqual(fromSchema.tables);
  });

  it("have the same primary keys, indexes and foreign keys", () => {
    expect(fromMigrations.primaryKeys).toEqual(fromSchema.primaryKeys);
    expect(fromMigrations.indexes).toEqual(fromSchema.indexes);
    expect(fromMigrations.foreignKeys).toEqual(fromSchema.foreignKeys);
  });

  it("have the same enums", () => {
    expect(fromMigrations.enums).toEqual(fromSchema.enums);
  });

  it("notices a difference (the comparison is not vacuous)", () => {
    const altered = shapeFromSchema(
      `datasource db {\n provider = "postgresql"\n}\nmodel Tenant {\n id String @id\n name String?\n @@map("tenants")\n}\n`,
    );
    expect(altered.tables.tenants).not.toEqual(fromSchema.tables.tenants);
    expect(Object.keys(fromSchema.tables).length).toBeGreaterThanOrEqual(4);
  });
});
