import { Router } from "express";
import { createBrandSchema, presentBrand, updateBrandSchema, type BrandBody } from "@hookline/api-contract";
import { AppError } from "@hookline/core";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { validator } from "../http/validation.js";

const parseCreate = validator<BrandBody>(createBrandSchema, "body");
const parseUpdate = validator<Partial<BrandBody>>(updateBrandSchema, "body");
const notFound = () => AppError.notFound("The brand");

export function brandRoutes(): Router {
  const router = Router();
  guardIdParam(router, "brand", "The brand");

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    res.status(201).json(presentBrand(await tenantOf(res).scope.brands.create({ name: body.name })));
  });

  router.get("/", async (req, res) => {
    sendPage(req, res, await tenantOf(res).scope.brands.list(pageRequest(req)), presentBrand);
  });

  router.get("/:id", async (req, res) => {
    const brand = await tenantOf(res).scope.brands.find(req.params.id);
    if (!brand) throw notFound();
    res.json(presentBrand(brand));
  });

  router.patch("/:id", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    const brand = await tenantOf(res).scope.brands.update(req.params.id, { name: body.name });
    if (!brand) throw notFound();
    res.json(presentBrand(brand));
  });

  router.delete("/:id", async (req, res) => {
    const result = await tenantOf(res).scope.brands.delete(req.params.id);
    if (result === "not_found") throw notFound();
    if (result !== "deleted") {
      throw AppError.conflict(
        "Inbound endpoints link to this brand: link them to other brands (or none) first.",
        result.endpointIds.map((id) => ({ field: "brand", message: `is linked to the inbound endpoint ${id}` })),
      );
    }
    res.status(204).end();
  });

  return router;
}
