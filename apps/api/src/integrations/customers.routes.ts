import { Router } from "express";
import { createCustomerSchema, presentCustomer, updateCustomerSchema, type CustomerBody } from "@hookline/api-contract";
import { AppError } from "@hookline/core";
import { tenantOf } from "../http/auth.middleware.js";
import { bodyOf } from "../http/body.middleware.js";
import { guardIdParam } from "../http/id-param.js";
import { pageRequest, sendPage } from "../http/pagination.js";
import { validator } from "../http/validation.js";

const parseCreate = validator<CustomerBody>(createCustomerSchema, "body");
const parseUpdate = validator<Partial<CustomerBody>>(updateCustomerSchema, "body");
const notFound = () => AppError.notFound("The customer");
const taken = (externalId: string | null | undefined) =>
  AppError.conflict(`Another customer has the external id ${externalId}.`, [
    { field: "external_id", message: "is taken by another customer" },
  ]);

/** `/v1/customers`: the tenant's customers; one of them is the built-in test customer. */
export function customerRoutes(): Router {
  const router = Router();
  guardIdParam(router, "customer", "The customer");

  router.post("/", async (req, res) => {
    const body = parseCreate(bodyOf(req));
    const created = await tenantOf(res).scope.customers.create({ name: body.name, externalId: body.external_id ?? null });
    if (created === "external_id_taken") throw taken(body.external_id);
    res.status(201).json(presentCustomer(created));
  });

  router.get("/", async (req, res) => {
    sendPage(req, res, await tenantOf(res).scope.customers.list(pageRequest(req)), presentCustomer);
  });

  router.get("/:id", async (req, res) => {
    const customer = await tenantOf(res).scope.customers.find(req.params.id);
    if (!customer) throw notFound();
    res.json(presentCustomer(customer));
  });

  router.patch("/:id", async (req, res) => {
    const body = parseUpdate(bodyOf(req));
    const updated = await tenantOf(res).scope.customers.update(req.params.id, { name: body.name, externalId: body.external_id });
    if (updated === "not_found") throw notFound();
    if (updated === "external_id_taken") throw taken(body.external_id);
    res.json(presentCustomer(updated));
  });

  /** With the customer's instances and their executions. */
  router.delete("/:id", async (req, res) => {
    const result = await tenantOf(res).scope.customers.delete(req.params.id);
    if (result === "not_found") throw notFound();
    if (result === "is_test") throw AppError.conflict("The test customer is built in and cannot be deleted.");
    res.status(204).end();
  });

  return router;
}
