import type { Schema } from "ajv";
import { iso } from "../timestamps.js";

/** `/v1/brands`: an environment and an endpoint linked to one brand serve each other. */

export interface BrandBody {
  name: string;
}

export const createBrandSchema: Schema = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: { name: { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" } },
};

export const updateBrandSchema: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { name: { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" } },
};

export interface BrandRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface BrandResponse {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export function presentBrand(brand: BrandRecord): BrandResponse {
  return { id: brand.id, name: brand.name, created_at: iso(brand.createdAt), updated_at: iso(brand.updatedAt) };
}
